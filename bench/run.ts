/**
 * `npm run bench`: runs each benchmark in its own process (so one's heap and tensors cannot
 * sway another's figures) and prints all their figures as one table.
 * `npm run bench -- step image-folder` runs only those whose file names contain an argument.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { printRows, type Row } from './harness.js';

const ALL = [
  'delivery.bench.js',
  'step.bench.js',
  'training-run.bench.js',
  'image-folder.bench.js',
];
const wanted = process.argv.slice(2);
const BENCHES = wanted.length === 0 ? ALL : ALL.filter((b) => wanted.some((w) => b.includes(w)));
if (BENCHES.length === 0) {
  console.error(`No benchmark matches ${wanted.join(', ')}; choose among ${ALL.join(', ')}.`);
  process.exit(1);
}
const here = path.dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'tfjs-distill-bench-'));
const file = path.join(dir, 'rows.jsonl');
const started = performance.now();
try {
  for (const bench of BENCHES) {
    console.log(`running ${bench} ...`);
    const result = spawnSync(process.execPath, [path.join(here, bench)], {
      env: { ...process.env, BENCH_ROWS_FILE: file },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (result.status !== 0) {
      console.error(`${bench} failed (exit ${result.status ?? result.signal})`);
      process.exit(1);
    }
  }
  const rows = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .flatMap((line) => JSON.parse(line) as Row[]);
  printRows(rows);
  const missed = rows.filter((r) => r.met === false);
  console.log(
    `\n${rows.length} figures in ${((performance.now() - started) / 1000).toFixed(0)} s; ` +
      (missed.length === 0
        ? 'every goal met.'
        : `goals not met: ${missed.map((r) => r.what).join('; ')}.`),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
