/**
 * One training run, end to end: data, models, the epoch loop with evaluation, metrics,
 * atomic checkpoints and resume, the final model, a summary and a plot.
 */
import type * as NodeFs from 'node:fs';
import type * as NodePath from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { DistillError } from '../errors.js';
import { fileError } from '../file-errors.js';
import { requireNodeBuiltin } from '../node-builtins.js';
import { batchCount } from '../data/batches.js';
import type { DataSource } from '../data/sources/source.js';
import { countParams } from '../models/params.js';
import { plotRunMetricsSvg } from '../report/run-plot.js';
import { fileSaver } from '../train/checkpoint-io.js';
import { saveCheckpoint } from '../train/checkpoint.js';
import type { CheckpointMeta } from '../train/checkpoint-format.js';
import { agreement, evaluateSplit, type SplitEvaluation } from '../train/evaluate-split.js';
import { inferenceMs } from '../train/inference-time.js';
import { MetricsLog, readMetrics } from '../train/metrics-log.js';
import { buildOptimizer, disposeOptimizer } from '../train/optimizer.js';
import { learningRateAt, setLearningRate } from '../train/schedule.js';
import type { CheckedRunConfig } from './check-run-config.js';
import { openRunData } from './open-data.js';
import { resumeRun } from './resume.js';
import { RunFiles } from './run-files.js';
import { setUpTraining, type TrainingSetup } from './training-setup.js';
import { withNext } from './with-next.js';

/** How a run reports progress; every member is optional. */
export interface RunObserver {
  /** An epoch starts with `steps` steps. */
  startEpoch?(epoch: number, epochs: number, steps: number): void;
  /** A step finished; `examples` counts this epoch's examples so far. */
  step?(step: number, loss: number, examples: number): void;
  /**
   * An epoch ended, with its metrics (the numbers of its metrics line) and the mean of each
   * loss term over its steps (`trainLosses` of the line).
   */
  endEpoch?(
    metrics: Readonly<Record<string, number>>,
    losses: Readonly<Record<string, number>>,
  ): void;
  /** A line worth telling the user. */
  log?(message: string): void;
}

/** Options of {@link runTraining}. */
export interface RunOptions {
  /** Where run directories go. */
  readonly runsDir: string;
  /** Base of relative paths in the config. */
  readonly baseDir: string;
  /** Continue from the run directory's newest checkpoint. */
  readonly resume?: boolean;
  /** Start over, deleting an existing run directory of the same name. */
  readonly force?: boolean;
  /** Progress callbacks. */
  readonly observer?: RunObserver;
  /** Aborting finishes the current step, writes a checkpoint and returns early. */
  readonly signal?: AbortSignal;
  /** The config as written, saved in the run directory (functions are noted, not saved). */
  readonly rawConfig?: unknown;
}

/** The figures of a finished (or interrupted) run. */
export interface RunSummary {
  /** The run's name. */
  readonly name: string;
  /** The run directory. */
  readonly runDir: string;
  /** Whether the run stopped early (aborted); resume it with `resume: true`. */
  readonly interrupted: boolean;
  /** Epochs completed. */
  readonly epochs: number;
  /** Test-set errors of the final model. */
  readonly testErrors: number;
  /** Test-set accuracy of the final model. */
  readonly testAccuracy: number;
  /** Test-set accuracy of the teacher, in a distillation. */
  readonly teacherTestAccuracy?: number;
  /** Fraction of test examples on which the final model predicts the teacher's class, in a distillation. */
  readonly teacherAgreement?: number;
  /** Test examples. */
  readonly testCount: number;
  /** Trainable parameters. */
  readonly params: number;
  /** Bytes of the saved model (model.json + weights). */
  readonly sizeBytes: number;
  /** Median milliseconds to predict one batch of (up to) 1000 test examples. */
  readonly inferenceMsPerBatch: number;
  /** Seconds spent training (this invocation). */
  readonly trainSeconds: number;
  /** The backend used. */
  readonly backend: string;
  /** The folder of the config file, which its relative paths start from (an export reopens its data). */
  readonly configDir?: string;
}

function jsonConfig(raw: unknown): string {
  return `${JSON.stringify(raw, (_k, v: unknown) => (typeof v === 'function' ? `[function ${(v as { name?: string }).name ?? ''}]` : v), 2)}\n`;
}

function dirBytes(dir: string): number {
  const fs = requireNodeBuiltin<typeof NodeFs>('node:fs', 'runs');
  return fs.readdirSync(dir).reduce((sum, f) => sum + fs.statSync(`${dir}/${f}`).size, 0);
}

function prepareRunDir(files: RunFiles, options: RunOptions): void {
  const fs = requireNodeBuiltin<typeof NodeFs>('node:fs', 'runs');
  try {
    const exists = fs.existsSync(files.dir) && fs.readdirSync(files.dir).length > 0;
    if (exists && !options.resume) {
      if (!options.force) {
        throw new DistillError(
          'INVALID_CONFIG',
          `The run directory ${files.dir} already exists. Pass --resume to continue it, --force to start over, or give the run another name.`,
        );
      }
      fs.rmSync(files.dir, { recursive: true, force: true });
    }
    fs.mkdirSync(files.checkpoints, { recursive: true });
  } catch (error) {
    throw fileError(error, 'create the run directory', files.dir);
  }
}

/** Writes a small file of the run directory, naming it when the write fails (a full disk, say). */
function writeRunFile(file: string, text: string): void {
  const fs = requireNodeBuiltin<typeof NodeFs>('node:fs', 'runs');
  try {
    fs.writeFileSync(file, text);
  } catch (error) {
    throw fileError(error, 'write', file);
  }
}

/**
 * In a distillation, the teacher's test accuracy and how often the student's predictions on the
 * test split agree with the teacher's (top-1); nothing without a teacher.
 */
function teacherFields(
  teacher: SplitEvaluation | undefined,
  student: SplitEvaluation,
): { teacherTestAccuracy?: number; teacherAgreement?: number } {
  if (teacher === undefined) return {};
  return {
    teacherTestAccuracy: teacher.accuracy,
    teacherAgreement: agreement(student.predictions, teacher.predictions),
  };
}

/**
 * Saves the model, the optimizer state and the connectors' weights as the checkpoint of
 * `meta.step`, then points latest.json at it.
 */
async function checkpoint(
  files: RunFiles,
  setup: TrainingSetup,
  optimizer: tf.Optimizer,
  meta: CheckpointMeta,
): Promise<void> {
  const dir = files.checkpoint(meta.step);
  await saveCheckpoint(setup.model, dir, meta, {
    optimizer,
    connectors: setup.distill?.distiller.connectors,
  });
  await files.commitLatest(dir);
}

/**
 * Trains the model of `config` (distilling it from the teacher, if the config has one) on
 * its data (MNIST unless the config names a source), writing everything to `<runsDir>/<name>`.
 *
 * @throws `INVALID_CONFIG` and friends for problems found before anything is written.
 */
export async function runTraining(
  config: CheckedRunConfig,
  options: RunOptions,
): Promise<RunSummary> {
  const path = requireNodeBuiltin<typeof NodePath>('node:path', 'runs');
  const observer = options.observer ?? {};
  const data: DataSource = await openRunData(config, options.baseDir);
  const setup = await setUpTraining(config, options.baseDir, data);
  let optimizer: tf.Optimizer | undefined;
  let log: MetricsLog | undefined;
  try {
    const files = new RunFiles(path.resolve(options.runsDir, config.name));
    const latest = options.resume ? new RunFiles(files.dir).readLatest() : undefined;
    if (options.resume && latest === undefined) {
      observer.log?.(`No checkpoint in ${files.dir} yet: starting from the beginning.`);
    }
    const { train } = config;
    optimizer = buildOptimizer(train.optimizer, 'train.optimizer');
    let step = 0;
    let startEpoch = 0;
    let skipBatches = 0;
    if (latest !== undefined) {
      // Before anything is written: a checkpoint that does not fit the config leaves the run
      // directory as it was, config.json included.
      ({
        step,
        epoch: startEpoch,
        batchInEpoch: skipBatches,
      } = await resumeRun(latest, {
        setup,
        optimizer,
        train: data.train,
        batchSize: train.batchSize,
        seed: config.seed,
        log: observer.log?.bind(observer),
      }));
      observer.log?.(`Resuming ${config.name} at epoch ${startEpoch + 1}, step ${step}.`);
    }
    const evalOptions = {
      numClasses: data.numClasses,
      batchSize: train.evalBatchSize,
      name: config.name,
    };
    // Once a run (resumed runs again, so their lines have it too): the teacher is frozen, and its
    // predictions are what every epoch's agreement compares the student's with.
    const teacherTest: SplitEvaluation | undefined = setup.teacherPredict
      ? await evaluateSplit(setup.teacherPredict, data.test, {
          ...evalOptions,
          name: 'the teacher',
        })
      : undefined;
    prepareRunDir(files, options);
    observer.log?.(`Data: ${data.description}.`);
    // Detection can guess wrong (from values, say): tell the user what was decided, and why.
    const outputs = setup.teacherOutputs;
    if (outputs) {
      observer.log?.(
        `Teacher outputs ${outputs.kind}: ${outputs.reason}${outputs.kind === 'probabilities' ? '; distilled from their logarithms' : ''}.`,
      );
    }
    // A run killed while writing leaves temporary files; the writes they belonged to are void.
    files.removeTempFiles();
    writeRunFile(files.config, jsonConfig(options.rawConfig ?? config));
    // Lines past the checkpoint (all of them, when a resumed run found none) are cut, so a
    // run that starts again never repeats an epoch's line.
    log = await MetricsLog.open(files.metrics, { resumeAfterStep: step });
    const steps =
      data.train.count === undefined ? Number.NaN : batchCount(data.train.count, train.batchSize);
    const started = performance.now();
    let interrupted = false;
    let skippedSoFar = 0;
    let epoch = startEpoch;
    for (; epoch < train.epochs && !interrupted; epoch++) {
      observer.startEpoch?.(epoch, train.epochs, steps);
      let lossSum = 0;
      let seen = 0;
      // Each named loss summed over the examples, as the total is, so their means add up to it.
      const termSums = new Map<string, number>();
      const rateAt = (at: number): number =>
        learningRateAt(train.schedule, train.optimizer.learningRate, at, train.epochs);
      // The rate of the epoch's last step (of its start, should no step run in this invocation).
      let rate = rateAt(epoch);
      let batchIndex = 0;
      const epochStart = performance.now();
      for await (const [batch, next] of withNext(
        data.train.batches({ batchSize: train.batchSize, seed: config.seed, epoch }),
      )) {
        if (batchIndex++ < skipBatches) {
          tf.dispose([batch.x, batch.y]);
          continue;
        }
        try {
          // The rate follows the schedule within the epoch too (a warm-up starts above zero).
          rate = rateAt(epoch + (Number.isFinite(steps) ? batchIndex / steps : 0));
          setLearningRate(optimizer, rate);
          const losses = await setup.step(optimizer, batch.x, batch.y, next);
          step++;
          lossSum += losses.loss! * batch.size;
          for (const [name, value] of Object.entries(losses)) {
            termSums.set(name, (termSums.get(name) ?? 0) + value * batch.size);
          }
          seen += batch.size;
          observer.step?.(batchIndex, lossSum / seen, seen);
        } finally {
          tf.dispose([batch.x, batch.y]);
        }
        // Most steps are synchronous: give the event loop a turn, or an abort from a signal handler
        // (Ctrl-C) would only be seen at the end of the epoch.
        if (options.signal) await new Promise<void>((resolve) => setImmediate(resolve));
        if (options.signal?.aborted && !(batchIndex >= steps)) {
          // Stop mid-epoch: keep the position, so a resumed run skips the batches done.
          interrupted = true;
          setup.dropPending();
          await checkpoint(files, setup, optimizer, {
            epoch,
            step,
            seed: config.seed,
            extra: { batchInEpoch: batchIndex },
          });
          observer.log?.(
            `Interrupted in epoch ${epoch + 1} at step ${step}: checkpoint written; continue with --resume.`,
          );
          break;
        }
      }
      if (interrupted) break;
      skipBatches = 0;
      const val = data.validation
        ? await evaluateSplit(setup.predict, data.validation, evalOptions)
        : undefined;
      const test = await evaluateSplit(setup.predict, data.test, evalOptions);
      const trainLosses = Object.fromEntries(
        [...termSums].map(([name, sum]) => [name, seen > 0 ? sum / seen : Number.NaN]),
      );
      const metrics: Record<string, number> = {
        trainLoss: seen > 0 ? lossSum / seen : Number.NaN,
        learningRate: rate,
        ...(val ? { valLoss: val.loss, valAccuracy: val.accuracy, valErrors: val.errors } : {}),
        testLoss: test.loss,
        testAccuracy: test.accuracy,
        testErrors: test.errors,
        ...teacherFields(teacherTest, test),
        seconds: (performance.now() - epochStart) / 1000,
      };
      // The loss terms right after their total, for a reader of the file.
      if ((data.skipped ?? 0) > skippedSoFar) {
        skippedSoFar = data.skipped!;
        observer.log?.(`Skipped ${skippedSoFar} unreadable example(s) so far (skipBad).`);
      }
      log.write({
        epoch: epoch + 1,
        step,
        split: 'epoch',
        trainLoss: metrics.trainLoss!,
        trainLosses,
        ...metrics,
      });
      observer.endEpoch?.(metrics, trainLosses);
      await checkpoint(files, setup, optimizer, {
        epoch: epoch + 1,
        step,
        seed: config.seed,
        metrics: Object.fromEntries(Object.entries(metrics).filter(([, v]) => Number.isFinite(v))),
      });
      if (options.signal?.aborted && epoch + 1 < train.epochs) {
        interrupted = true;
        observer.log?.(
          `Interrupted after epoch ${epoch + 1}: checkpoint written; continue with --resume.`,
        );
      }
    }
    const trainSeconds = (performance.now() - started) / 1000;
    await setup.model.save(fileSaver(files.model));
    const test = await evaluateSplit(setup.predict, data.test, evalOptions);
    const summary: RunSummary = {
      name: config.name,
      runDir: files.dir,
      interrupted,
      epochs: Math.min(epoch, train.epochs),
      testErrors: test.errors,
      testAccuracy: test.accuracy,
      ...teacherFields(teacherTest, test),
      testCount: test.count,
      params: countParams(setup.model, 'trainable'),
      sizeBytes: dirBytes(files.model),
      inferenceMsPerBatch: await inferenceMs(setup.predict, data.test),
      trainSeconds,
      backend: setup.backend,
      configDir: path.resolve(options.baseDir),
    };
    writeRunFile(files.summary, `${JSON.stringify(summary, null, 2)}\n`);
    log.close();
    const records = await readMetrics(files.metrics);
    writeRunFile(files.plot, plotRunMetricsSvg([{ name: config.name, records }]));
    return summary;
  } finally {
    log?.close();
    if (optimizer) disposeOptimizer(optimizer);
    await setup.dispose();
  }
}
