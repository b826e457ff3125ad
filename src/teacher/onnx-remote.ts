/**
 * An ONNX teacher as a RemoteTeacher, so TeacherPrefetch trains students with it: each forward
 * pass answers with the records of the distiller's teacher recorders, by recorder name.
 */
import * as tf from '@tensorflow/tfjs';
import { DistillError, DistillTypeError, describeValue } from '../errors.js';
import { LayerOutputsRecorder } from '../recorder/layer-recorders.js';
import type { RecorderManager } from '../recorder/recorder-manager.js';
import type { RemoteTeacher } from '../worker/remote-teacher.js';
import type { TeacherOutputs } from '../worker/teacher-worker.js';
import type { OnnxTeacher } from './onnx-teacher.js';
import { LOGITS_LAYER } from './tap-model.js';

/**
 * Adapts an ONNX teacher to TeacherPrefetch. Every teacher recorder must be a
 * `LayerOutputsRecorder` of `logits` (or the output's own name) or of one of the teacher's
 * `nodes`; each forward pass gives it one record. `close()` closes the teacher.
 *
 * @param teacher - The loaded teacher; the distillation's teacher model is its `shell()`.
 * @param recorders - The distiller's teacher recorders (`algo.distiller.teacherRecorders`).
 * @throws `INVALID_CONFIG` naming a recorder the ONNX teacher cannot serve.
 *
 * @example
 * ```ts
 * const onnx = await OnnxTeacher.load('teacher.onnx', { nodes: ['features'] });
 * const algo = new SingleTeacherDistill({ teacher: onnx.shell({ inputShape: [784] }), student, distiller });
 * const prefetch = new TeacherPrefetch(algo, onnxRemoteTeacher(onnx, algo.distiller.teacherRecorders));
 * ```
 */
export function onnxRemoteTeacher(teacher: OnnxTeacher, recorders: RecorderManager): RemoteTeacher {
  if (typeof (teacher as Partial<OnnxTeacher> | null)?.forward !== 'function') {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `onnxRemoteTeacher expects a loaded OnnxTeacher, but got ${describeValue(teacher)}.`,
    );
  }
  const sources = new Map<string, string>();
  for (const [name, recorder] of recorders.recorders) {
    const source = recorder instanceof LayerOutputsRecorder ? recorder.source : undefined;
    const known = [LOGITS_LAYER, teacher.outputName, ...teacher.nodes];
    if (source === undefined || !known.includes(source)) {
      throw new DistillError(
        'INVALID_CONFIG',
        `Teacher recorder "${name}" (${recorder.sourceLabel}) cannot be served by the ONNX teacher: it records the outputs of ${known.map((k) => `"${k}"`).join(', ')} only (LayerOutputs recorders). Export the value as an extra ONNX output and list it in the teacher's nodes.`,
      );
    }
    sources.set(name, source);
  }
  let inFlight = 0;
  return {
    recorderNames: [...sources.keys()],
    get inFlight() {
      return inFlight;
    },
    async forward(input: tf.Tensor): Promise<TeacherOutputs> {
      inFlight++;
      try {
        const { logits, nodes } = await teacher.forward(input);
        try {
          const records = new Map<string, unknown[]>();
          for (const [name, source] of sources) {
            const value =
              source === LOGITS_LAYER || source === teacher.outputName ? logits : nodes[source]!;
            records.set(name, [value.clone()]);
          }
          return { records, output: logits.clone() };
        } finally {
          tf.dispose([logits, ...Object.values(nodes)]);
        }
      } finally {
        inFlight--;
      }
    },
    close: () => teacher.close(),
    probeShapes: (fn) => teacher.probeShapes(fn),
  };
}
