/**
 * The config `tfjs-distill init` writes: a student sized from the data, the teacher's view of
 * the data, and distillation defaults, each choice with a line that says why.
 */
import type { ViewConfig } from '../data/view.js';
import { DistillError } from '../errors.js';
import type { ModelConfig, RunConfig, SourceConfig, TeacherOutputKind } from './run-config.js';

/** What `init` found out about the data. */
export interface DataFacts {
  /** The source as the config names it, paths relative to the config file. */
  readonly source: { readonly type: string; readonly [option: string]: unknown };
  /** The data as the user named it, for messages. */
  readonly path: string;
  /** The shape of one example. */
  readonly inputShape: readonly number[];
  /** Number of classes. */
  readonly numClasses: number;
  /** Class names. */
  readonly classNames: readonly string[];
  /** Examples in the training split, if known. */
  readonly trainCount: number | undefined;
  /** Examples in the test split, if known. */
  readonly testCount: number | undefined;
  /** What the source is. */
  readonly description: string;
}

/** What `init` found out about the teacher. */
export interface TeacherFacts {
  /** The teacher as the config names it, paths relative to the config file. */
  readonly model: ModelConfig;
  /** The teacher as the user named it, for messages. */
  readonly path: string;
  /** The shape of one input example; `null` for a free dimension. */
  readonly inputShape: readonly (number | null)[];
  /** The width of its output. */
  readonly numClasses: number;
  /** Whether it outputs logits or probabilities, and how that was found. */
  readonly outputs: { readonly kind: Exclude<TeacherOutputKind, 'auto'>; readonly reason: string };
  /** The name of its output layer, the source of the teacher's logits recorder. */
  readonly outputLayer: string;
  /** Its parameters, if known. */
  readonly params: number | undefined;
}

/** A proposed config and the reasons for its choices. */
export interface Proposal {
  /** The config, ready to be written as JSON. */
  readonly config: RunConfig;
  /** One line per choice, for the user. */
  readonly notes: readonly string[];
}

const shapeText = (shape: readonly (number | null)[]): string =>
  `[${shape.map((d) => d ?? 'N').join(', ')}]`;

/**
 * The view that feeds examples of `data` to a model that takes `model`, `undefined` when none is
 * needed, or `null` when no view can.
 */
export function viewFor(
  model: readonly (number | null)[],
  data: readonly number[],
): ViewConfig | undefined | null {
  const fits = model.length === data.length && model.every((d, i) => d === null || d === data[i]);
  if (fits) return undefined;
  const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);
  if (model.length === 1 && model[0] === size(data)) return { flatten: true };
  if (model.length === 3 && data.length === 3 && (model[2] === 1 || model[2] === 3)) {
    const [h, w, c] = model;
    const view: { size?: [number, number]; channels?: 1 | 3 } = {};
    if ((h !== null && h !== data[0]) || (w !== null && w !== data[1])) {
      view.size = [h ?? data[0]!, w ?? data[1]!];
    }
    if (c !== data[2]) {
      if (data[2] !== 1 && data[2] !== 3) return null;
      view.channels = c;
    }
    return view;
  }
  return null;
}

const nextPow2 = (n: number): number => 2 ** Math.ceil(Math.log2(Math.max(1, n)));

/** The student: an MLP for flat examples, a small CNN for images, both sized from the data. */
function student(data: DataFacts): { model: ModelConfig; input?: ViewConfig; notes: string[] } {
  const shape = data.inputShape;
  if (shape.length === 3) {
    const [h, w, c] = shape as [number, number, number];
    const big = Math.max(h, w) > 64;
    const notes = [
      `student: a small CNN (conv 16, conv 32, dense 64) for ${h}x${w}x${c} images, trained on the cpu backend (wasm has no convolution gradients).`,
    ];
    if (big) {
      notes.push(
        `student input: ${h}x${w} images are resized to 32x32 for the student, to keep it small and fast; remove "input" to train it at full size.`,
      );
    }
    return {
      model: { type: 'smallCnn', filters: [16, 32], hidden: 64 },
      ...(big ? { input: { size: [32, 32] as [number, number] } } : {}),
      notes,
    };
  }
  const features = shape.reduce((a, b) => a * b, 1);
  const width = Math.min(256, Math.max(32, nextPow2(2 * Math.sqrt(features * data.numClasses))));
  return {
    model: { type: 'mlp', hidden: [width, width] },
    ...(shape.length > 1 ? { input: { flatten: true } } : {}),
    notes: [
      `student: an MLP with two hidden layers of ${width} (about twice the geometric mean of ${features} features and ${data.numClasses} classes, within 32..256).`,
    ],
  };
}

/**
 * Proposes a distillation config for `teacher` on `data`.
 *
 * @param data - What the data is.
 * @param teacher - What the teacher is.
 * @param name - The run's name.
 * @throws `SHAPE_MISMATCH` when the teacher's outputs are not the data's classes, or the data
 *   cannot be fed to the teacher; the message names both files and the fix.
 */
export function proposeConfig(data: DataFacts, teacher: TeacherFacts, name: string): Proposal {
  if (teacher.numClasses !== data.numClasses) {
    throw new DistillError(
      'SHAPE_MISMATCH',
      `The teacher ${teacher.path} outputs ${teacher.numClasses} values per example, but the data ${data.path} has ${data.numClasses} classes (${data.classNames.slice(0, 5).join(', ')}${data.numClasses > 5 ? ', ...' : ''}): use data with the teacher's classes, or a teacher trained on these ${data.numClasses}.`,
    );
  }
  const teacherView = viewFor(teacher.inputShape, data.inputShape);
  if (teacherView === null) {
    throw new DistillError(
      'SHAPE_MISMATCH',
      `The teacher ${teacher.path} takes inputs of shape ${shapeText(teacher.inputShape)}, but the data ${data.path} has examples of shape ${shapeText(data.inputShape)}, and no resize, channel change or flattening turns one into the other: use data of the teacher's input, or a teacher for this data.`,
    );
  }
  const s = student(data);
  const train = data.trainCount ?? 0;
  const batchSize = train > 0 && train < 5000 ? 64 : 128;
  const notes = [
    `data: ${data.description}; ${data.numClasses} classes (${data.classNames.slice(0, 8).join(', ')}${data.numClasses > 8 ? ', ...' : ''})${data.trainCount !== undefined ? `, ${data.trainCount} training and ${data.testCount ?? '?'} test examples` : ''}.`,
    `teacher: ${teacher.path}, input ${shapeText(teacher.inputShape)}, ${teacher.numClasses} outputs${teacher.params !== undefined ? `, ${teacher.params.toLocaleString('en-US')} parameters` : ''}.`,
    `teacher outputs: ${teacher.outputs.kind} (${teacher.outputs.reason})${teacher.outputs.kind === 'probabilities' ? '; they are turned into log-probabilities before temperature scaling' : ''}.`,
    teacherView === undefined
      ? 'teacher input: the data fits the teacher as it is.'
      : `teacher input: ${JSON.stringify(teacherView)}, so that the data fits the teacher's input ${shapeText(teacher.inputShape)}.`,
    ...(data.inputShape.length === 3
      ? [
          'teacher input scale: pixels are read into [0, 1]; if the teacher was trained on another range (such as [-1, 1]), set teacher.input.scale.',
        ]
      : []),
    ...s.notes,
    'distillation: Hinton KD, KL divergence of the logits at temperature 4, weight 0.7, with the student’s own cross-entropy at weight 0.3.',
    `training: 10 epochs of batches of ${batchSize}, Adam at 0.001; the student alone is trained too (baseline: true), with the same seed and budget, for comparison.`,
  ];
  const logits = (source: string): { type: 'LayerOutputs'; source: string } => ({
    type: 'LayerOutputs',
    source,
  });
  const config: RunConfig = {
    name,
    seed: 0,
    baseline: true,
    data: { source: data.source as SourceConfig },
    model: s.model,
    ...(s.input ? { input: s.input } : {}),
    teacher: {
      model: teacher.model,
      outputs: teacher.outputs.kind,
      ...(teacherView ? { input: teacherView } : {}),
    },
    distill: {
      studentRecorders: { logits: logits('logits') },
      teacherRecorders: { logits: logits(teacher.outputLayer) },
      distillLosses: { loss_kd: { type: 'KLDivergence', tau: 4, lossWeight: 0.7 } },
      lossForwardMappings: {
        loss_kd: {
          predsS: { recorder: 'logits', fromStudent: true },
          predsT: { recorder: 'logits', fromStudent: false },
        },
      },
    },
    train: {
      epochs: 10,
      batchSize,
      optimizer: { type: 'adam', learningRate: 0.001 },
      taskLossWeight: 0.3,
    },
  };
  return { config, notes };
}
