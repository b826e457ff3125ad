// Runs every compiled example (build/examples/*.js) in its own Node.js process, prints its
// output under a header, and exits non-zero if any example fails.
// `npm run examples` builds the package and the examples first.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../build/examples/', import.meta.url));
const files = existsSync(dir)
  ? readdirSync(dir)
      .filter((name) => name.endsWith('.js'))
      .sort()
  : [];

if (files.length === 0) {
  console.error(
    `No compiled examples in ${dir}. Run \`npm run examples\`, which builds them first.`,
  );
  process.exit(1);
}

const failed = [];
for (const file of files) {
  const name = file.slice(0, -'.js'.length);
  console.log(`\n=== ${name} ===`);
  const result = spawnSync(process.execPath, [join(dir, file)], { stdio: 'inherit' });
  if (result.status !== 0) {
    const why = result.error
      ? result.error.message
      : result.signal
        ? `signal ${result.signal}`
        : `exit code ${result.status}`;
    console.error(`--- ${name} failed (${why})`);
    failed.push(name);
  }
}

console.log(`\n${files.length - failed.length} of ${files.length} examples passed.`);
if (failed.length > 0) {
  console.error(`Failed: ${failed.join(', ')}`);
  process.exit(1);
}
