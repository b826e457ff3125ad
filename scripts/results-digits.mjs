// Reproduces the digits table of docs/results.md: the teacher, the student alone and the
// distilled student (and the same with a wider student), three seeds each, one run at a time,
// then prints the test errors of every seed, their mean, the parameters and the training time.
//
//   npm run build && node scripts/results-digits.mjs [--export-teacher] [--runs-dir <dir>]
//
// The students are distilled from models/digits-teacher (the committed seed-1 teacher). The
// teachers' dropout masks are unseeded, so a retrained teacher differs slightly from it;
// --export-teacher replaces models/digits-teacher with this run's seed-1 teacher before the
// students train (as does a missing models/digits-teacher). The data are
// examples/data/digits, written by scripts/prepare-digits.mjs.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist', 'cli', 'main.js');
const SEEDS = [1, 2, 3];
const TEACHER = 'digits-teacher';
const STUDENTS = ['digits-student-alone', 'digits-kd', 'digits-student-alone-64', 'digits-kd-64'];

function fail(message) {
  console.error(`results-digits: ${message}`);
  process.exit(1);
}

let runsDir = join(root, 'runs', 'digits');
let exportTeacher = false;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--export-teacher') exportTeacher = true;
  else if (argv[i] === '--runs-dir') runsDir = argv[++i] ?? fail('--runs-dir needs a folder.');
  else
    fail(
      `unknown argument ${argv[i]}; usage: results-digits.mjs [--export-teacher] [--runs-dir <dir>]`,
    );
}
if (!existsSync(cli)) fail('dist/cli/main.js is missing: run `npm run build` first.');
if (!existsSync(join(root, 'examples', 'data', 'digits', 'x.npy'))) {
  fail('examples/data/digits/x.npy is missing: run `node scripts/prepare-digits.mjs` first.');
}
const teacherDir = join(root, 'models', TEACHER);
if (!existsSync(join(teacherDir, 'model.json'))) exportTeacher = true;

/** Trains one config with one seed and returns its summary.json. */
function train(config, seed, extra = []) {
  const name = `${config}-s${seed}`;
  const args = [cli, 'train', join(root, 'configs', `${config}.json`), '--seed', String(seed)];
  args.push('--name', name, '--runs-dir', runsDir, '--force', ...extra);
  console.log(`$ tfjs-distill ${args.slice(1).join(' ').replaceAll(root, '')}`);
  const run = spawnSync(process.execPath, args, { stdio: ['ignore', 'inherit', 'ignore'] });
  if (run.status !== 0)
    fail(`${name} failed (exit ${run.status}); run the command above to see why.`);
  return JSON.parse(readFileSync(join(runsDir, name, 'summary.json'), 'utf8'));
}

const results = new Map();
for (const seed of SEEDS) {
  const exporting = exportTeacher && seed === 1 ? ['--export', teacherDir] : [];
  results.set(`${TEACHER}-s${seed}`, train(TEACHER, seed, exporting));
}
for (const config of STUDENTS) {
  for (const seed of SEEDS) results.set(`${config}-s${seed}`, train(config, seed));
}

const rows = [
  '| config | seed 1 | seed 2 | seed 3 | mean errors | mean accuracy | parameters | train s |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
];
for (const config of [TEACHER, ...STUDENTS]) {
  const runs = SEEDS.map((seed) => results.get(`${config}-s${seed}`));
  const mean = (f) => runs.reduce((sum, r) => sum + f(r), 0) / runs.length;
  const seconds = runs.map((r) => r.trainSeconds);
  rows.push(
    `| ${config} | ${runs.map((r) => r.testErrors).join(' | ')} | ${mean((r) => r.testErrors).toFixed(1)} ` +
      `| ${(mean((r) => r.testAccuracy) * 100).toFixed(2)}% | ${runs[0].params.toLocaleString('en-US')} ` +
      `| ${Math.min(...seconds).toFixed(0)}–${Math.max(...seconds).toFixed(0)} |`,
  );
}
console.log(`\nTest errors of ${results.get(`${TEACHER}-s1`).testCount} test digits:\n`);
console.log(rows.join('\n'));
