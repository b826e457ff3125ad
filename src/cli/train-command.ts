/**
 * `tfjs-distill train <config>`: one run, with a progress bar, SIGINT handling and a summary.
 */
import { checkRunConfig } from '../run/check-run-config.js';
import { runTraining, type RunSummary } from '../run/run-training.js';
import { ProgressReporter } from './progress.js';
import { loadConfigFile, type LoadedConfig } from './load-config.js';
import { UsageError } from './cli-error.js';

/** Options of the train command. */
export interface TrainCommandOptions {
  readonly runsDir: string;
  readonly resume: boolean;
  readonly force: boolean;
  readonly overrides: {
    readonly seed?: number;
    readonly epochs?: number;
    readonly backend?: string;
    readonly name?: string;
    /** Run the teacher in a worker thread (`teacher.runInWorker: true`). */
    readonly teacherInWorker?: boolean;
  };
  /** Where progress goes (default stderr, each line labelled with the run's name). */
  readonly progress?: ProgressReporter;
}

/** The config as written, with the command line's overrides (seed, epochs, backend, name, worker). */
export function applyOverrides(raw: unknown, overrides: TrainCommandOptions['overrides']): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const out: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  if (overrides.seed !== undefined) out.seed = overrides.seed;
  if (overrides.backend !== undefined) out.backend = overrides.backend;
  if (overrides.name !== undefined) out.name = overrides.name;
  if (overrides.teacherInWorker === true) {
    const teacher = out.teacher;
    if (typeof teacher !== 'object' || teacher === null || Array.isArray(teacher)) {
      throw new UsageError(
        "--teacher-in-worker runs a distillation's teacher in a worker thread, but the config has no teacher.",
      );
    }
    out.teacher = { ...(teacher as Record<string, unknown>), runInWorker: true };
  }
  if (overrides.epochs !== undefined) {
    out.train = {
      ...(out.train ?? {}),
      epochs: overrides.epochs,
    };
  }
  return out;
}

/** Runs one config (a file, or one already loaded); SIGINT finishes the step, writes a checkpoint and returns. */
export async function trainCommand(
  configPath: string | LoadedConfig | undefined,
  options: TrainCommandOptions,
): Promise<RunSummary> {
  if (configPath === undefined)
    throw new UsageError('train needs a config file: tfjs-distill train <config.json|.mjs|.ts>');
  const loaded = typeof configPath === 'string' ? await loadConfigFile(configPath) : configPath;
  const raw = applyOverrides(loaded.raw, options.overrides);
  const config = checkRunConfig(raw, loaded.defaultName);
  const progress = options.progress ?? new ProgressReporter({ label: config.name });
  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(130);
    progress.log(
      'Interrupted: finishing the step and writing a checkpoint (Ctrl-C again to quit now).',
    );
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    return await runTraining(config, {
      runsDir: options.runsDir,
      baseDir: loaded.baseDir,
      resume: options.resume,
      force: options.force,
      signal: controller.signal,
      rawConfig: raw,
      observer: {
        startEpoch: (epoch, epochs, steps) => progress.startEpoch(epoch, epochs, steps),
        step: (step, loss, examples) => progress.update(step, { loss, examples }),
        endEpoch: (m) =>
          progress.endEpoch(
            {
              'test errors': m.testErrors!,
              // Distillations: how often the student predicts the teacher's class.
              ...(m.teacherAgreement === undefined
                ? {}
                : { agree: `${(m.teacherAgreement * 100).toFixed(1)}%` }),
            },
            {
              // Validation digits when the run keeps some apart, else the test digits.
              accuracy:
                m.valAccuracy !== undefined
                  ? { name: 'val acc', value: m.valAccuracy }
                  : { name: 'test acc', value: m.testAccuracy! },
            },
          ),
        log: (message) => progress.log(message),
      },
    });
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** Formats a run's summary as a few lines. */
export function formatSummary(s: RunSummary): string {
  return [
    `${s.name}: ${s.testErrors} test errors of ${s.testCount} (${(s.testAccuracy * 100).toFixed(2)}%) after ${s.epochs} epoch(s)${s.interrupted ? ' (interrupted; resume with --resume)' : ''}`,
    `  ${s.params.toLocaleString('en-US')} parameters, ${(s.sizeBytes / 1024).toFixed(0)} KiB on disk, ${s.inferenceMsPerBatch.toFixed(1)} ms per batch of 1000, trained ${s.trainSeconds.toFixed(0)} s on ${s.backend}`,
    `  run directory: ${s.runDir}`,
  ].join('\n');
}
