/**
 * The teacher in a Web Worker: runs the same mixup distillation with `trainStep` and through
 * `TeacherPrefetch` on the same batches and compares their losses. Results go to
 * `window.__workerResults` for the browser test.
 */
import * as tf from '@tensorflow/tfjs';
import {
  Augments,
  ImageClassifier,
  SingleTeacherDistill,
  TeacherPrefetch,
  TeacherWorker,
  mlp,
  selectBackend,
} from 'tfjs-distill';

/** What the page exposes on `window` when it is done. */
export interface WorkerResults {
  /** The backend of the page and of the worker. */
  readonly backends: readonly [string, string];
  readonly plainLosses: number[];
  readonly workerLosses: number[];
  /** Tensors left on the page after the prefetched steps (optimizer state freed). */
  readonly leaked: number;
  readonly ms: { readonly plain: number; readonly worker: number };
}

declare global {
  interface Window {
    __workerResults?: WorkerResults;
    __workerError?: string;
  }
}

const MIX = { type: 'BatchMixup', alpha: 0.4, numClasses: 10 } as const;
const STEPS = 8;

async function main(): Promise<WorkerResults> {
  await selectBackend('cpu');
  const teacher = mlp({ hidden: [128], seed: 1, name: 'teacher' });
  const distillation = (): SingleTeacherDistill =>
    new SingleTeacherDistill({
      teacher: new ImageClassifier({ model: teacher, augments: new Augments(MIX, { seed: 5 }) }),
      student: new ImageClassifier({
        model: mlp({ hidden: [32], seed: 2, name: 'student' }),
        augments: new Augments(MIX, { seed: 9 }),
        lossWeight: 0.3,
      }),
      distiller: {
        studentRecorders: { logits: { type: 'LayerOutputs', source: 'logits' } },
        teacherRecorders: { logits: { type: 'LayerOutputs', source: 'logits' } },
        distillDeliveries: [
          { type: 'MethodOutputs', maxKeepData: 2, methodPath: { cls: Augments, name: 'call' } },
        ],
        distillLosses: { loss_kd: { type: 'KLDivergence', tau: 4, lossWeight: 0.7 } },
        lossForwardMappings: {
          loss_kd: {
            predsS: { recorder: 'logits', fromStudent: true },
            predsT: { recorder: 'logits', fromStudent: false },
          },
        },
      },
    });
  const data = Array.from({ length: STEPS }, (_, i) => ({
    x: tf.randomUniform([64, 784], 0, 1, 'float32', 10 + i),
    y: tf.tensor1d(
      Array.from({ length: 64 }, (_, j) => (i + j) % 10),
      'int32',
    ),
  }));

  const plain = distillation();
  let optimizer = tf.train.adam(1e-3);
  let start = performance.now();
  const plainLosses = data.map(({ x, y }) => plain.trainStep(optimizer, x, y).loss!);
  const plainMs = performance.now() - start;
  optimizer.dispose();

  const ahead = distillation();
  const worker = await TeacherWorker.start({
    model: teacher,
    recorders: ahead.distiller.teacherRecorders,
  });
  const before = tf.memory().numTensors;
  optimizer = tf.train.adam(1e-3);
  const workerLosses: number[] = [];
  start = performance.now();
  try {
    const prefetch = new TeacherPrefetch(ahead, worker);
    prefetch.push(data[0]!.x, data[0]!.y);
    for (let i = 0; i < STEPS; i++) {
      if (i + 1 < STEPS) prefetch.push(data[i + 1]!.x, data[i + 1]!.y);
      workerLosses.push((await prefetch.trainStep(optimizer)).loss!);
    }
  } finally {
    await worker.close();
  }
  const workerMs = performance.now() - start;
  optimizer.dispose();
  const leaked = tf.memory().numTensors - before;
  tf.dispose(data.flatMap(({ x, y }) => [x, y]));
  return {
    backends: [tf.getBackend(), worker.backend],
    plainLosses,
    workerLosses,
    leaked,
    ms: { plain: plainMs, worker: workerMs },
  };
}

const status = document.getElementById('status')!;
main().then(
  (results) => {
    const same = results.plainLosses.every((loss, i) => loss === results.workerLosses[i]);
    status.textContent =
      `${results.workerLosses.length} steps with the teacher in a Web Worker (${results.backends[1]} backend): ` +
      `losses ${same ? 'identical to' : 'DIFFERENT from'} trainStep's; ${results.leaked} tensors left; ` +
      `${results.ms.plain.toFixed(0)} ms on the page's thread, ${results.ms.worker.toFixed(0)} ms with the worker.`;
    window.__workerResults = results;
  },
  (error: unknown) => {
    status.textContent = `Failed: ${String(error)}`;
    window.__workerError =
      error instanceof Error ? `${error.message}\n${error.stack}` : String(error);
  },
);
