// Runs every compiled test file (build/test/**/*.test.js) with Node's test runner, or those whose
// path contains one of the arguments. The browser tests (build/test/browser/) run only when an
// argument names them: `npm run test:browser`.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { findChromium } from './find-chromium.mjs';

const root = join('build', 'test');
const files = readdirSync(root, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith('.test.js'))
  .map((e) => join(e.parentPath ?? e.path, e.name))
  .filter((f) =>
    process.argv.length <= 2
      ? !f.startsWith(join(root, 'browser'))
      : process.argv.slice(2).some((a) => f.includes(a)),
  )
  .sort();
if (files.length === 0) {
  console.error(`No test files found under ${root}; run the build first.`);
  process.exit(1);
}
const env = { ...process.env };
if (files.some((f) => f.startsWith(join(root, 'browser')))) {
  // Found once here, so that a missing browser fails the run with one line, not a stack trace.
  const chromium = await findChromium();
  if (chromium instanceof Error) {
    console.error(chromium.message);
    process.exit(1);
  }
  env.CHROMIUM_PATH = chromium;
}
const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
  env,
});
process.exit(result.status ?? 1);
