/**
 * `tfjs-distill train` of a config with `"baseline": true`: the teacher evaluated on the test
 * split, the student trained alone and the student distilled, with the same seed, data and
 * budget, and the table that sets the three side by side.
 */
import type * as NodeFs from 'node:fs';
import type * as NodePath from 'node:path';
import { requireNodeBuiltin } from '../node-builtins.js';
import { checkRunConfig, type CheckedRunConfig } from '../run/check-run-config.js';
import { evaluateModel } from '../run/evaluate-model.js';
import { openRunData } from '../run/open-data.js';
import type { RunSummary } from '../run/run-training.js';
import { comparisonTable, runRow } from './compare-table.js';
import type { LoadedConfig } from './load-config.js';
import { ProgressReporter, formatDuration, type ProgressStream } from './progress.js';
import {
  applyOverrides,
  formatSummary,
  trainCommand,
  type TrainCommandOptions,
} from './train-command.js';

/** Bytes of the files of the model a teacher config names (its folder, or its file's folder). */
function modelBytes(config: CheckedRunConfig, baseDir: string): number | undefined {
  const m = config.teacher?.model;
  if (typeof m !== 'object' || !('path' in m)) return undefined;
  const fs = requireNodeBuiltin<typeof NodeFs>('node:fs', 'train');
  const path = requireNodeBuiltin<typeof NodePath>('node:path', 'train');
  const full = path.resolve(baseDir, m.path);
  if (!fs.existsSync(full)) return undefined;
  if (!fs.statSync(full).isDirectory()) {
    if (m.type === 'onnx') return fs.statSync(full).size;
    return modelBytesIn(path.dirname(full), fs, path);
  }
  return modelBytesIn(full, fs, path);
}

function modelBytesIn(dir: string, fs: typeof NodeFs, path: typeof NodePath): number {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json') || f.endsWith('.bin'))
    .reduce((sum, f) => sum + fs.statSync(path.join(dir, f)).size, 0);
}

/** The config of the student trained alone beside a distillation: no teacher, its own loss only. */
function aloneConfig(raw: Record<string, unknown>, name: string): Record<string, unknown> {
  const { teacher: _t, distill: _d, baseline: _b, ...rest } = raw;
  const train = { ...((raw.train as Record<string, unknown> | undefined) ?? {}) };
  delete train.taskLossWeight;
  return { ...rest, name: `${name}-alone`, train };
}

/**
 * Trains `loaded` with its baseline: evaluates the teacher, trains the student alone, then
 * distills. Returns the lines to print: each run's summary, the table and the run folders.
 */
export async function compareCommand(
  loaded: LoadedConfig,
  options: TrainCommandOptions & { readonly stream?: ProgressStream },
): Promise<string> {
  const raw = applyOverrides(loaded.raw, options.overrides) as Record<string, unknown>;
  const config = checkRunConfig(raw, loaded.defaultName);
  const stream = options.stream ?? process.stderr;
  const labels = { teacher: 'teacher', alone: 'student alone', distilled: 'distilled' };
  const width = Math.max(...Object.values(labels).map((l) => l.length));
  const label = (l: string): string => l.padEnd(width);
  const started = Date.now();
  stream.write(`${label(labels.teacher)} evaluating on the test split (it is not trained here)\n`);
  const data = await openRunData(config, loaded.baseDir);
  const teacher = await evaluateModel(config.teacher!.model, data, {
    view: config.teacher!.input,
    outputs: config.teacher!.outputs,
    baseDir: loaded.baseDir,
    path: 'teacher.model',
    inputKey: 'teacher.input',
    batchSize: config.train.evalBatchSize,
  });
  stream.write(
    `${label(labels.teacher)} test acc ${(teacher.accuracy * 100).toFixed(2)}% (${teacher.errors} errors of ${teacher.count}), outputs ${teacher.outputs} ${formatDuration((Date.now() - started) / 1000)}\n`,
  );
  const run = (conf: unknown, name: string): Promise<RunSummary> =>
    trainCommand(
      { ...loaded, raw: conf },
      {
        ...options,
        overrides: {},
        progress: new ProgressReporter({ stream, label: label(name) }),
      },
    );
  const alone = await run(aloneConfig(raw, config.name), labels.alone);
  const distilled = await run(raw, labels.distilled);
  return [
    formatSummary(alone),
    formatSummary(distilled),
    '',
    ...comparisonTable([
      {
        label: 'teacher',
        errors: teacher.errors,
        accuracy: teacher.accuracy,
        params: teacher.params > 0 ? teacher.params : undefined,
        sizeBytes: modelBytes(config, loaded.baseDir),
        inferenceMsPerBatch: teacher.inferenceMsPerBatch,
        trainSeconds: undefined,
      },
      ...[alone, distilled].map((r, i) =>
        runRow(i === 0 ? 'student alone' : 'student distilled', r),
      ),
    ]),
    '',
    `student model (model.json + weights, for tf.loadLayersModel): ${distilled.runDir}/model`,
  ].join('\n');
}
