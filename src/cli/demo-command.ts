/**
 * `tfjs-distill demo`: the honest comparison on MNIST with one seed and one budget: the shipped
 * teacher, the student trained alone, and the same student distilled from the teacher.
 */
import type * as NodePath from 'node:path';
import type * as NodeFs from 'node:fs';
import { DistillError } from '../errors.js';
import { requireNodeBuiltin } from '../node-builtins.js';
import type { RunSummary } from '../run/run-training.js';
import { evalCommand } from './eval-command.js';
import { reportCommand } from './report-command.js';
import { trainCommand } from './train-command.js';

/** The demo's configs, relative to the package root. */
export const DEMO_CONFIGS = {
  alone: 'configs/student-alone.json',
  distilled: 'configs/kd-hinton.json',
} as const;

/** The shipped teacher, relative to the package root. */
export const DEMO_TEACHER = 'models/mnist-teacher';

function row(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
}

/** Runs the demo from the package root `root`; returns the printed table. */
export async function demoCommand(
  root: string,
  options: { runsDir: string; epochs?: number },
): Promise<string> {
  const path = requireNodeBuiltin<typeof NodePath>('node:path', 'demo');
  const fs = requireNodeBuiltin<typeof NodeFs>('node:fs', 'demo');
  const runsDir = path.resolve(options.runsDir);
  if (!fs.existsSync(path.join(root, DEMO_TEACHER, 'model.json'))) {
    throw new DistillError(
      'FILE_NOT_FOUND',
      `The demo's teacher ${DEMO_TEACHER} is missing: train it first with npm run train:teacher (tfjs-distill train configs/teacher.json --export ${DEMO_TEACHER}).`,
    );
  }
  const teacher = await evalCommand(path.join(root, DEMO_TEACHER), { runsDir });
  const teacherBytes = fs
    .readdirSync(teacher.modelPath)
    .reduce((s, f) => s + fs.statSync(path.join(teacher.modelPath, f)).size, 0);
  const runs: RunSummary[] = [];
  for (const config of [DEMO_CONFIGS.alone, DEMO_CONFIGS.distilled]) {
    runs.push(
      await trainCommand(path.join(root, config), {
        runsDir,
        resume: false,
        force: true,
        overrides: options.epochs === undefined ? {} : { epochs: options.epochs },
      }),
    );
  }
  const plot = await reportCommand(
    runs.map((r) => r.runDir),
    { out: path.join(runsDir, 'demo.svg') },
  );
  const widths = [26, 11, 9, 11, 10, 13, 10];
  const lines = [
    row(
      ['model', 'test errors', 'accuracy', 'parameters', 'size', 'ms/1000 pred', 'train s'],
      widths,
    ),
    row(
      [
        'teacher (shipped)',
        String(teacher.errors),
        `${(teacher.accuracy * 100).toFixed(2)}%`,
        teacher.params.toLocaleString('en-US'),
        `${(teacherBytes / 1024).toFixed(0)} KiB`,
        teacher.inferenceMsPerBatch.toFixed(1),
        '-',
      ],
      widths,
    ),
    ...runs.map((r, i) =>
      row(
        [
          i === 0 ? 'student alone' : 'student distilled',
          String(r.testErrors),
          `${(r.testAccuracy * 100).toFixed(2)}%`,
          r.params.toLocaleString('en-US'),
          `${(r.sizeBytes / 1024).toFixed(0)} KiB`,
          r.inferenceMsPerBatch.toFixed(1),
          r.trainSeconds.toFixed(0),
        ],
        widths,
      ),
    ),
    '',
    ...runs.map((r) => `run directory: ${r.runDir}`),
    `plot: ${plot}`,
  ];
  return lines.join('\n');
}
