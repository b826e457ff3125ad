/**
 * A whole training run, with and without the teacher in a worker thread: configs/kd-mixup.json
 * (the shipped teacher, 5,000 labels, wasm, its delivery's maxKeepData of 2 leaving room for
 * the next batch) for a few epochs, each way twice, alternating. The
 * two ways must end with the same test errors; the figure is the ratio of their run times.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkRunConfig, runTraining, type RunConfig } from 'tfjs-distill';
import { report, type Row } from './harness.js';

const EPOCHS = Number(process.env.BENCH_RUN_EPOCHS ?? 3);
const rootDir = fileURLToPath(new URL('../../', import.meta.url));
const shipped = JSON.parse(
  fs.readFileSync(path.join(rootDir, 'configs', 'kd-mixup.json'), 'utf8'),
) as RunConfig;

function config(runInWorker: boolean): RunConfig {
  return {
    ...shipped,
    name: runInWorker ? 'worker' : 'one-thread',
    teacher: { ...shipped.teacher!, runInWorker },
    train: { ...shipped.train, epochs: EPOCHS },
  };
}

const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-distill-run-bench-'));
const seconds: Record<'plain' | 'worker', number[]> = { plain: [], worker: [] };
const errors: Record<'plain' | 'worker', number[]> = { plain: [], worker: [] };
try {
  for (let round = 0; round < 2; round++) {
    for (const way of round === 0
      ? (['plain', 'worker'] as const)
      : (['worker', 'plain'] as const)) {
      const summary = await runTraining(checkRunConfig(config(way === 'worker'), way), {
        runsDir,
        baseDir: path.join(rootDir, 'configs'),
        force: true,
      });
      seconds[way].push(summary.trainSeconds);
      errors[way].push(summary.testErrors);
    }
  }
} finally {
  fs.rmSync(runsDir, { recursive: true, force: true });
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const section = `A run of configs/kd-mixup.json, ${EPOCHS} epochs on wasm, each way twice (alternating)`;
const allErrors = [...errors.plain, ...errors.worker];
const rows: Row[] = [
  {
    section,
    what: 'test errors, one thread / teacher in a worker',
    value: `${errors.plain.join(', ')} / ${errors.worker.join(', ')}`,
    goal: 'equal',
    met: allErrors.every((e) => e === allErrors[0]),
  },
  {
    section,
    what: 'run time (training and per-epoch evaluation), one thread',
    value: `${mean(seconds.plain).toFixed(1)} s`,
  },
  {
    section,
    what: 'run time, teacher in a worker (teacher.runInWorker)',
    value: `${mean(seconds.worker).toFixed(1)} s`,
  },
  {
    section,
    what: 'speed-up of the run',
    value: `${(mean(seconds.plain) / mean(seconds.worker)).toFixed(3)}x`,
  },
];
await report(rows);
