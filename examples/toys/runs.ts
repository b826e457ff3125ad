/**
 * What the run examples share: the repository's test fixtures, a scratch folder for run
 * directories (removed when the process exits), plain logit distillation, and a run that
 * trains a teacher first and then distills a student from it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import {
  Augments,
  checkRunConfig,
  runTraining,
  type DataConfig,
  type DistillConfig,
  type ModelConfig,
  type RunConfig,
  type RunSummary,
  type TrainConfig,
} from 'tfjs-distill';

/** The path of a file or folder under test/fixtures (examples compile to build/examples/toys). */
export function fixture(relative: string): string {
  return fileURLToPath(new URL(`../../../test/fixtures/${relative}`, import.meta.url));
}

const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-distill-example-'));
process.on('exit', () => fs.rmSync(runsDir, { recursive: true, force: true }));

/** What a run printed and how it ended. */
export interface RunResult {
  readonly summary: RunSummary;
  /** The run's log lines, such as `Data: ...` and `Teacher outputs ...`. */
  readonly log: readonly string[];
  /** The training loss of each epoch. */
  readonly trainLoss: readonly number[];
}

/** Checks `config` and trains it, in the scratch folder, collecting its log. */
export async function run(config: RunConfig): Promise<RunResult> {
  const log: string[] = [];
  const trainLoss: number[] = [];
  const summary = await runTraining(checkRunConfig(config, config.name ?? 'run'), {
    runsDir,
    baseDir: runsDir,
    observer: { log: (line) => log.push(line), endEpoch: (m) => trainLoss.push(m.trainLoss!) },
  });
  return { summary, log, trainLoss };
}

/** The one log line that starts with `prefix`. */
export function logLine(result: RunResult, prefix: string): string {
  return result.log.find((line) => line.startsWith(prefix)) ?? `(no "${prefix}" line)`;
}

/**
 * Hinton's KD on the logits, the student's task loss counting 0.3 (set in `train`). With
 * `mixup`, the student gets the teacher's mixed batch through a delivery that keeps
 * `maxKeepData` batches (2 when the teacher runs one batch ahead).
 */
export function logitsKd(mixup?: { readonly maxKeepData: number }): DistillConfig {
  return {
    studentRecorders: { logits: { type: 'LayerOutputs', source: 'logits' } },
    teacherRecorders: { logits: { type: 'LayerOutputs', source: 'logits' } },
    ...(mixup && {
      distillDeliveries: [
        {
          type: 'MethodOutputs',
          maxKeepData: mixup.maxKeepData,
          methodPath: { cls: Augments, name: 'call' },
        },
      ],
    }),
    distillLosses: { loss_kd: { type: 'KLDivergence', tau: 4, lossWeight: 0.7 } },
    lossForwardMappings: {
      loss_kd: {
        predsS: { recorder: 'logits', fromStudent: true },
        predsT: { recorder: 'logits', fromStudent: false },
      },
    },
  };
}

/** Options of {@link trainThenDistill}. */
export interface TrainThenDistillOptions {
  readonly name: string;
  readonly data: DataConfig;
  readonly teacher: ModelConfig;
  readonly student: ModelConfig;
  readonly train: TrainConfig;
  /** What each model sees of a batch (see `ViewConfig`). */
  readonly teacherInput?: RunConfig['input'];
  readonly studentInput?: RunConfig['input'];
  /** Mix batches (BatchMixup) for both models, aligned by a delivery. */
  readonly mixupClasses?: number;
}

/** The teacher's run, the student's, and the tensors left behind by both. */
export interface TrainThenDistillResult {
  readonly teacher: RunResult;
  readonly student: RunResult;
  readonly leaked: number;
}

/**
 * Trains a teacher alone on `data`, then distills a student from the saved teacher on the
 * same data: two runs, as `tfjs-distill train` would do them one after the other.
 */
export async function trainThenDistill(
  options: TrainThenDistillOptions,
): Promise<TrainThenDistillResult> {
  const before = tf.memory().numTensors;
  const teacher = await run({
    name: `${options.name}-teacher`,
    seed: 1,
    data: options.data,
    model: options.teacher,
    input: options.teacherInput,
    train: options.train,
  });
  const mix =
    options.mixupClasses === undefined
      ? undefined
      : ({ type: 'BatchMixup', alpha: 0.4, numClasses: options.mixupClasses } as const);
  const student = await run({
    name: `${options.name}-student`,
    seed: 2,
    data: options.data,
    model: options.student,
    input: options.studentInput,
    teacher: {
      model: { type: 'saved', path: path.join(teacher.summary.runDir, 'model') },
      input: options.teacherInput,
      augments: mix,
    },
    distill: logitsKd(mix && { maxKeepData: 1 }),
    train: { ...options.train, taskLossWeight: 0.3, augments: mix },
  });
  return { teacher, student, leaked: tf.memory().numTensors - before };
}

/** `N test errors of M`. */
export function errors(summary: RunSummary): string {
  return `${summary.testErrors} test errors of ${summary.testCount}`;
}
