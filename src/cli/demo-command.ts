/**
 * `tfjs-distill demo`: the honest comparison on MNIST with one seed and one budget: the shipped
 * teacher, the student trained alone, and the same student distilled from the teacher.
 */
import type * as NodePath from 'node:path';
import type * as NodeFs from 'node:fs';
import { DistillError } from '../errors.js';
import { requireNodeBuiltin } from '../node-builtins.js';
import type { RunSummary } from '../run/run-training.js';
import { comparisonTable, runRow } from './compare-table.js';
import { evalCommand } from './eval-command.js';
import { ProgressReporter, formatDuration, type ProgressStream } from './progress.js';
import { reportCommand } from './report-command.js';
import { trainCommand } from './train-command.js';

/** The demo's configs, relative to the package root. */
export const DEMO_CONFIGS = {
  alone: 'configs/student-alone.json',
  distilled: 'configs/kd-hinton.json',
} as const;

/** The shipped teacher, relative to the package root. */
export const DEMO_TEACHER = 'models/mnist-teacher';

/** The names of the demo's three models, first on each of their progress lines. */
export const DEMO_LABELS = {
  teacher: 'teacher',
  alone: 'student alone',
  distilled: 'distilled',
} as const;

/** Options of {@link demoCommand}. */
export interface DemoOptions {
  /** Where the two run directories and the plot go. */
  readonly runsDir: string;
  /** Replaces the configs' number of epochs. */
  readonly epochs?: number;
  /** Where progress goes (default stderr). */
  readonly stream?: ProgressStream;
  /** The directory the printed paths are relative to (default the current directory). */
  readonly cwd?: string;
}

// The labels padded to one width, so that the progress lines of the three models line up.
const LABEL_WIDTH = Math.max(...Object.values(DEMO_LABELS).map((l) => l.length));
const label = (name: string): string => name.padEnd(LABEL_WIDTH);

/**
 * Runs the demo from the package root `root`, with progress lines on `options.stream`; returns
 * the table and where the models, logs and plots were written.
 */
export async function demoCommand(root: string, options: DemoOptions): Promise<string> {
  const path = requireNodeBuiltin<typeof NodePath>('node:path', 'demo');
  const fs = requireNodeBuiltin<typeof NodeFs>('node:fs', 'demo');
  const cwd = options.cwd ?? process.cwd();
  const runsDir = path.resolve(cwd, options.runsDir);
  const stream = options.stream ?? process.stderr;
  // Paths as the user would type them from where the demo was started.
  const shown = (p: string): string => path.relative(cwd, p) || '.';
  if (!fs.existsSync(path.join(root, DEMO_TEACHER, 'model.json'))) {
    throw new DistillError(
      'FILE_NOT_FOUND',
      `The demo's teacher ${DEMO_TEACHER} is missing: train it first with npm run train:teacher (tfjs-distill train configs/teacher.json --export ${DEMO_TEACHER}).`,
    );
  }
  stream.write(
    `${label(DEMO_LABELS.teacher)} evaluating the shipped ${shown(path.join(root, DEMO_TEACHER))} on the test digits (it is not trained here)\n`,
  );
  const started = Date.now();
  const teacher = await evalCommand(path.join(root, DEMO_TEACHER), { runsDir });
  stream.write(
    `${label(DEMO_LABELS.teacher)} loss ${teacher.loss.toFixed(4)} test acc ${(teacher.accuracy * 100).toFixed(2)}% (${teacher.errors} errors of ${teacher.count}) ${formatDuration((Date.now() - started) / 1000)}\n`,
  );
  const teacherBytes = fs
    .readdirSync(teacher.modelPath)
    .reduce((s, f) => s + fs.statSync(path.join(teacher.modelPath, f)).size, 0);
  const runs: RunSummary[] = [];
  for (const [config, name] of [
    [DEMO_CONFIGS.alone, DEMO_LABELS.alone],
    [DEMO_CONFIGS.distilled, DEMO_LABELS.distilled],
  ] as const) {
    runs.push(
      await trainCommand(path.join(root, config), {
        runsDir,
        resume: false,
        force: true,
        overrides: options.epochs === undefined ? {} : { epochs: options.epochs },
        progress: new ProgressReporter({ stream, label: label(name) }),
      }),
    );
  }
  const plot = await reportCommand(
    runs.map((r) => r.runDir),
    { out: path.join(runsDir, 'demo.svg') },
  );
  const lines = [
    ...comparisonTable([
      {
        label: 'teacher (shipped)',
        errors: teacher.errors,
        accuracy: teacher.accuracy,
        params: teacher.params,
        sizeBytes: teacherBytes,
        inferenceMsPerBatch: teacher.inferenceMsPerBatch,
        trainSeconds: undefined,
      },
      ...runs.map((r, i) => runRow(i === 0 ? 'student alone' : 'student distilled', r)),
    ]),
    '',
    `models: ${runs.map((r) => shown(path.join(r.runDir, 'model'))).join(', ')}`,
    `logs:   ${runs.map((r) => shown(path.join(r.runDir, 'metrics.jsonl'))).join(', ')}`,
    `plots:  ${[plot, ...runs.map((r) => path.join(r.runDir, 'plot.svg'))].map(shown).join(', ')}`,
  ];
  return lines.join('\n');
}
