/**
 * Validates a run config before anything runs, naming every problem by its key path
 * (`train.optimizer.learningRate`), and fills in the defaults.
 */
import { DistillError, DistillTypeError, describeValue } from '../errors.js';
import { closest, isPlainObject, rejectUnknownKeys } from '../config/validate.js';
import { LABEL_ASSIGNERS, type LabelAssignerName } from '../models/label-assigners.js';
import type { AugmentConfig } from '../augment/augment-registry.js';
import { resolveOptimizerConfig, type ResolvedOptimizerConfig } from '../train/optimizer.js';
import { learningRateAt, resolveScheduleConfig, type ScheduleConfig } from '../train/schedule.js';
import { checkView, type ViewConfig } from '../data/view.js';
import {
  MODEL_TYPES,
  RUN_BACKENDS,
  SOURCE_TYPES,
  TEACHER_MODEL_TYPES,
  TEACHER_OUTPUT_KINDS,
  type SourceConfig,
  type DistillConfig,
  type ModelConfig,
  type RunBackend,
  type RunConfig,
  type TeacherConfig,
} from './run-config.js';

/** A run config with every default filled in. */
export interface CheckedRunConfig {
  readonly name: string;
  readonly seed: number;
  readonly backend: RunBackend;
  readonly data: {
    readonly source: SourceConfig | undefined;
    readonly dir: string | undefined;
    readonly trainLimit: number | undefined;
    readonly validationSize: number;
    readonly testLimit: number | undefined;
  };
  readonly model: ModelConfig;
  readonly input: ViewConfig | undefined;
  readonly teacher: TeacherConfig | undefined;
  readonly distill: DistillConfig | undefined;
  readonly baseline: boolean;
  readonly train: {
    readonly epochs: number;
    readonly batchSize: number;
    readonly optimizer: ResolvedOptimizerConfig;
    readonly schedule: ScheduleConfig;
    readonly augments: AugmentConfig | readonly AugmentConfig[] | undefined;
    readonly labelAssigner: LabelAssignerName | undefined;
    readonly taskLossWeight: number;
    readonly evalBatchSize: number;
  };
}

function bad(path: string, expected: string, value: unknown): never {
  const error = typeof value === 'number' || value === undefined ? DistillError : DistillTypeError;
  throw new error(
    'INVALID_CONFIG',
    `Expected ${path} to be ${expected}, but got ${describeValue(value)}.`,
  );
}

function object(value: unknown, path: string, keys: readonly string[]): Record<string, unknown> {
  if (!isPlainObject(value)) bad(path, 'an object', value);
  rejectUnknownKeys(value, keys, path);
  return value;
}

function int(
  value: unknown,
  path: string,
  fallback: number | undefined,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    bad(path, `an integer from ${min} to ${max}`, value);
  }
  return value;
}

function num(
  value: unknown,
  path: string,
  fallback: number,
  min: number,
  max: number,
  minOpen = false,
): number {
  if (value === undefined) return fallback;
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < min ||
    (minOpen && value === min) ||
    value >= max
  ) {
    bad(path, `a number ${minOpen ? '>' : '>='} ${min} and < ${max}`, value);
  }
  return value;
}

function oneOf<T extends string>(
  value: unknown,
  path: string,
  allowed: readonly T[],
  fallback?: T,
): T {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    const near = typeof value === 'string' ? closest(value, allowed) : undefined;
    throw new DistillError(
      'INVALID_CONFIG',
      `Expected ${path} to be one of ${allowed.join(', ')}, but got ${describeValue(value)}.` +
        (near ? ` Perhaps you meant "${near}"?` : ''),
    );
  }
  return value as T;
}

/** The activations tfjs layers know by name. */
const ACTIVATIONS = [
  'relu',
  'relu6',
  'elu',
  'selu',
  'gelu',
  'swish',
  'mish',
  'sigmoid',
  'hardSigmoid',
  'tanh',
  'softplus',
  'softsign',
  'linear',
] as const;

function checkModel(
  value: unknown,
  path: string,
  types: readonly string[] = MODEL_TYPES,
): ModelConfig {
  if (typeof value === 'function') return value as ModelConfig;
  if (!isPlainObject(value))
    bad(path, 'a model config { type, ... } or a function returning a tfjs model', value);
  const type = oneOf(value.type, `${path}.type`, types);
  if (type === 'graph' || type === 'onnx') {
    object(
      value,
      path,
      type === 'graph'
        ? ['type', 'path', 'outputNode', 'nodes']
        : ['type', 'path', 'outputName', 'nodes', 'intraOpNumThreads', 'layout'],
    );
    if (typeof value.path !== 'string' || value.path === '')
      bad(
        `${path}.path`,
        `the path of ${type === 'graph' ? 'a model.json' : 'an .onnx file'}`,
        value.path,
      );
    if (
      value.nodes !== undefined &&
      (!Array.isArray(value.nodes) || !value.nodes.every((n) => typeof n === 'string' && n !== ''))
    )
      bad(`${path}.nodes`, 'an array of node names', value.nodes);
    if (type === 'onnx') {
      int(value.intraOpNumThreads, `${path}.intraOpNumThreads`, undefined, 1, 256);
      if (value.layout !== undefined)
        oneOf(value.layout, `${path}.layout`, ['auto', 'NCHW', 'asis']);
    }
    return value as ModelConfig;
  }
  if (type === 'saved') {
    object(value, path, ['type', 'path']);
    if (typeof value.path !== 'string' || value.path === '')
      bad(`${path}.path`, 'the path of a saved model or checkpoint', value.path);
  } else if (type === 'mlp') {
    object(value, path, [
      'type',
      'hidden',
      'dropout',
      'inputDropout',
      'activation',
      'inputSize',
      'inputShape',
      'numClasses',
      'namePrefix',
    ]);
    if (!Array.isArray(value.hidden) || value.hidden.length === 0)
      bad(`${path}.hidden`, 'a non-empty array of layer widths, e.g. [800, 800]', value.hidden);
    (value.hidden as unknown[]).forEach((w, i) =>
      int(w, `${path}.hidden[${i}]`, undefined, 1, 100_000),
    );
    num(value.dropout, `${path}.dropout`, 0, 0, 1);
    num(value.inputDropout, `${path}.inputDropout`, 0, 0, 1);
  } else if (type === 'smallCnn') {
    object(value, path, [
      'type',
      'filters',
      'kernelSize',
      'hidden',
      'dropout',
      'activation',
      'inputSize',
      'inputShape',
      'numClasses',
    ]);
  } else {
    object(value, path, ['type']);
  }
  if ('activation' in value && value.activation !== undefined) {
    oneOf(value.activation, `${path}.activation`, ACTIVATIONS);
  }
  return value as ModelConfig;
}

function checkBaseline(value: unknown, distills: boolean): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') bad('baseline', 'true or false', value);
  if (value && !distills) {
    throw new DistillError(
      'INVALID_CONFIG',
      'baseline trains the student alone beside a distillation, but the config has no teacher: remove baseline, or add teacher and distill.',
    );
  }
  return value;
}

/** A data source: `{ type, ...options }` of a known type, an object of splits, or a function. */
function checkSource(value: unknown): SourceConfig | undefined {
  if (value === undefined || typeof value === 'function') return value as SourceConfig | undefined;
  if (!isPlainObject(value) && (typeof value !== 'object' || value === null))
    bad('data.source', 'a data source { type, ... }', value);
  const v = value as Record<string, unknown>;
  const isSource =
    typeof v.train === 'object' &&
    v.train !== null &&
    typeof (v.train as { batches?: unknown }).batches === 'function';
  if (isSource) return value as SourceConfig;
  oneOf(v.type, 'data.source.type', SOURCE_TYPES);
  return value as SourceConfig;
}

function checkAugments(
  value: unknown,
  path: string,
): AugmentConfig | readonly AugmentConfig[] | undefined {
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? (value as unknown[]) : [value];
  list.forEach((c, i) => {
    const where = Array.isArray(value) ? `${path}[${i}]` : path;
    if (!isPlainObject(c)) bad(where, 'an augment config { type, alpha, numClasses, prob }', c);
  });
  return value as AugmentConfig | readonly AugmentConfig[];
}

function checkTrain(value: unknown): CheckedRunConfig['train'] {
  const t =
    value === undefined
      ? {}
      : object(value, 'train', [
          'epochs',
          'batchSize',
          'optimizer',
          'schedule',
          'augments',
          'labelAssigner',
          'taskLossWeight',
          'evalBatchSize',
        ]);
  const optimizer = resolveOptimizerConfig(t.optimizer ?? { type: 'adam' }, 'train.optimizer');
  const schedule = resolveScheduleConfig(t.schedule, 'train.schedule');
  const epochs = int(t.epochs, 'train.epochs', 10, 1, 10_000)!;
  // Settings that depend on the length of training are checked now, not after an epoch.
  try {
    learningRateAt(schedule, optimizer.learningRate, 0, epochs);
  } catch (error) {
    if (!(error instanceof DistillError)) throw error;
    throw new DistillError('INVALID_CONFIG', `${error.message} (at train.schedule)`, {
      cause: error,
    });
  }
  return {
    epochs,
    batchSize: int(t.batchSize, 'train.batchSize', 128, 1, 60_000)!,
    optimizer,
    schedule,
    augments: checkAugments(t.augments, 'train.augments'),
    labelAssigner:
      t.labelAssigner === undefined
        ? undefined
        : oneOf(t.labelAssigner, 'train.labelAssigner', LABEL_ASSIGNERS),
    taskLossWeight: num(t.taskLossWeight, 'train.taskLossWeight', 1, 0, 1e6),
    evalBatchSize: int(t.evalBatchSize, 'train.evalBatchSize', 1000, 1, 60_000)!,
  };
}

/**
 * Checks a run config and fills in its defaults.
 *
 * @param raw - The config as loaded.
 * @param defaultName - The run's name when the config has none (e.g. the file's base name).
 * @throws `INVALID_CONFIG` / `UNKNOWN_TYPE` naming the key path of the first problem.
 */
export function checkRunConfig(raw: unknown, defaultName: string): CheckedRunConfig {
  const c = object(raw, 'config', [
    'name',
    'seed',
    'backend',
    'data',
    'model',
    'input',
    'teacher',
    'distill',
    'train',
    'baseline',
  ]) as RunConfig & Record<string, unknown>;
  const name = c.name ?? defaultName;
  if (typeof name !== 'string' || !/^[A-Za-z0-9][\w.-]{0,99}$/.test(name)) {
    bad('name', 'a run name of letters, digits, ".", "_" and "-"', name);
  }
  const d =
    c.data === undefined
      ? {}
      : object(c.data, 'data', ['source', 'dir', 'trainLimit', 'validationSize', 'testLimit']);
  if (d.dir !== undefined && (typeof d.dir !== 'string' || d.dir === ''))
    bad('data.dir', 'a folder path', d.dir);
  const source = checkSource(d.source);
  if (source !== undefined) {
    const mnistKey = ['dir', 'trainLimit', 'validationSize', 'testLimit'].find((k) => k in d);
    if (mnistKey !== undefined) {
      throw new DistillError(
        'INVALID_CONFIG',
        `data.${mnistKey} is an option of the MNIST data, but the config names data.source: give it as an option of the source (data.source.${mnistKey}, for { "type": "mnist" }) or remove it.`,
      );
    }
  }
  if (c.model === undefined)
    throw new DistillError(
      'INVALID_CONFIG',
      'The config has no model: add model, e.g. { "type": "mlp", "hidden": [800, 800] }.',
    );
  let teacher: TeacherConfig | undefined;
  if (c.teacher !== undefined) {
    const t = object(c.teacher, 'teacher', [
      'model',
      'augments',
      'labelAssigner',
      'runInWorker',
      'input',
      'outputs',
    ]);
    if (t.runInWorker !== undefined && typeof t.runInWorker !== 'boolean') {
      bad('teacher.runInWorker', 'true or false', t.runInWorker);
    }
    teacher = {
      model: checkModel(t.model, 'teacher.model', TEACHER_MODEL_TYPES),
      augments: checkAugments(t.augments, 'teacher.augments'),
      labelAssigner:
        t.labelAssigner === undefined
          ? undefined
          : oneOf(t.labelAssigner, 'teacher.labelAssigner', LABEL_ASSIGNERS),
      runInWorker: t.runInWorker ?? false,
      input: checkView(t.input, 'teacher.input'),
      outputs: oneOf(t.outputs, 'teacher.outputs', TEACHER_OUTPUT_KINDS, 'auto'),
    };
  }
  let distill: DistillConfig | undefined;
  if (c.distill !== undefined) {
    distill = object(c.distill, 'distill', [
      'studentRecorders',
      'teacherRecorders',
      'distillDeliveries',
      'connectors',
      'distillLosses',
      'lossForwardMappings',
      'calculateStudentLoss',
    ]);
    if (
      distill.calculateStudentLoss !== undefined &&
      typeof distill.calculateStudentLoss !== 'boolean'
    ) {
      bad('distill.calculateStudentLoss', 'true or false', distill.calculateStudentLoss);
    }
  }
  const teacherType = (teacher?.model as { type?: unknown } | undefined)?.type;
  if (teacherType === 'graph' && teacher?.runInWorker) {
    throw new DistillError(
      'INVALID_CONFIG',
      'teacher.runInWorker cannot run a GraphModel teacher in a worker thread: remove teacher.runInWorker (the GraphModel runs on this thread).',
    );
  }
  if ((teacher === undefined) !== (distill === undefined)) {
    throw new DistillError(
      'INVALID_CONFIG',
      teacher
        ? 'The config has a teacher but no distill section: add distill (recorders, losses, mappings) or remove teacher.'
        : 'The config has a distill section but no teacher: add teacher.model.',
    );
  }
  return {
    name,
    seed: int(c.seed, 'seed', 0, 0, 2 ** 31 - 1)!,
    backend: oneOf(c.backend, 'backend', RUN_BACKENDS, 'auto'),
    data: {
      source,
      dir: d.dir,
      trainLimit: int(d.trainLimit, 'data.trainLimit', undefined, 10, 60_000),
      validationSize: int(d.validationSize, 'data.validationSize', 5000, 0, 50_000)!,
      testLimit: int(d.testLimit, 'data.testLimit', undefined, 1, 10_000),
    },
    model: checkModel(c.model, 'model'),
    input: checkView(c.input, 'input'),
    teacher,
    distill,
    baseline: checkBaseline(c.baseline, teacher !== undefined),
    train: checkTrain(c.train),
  };
}
