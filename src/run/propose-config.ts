/**
 * The config `tfjs-distill init` writes: a student sized from the data, the teacher's view of
 * the data, and distillation defaults, each choice with a line that says why.
 */
import type { ViewConfig } from '../data/view.js';
import { DistillError } from '../errors.js';
import type {
  ModelConfig,
  RunConfig,
  SourceConfig,
  TeacherModelConfig,
  TeacherOutputKind,
} from './run-config.js';

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
  readonly model: TeacherModelConfig;
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
function student(
  data: DataFacts,
  teacherParams: number | undefined,
): { model: ModelConfig; input?: ViewConfig; notes: string[] } {
  let shape = data.inputShape;
  let input: ViewConfig | undefined;
  const notes: string[] = [];
  if (shape.length === 3) {
    // A small CNN would fit images better, but tfjs trains convolutions on the cpu backend only
    // (wasm has no convolution gradients), about 70 times slower than a dense student on wasm
    // (docs/performance.md): a flattened MLP is the student that trains in minutes.
    const [h, w, c] = shape as [number, number, number];
    const big = Math.max(h, w) > 32;
    input = big ? { size: [32, 32], flatten: true } : { flatten: true };
    if (big) shape = [32, 32, c];
    notes.push(
      `student input: ${h}x${w}x${c} images${big ? ', resized to 32x32,' : ''} flattened for a dense student, which trains about 70 times faster than a CNN in tfjs on a CPU; for a CNN set "model": { "type": "smallCnn" } and remove "input".`,
    );
  }
  const features = shape.reduce((a, b) => a * b, 1);
  const k = data.numClasses;
  const mlpParams = (w: number): number => features * w + w + w * w + w + w * k + k;
  // About twice the geometric mean of features and classes, within 32..256; then halved until
  // the student has at most half the teacher's parameters (a student should be smaller).
  let width = Math.min(256, Math.max(32, nextPow2(2 * Math.sqrt(features * k))));
  const budget = teacherParams === undefined ? Infinity : teacherParams / 2;
  while (width > 8 && mlpParams(width) > budget) width /= 2;
  return {
    model: { type: 'mlp', hidden: [width, width] },
    ...(input ? { input } : {}),
    notes: [
      ...notes,
      `student: an MLP with two hidden layers of ${width}, ${mlpParams(width).toLocaleString('en-US')} parameters (about twice the geometric mean of ${features} features and ${k} classes, within 32..256${teacherParams === undefined ? '' : ', and at most half the teacher’s'}).`,
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
  const s = student(data, teacher.params);
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
