/**
 * docs/first-distillation.md as a newcomer follows it: the package as `npm pack` makes it,
 * installed into an empty project next to the packages the page names, the bin through `npx`,
 * and the page's script compiled by `tsc --strict` and run, as an ES module and as CommonJS.
 *
 * Nothing is downloaded: the tarball is unpacked into the project's node_modules as npm would,
 * and the packages beside it are links to this repository's node_modules (so they keep finding
 * their own dependencies there). Needs `npm run build` first, for dist/.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { rootDir } from '../helpers/paths.js';

const exec = promisify(execFile);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

const page = fs.readFileSync(path.join(rootDir, 'docs', 'first-distillation.md'), 'utf8');

/** The contents of the page's fenced block whose info string is `info`. */
function block(info: string): string {
  const start = page.indexOf(`\`\`\`${info}\n`);
  assert.notEqual(start, -1, `the page has a \`\`\`${info} block`);
  const from = start + info.length + 4;
  return page.slice(from, page.indexOf('\n```', from - 1) + 1);
}

/** The page's shell commands that start with `prefix`, split into words. */
function commands(prefix: string): string[][] {
  return [...page.matchAll(/```sh\n([\s\S]*?)```/g)]
    .flatMap((m) => m[1]!.split('\n'))
    .filter((line) => line.startsWith(prefix))
    .map((line) => line.split(/\s+/).filter((w) => w !== ''));
}

/** Runs a command in the project without the network; returns what it printed. */
async function run(
  command: string,
  args: readonly string[],
  cwd: string,
): Promise<{ stdout: string; stderr: string }> {
  // Not npm's settings of this repository's own scripts, should `npm test` have started us.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'TFJS_DISTILL_DEBUG'),
  );
  Object.assign(env, { npm_config_offline: 'true', npm_config_update_notifier: 'false' });
  return exec(command, [...args], { cwd, env, maxBuffer: 1 << 24 });
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-distill-newcomer-'));
const project = path.join(work, 'first-distillation');
after(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

/** Links `node_modules/.bin/<name>` to each bin of the package in `dir`, as npm does. */
function linkBins(dir: string, own: boolean): void {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
    name: string;
    bin?: string | Record<string, string>;
  };
  const bins =
    typeof manifest.bin === 'string'
      ? { [manifest.name.replace(/^@[^/]+\//, '')]: manifest.bin }
      : (manifest.bin ?? {});
  const binDir = path.join(project, 'node_modules', '.bin');
  fs.mkdirSync(binDir, { recursive: true });
  for (const [name, file] of Object.entries(bins)) {
    const target = path.join(dir, file);
    // npm makes the bins of the packages it unpacks executable; the linked ones already are.
    if (own) fs.chmodSync(target, 0o755);
    fs.symlinkSync(path.relative(binDir, target), path.join(binDir, name));
  }
}

/** The names in the page's `npm install` lines, besides tfjs-distill. */
function pagePackages(): string[] {
  const names = commands('npm install').flatMap((words) =>
    words.slice(2).filter((w) => !w.startsWith('-')),
  );
  assert.ok(names.includes('tfjs-distill'), 'the page installs tfjs-distill');
  return names.filter((n) => n !== 'tfjs-distill');
}

describe('docs/first-distillation.md', () => {
  before(async () => {
    assert.ok(
      fs.existsSync(path.join(rootDir, 'dist', 'index.js')),
      'dist/ is built (npm run build)',
    );
    const packed = await run(
      npm,
      ['pack', '--json', '--ignore-scripts', '--pack-destination', work],
      rootDir,
    );
    const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
    fs.mkdirSync(project);
    await run(npm, ['init', '-y'], project);

    const modules = path.join(project, 'node_modules');
    const own = path.join(modules, 'tfjs-distill');
    fs.mkdirSync(own, { recursive: true });
    // npm's tarballs hold everything under package/.
    await run('tar', ['-xzf', path.join(work, filename), '-C', own, '--strip-components=1'], work);
    const manifest = JSON.parse(fs.readFileSync(path.join(own, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    for (const name of [...Object.keys(manifest.dependencies ?? {}), ...pagePackages()]) {
      const source = fs.realpathSync(path.join(rootDir, 'node_modules', name));
      fs.mkdirSync(path.dirname(path.join(modules, name)), { recursive: true });
      fs.symlinkSync(source, path.join(modules, name), 'junction');
      linkBins(source, false);
    }
    linkBins(own, true);
  });

  it('docs/first-distillation.md: npx tfjs-distill --help works from the packed package', async () => {
    assert.deepEqual(commands('npx tfjs-distill --help'), [['npx', 'tfjs-distill', '--help']]);
    const { stdout, stderr } = await run(npx, ['tfjs-distill', '--help'], project);
    assert.match(stdout, /^Usage: tfjs-distill <command> \[options\]/);
    assert.ok(
      stdout.startsWith(block('text title="help"').split('\n  ...')[0]!),
      'the page shows its start',
    );
    assert.equal(stderr, '');
  });

  /** The page's compile command for `file` (the `.mts` one, or the same for `.cts`). */
  function compileArgs(file: string): string[] {
    const [tsc] = commands('npx tsc');
    assert.ok(tsc !== undefined && tsc.includes('--strict'), 'the page compiles with --strict');
    return tsc.slice(1).map((w) => (w === 'distill.mts' ? file : w));
  }

  /** Checks what the script printed against the page's output block and its claims. */
  function checkOutput(stdout: string, stderr: string): void {
    assert.equal(stderr, '', 'nothing on stderr: no warning, no tfjs banner');
    const lines = stdout.trimEnd().split('\n');
    const shown = block('text title="output"').trimEnd().split('\n');
    const stepLine = /^step (\d+): loss (\d+\.\d{3}) = student (\d+\.\d{3}) \+ kd (\d+\.\d{3})$/;
    const accuracyLine = /^student test accuracy: (\d+\.\d)%$/;
    assert.equal(lines.length, shown.length, `as many lines as the page shows:\n${stdout}`);
    lines.forEach((line, i) => {
      const pattern = i === lines.length - 1 ? accuracyLine : stepLine;
      assert.match(line, pattern);
      assert.match(shown[i]!, pattern, 'the page shows lines of the same shape');
      if (pattern === stepLine) {
        const [, step, loss, own, kd] = stepLine.exec(line)!.map(Number);
        assert.equal(step, Number(stepLine.exec(shown[i]!)![1]), 'the same steps as the page');
        assert.ok(Math.abs(loss! - own! - kd!) < 0.0025, `loss = student + kd: ${line}`);
      }
    });
    const [, threshold] = /the accuracy should be above (\d+)%/.exec(page.replace(/\s+/g, ' '))!;
    const accuracy = Number(accuracyLine.exec(lines.at(-1)!)![1]);
    assert.ok(accuracy > Number(threshold), `${accuracy}% > ${threshold}% as the page says`);
    assert.ok(
      Number(accuracyLine.exec(shown.at(-1)!)![1]) > Number(threshold),
      'the page shows an accuracy above its own threshold',
    );
  }

  it('docs/first-distillation.md: the script compiles with tsc --strict and runs as an ES module', async () => {
    fs.writeFileSync(path.join(project, 'distill.mts'), block('ts title="distill.mts"'));
    await run(npx, compileArgs('distill.mts'), project);
    assert.deepEqual(commands('node distill.mjs'), [['node', 'distill.mjs']]);
    const { stdout, stderr } = await run(process.execPath, ['distill.mjs'], project);
    checkOutput(stdout, stderr);
  });

  it('docs/first-distillation.md: the same script compiles as CommonJS and runs through require(esm)', async (t) => {
    if ((process.features as { require_module?: boolean }).require_module !== true) {
      t.skip('this Node.js cannot require() an ES module');
      return;
    }
    assert.deepEqual(commands('cp distill.mts'), [['cp', 'distill.mts', 'distill.cts']]);
    fs.writeFileSync(path.join(project, 'distill.cts'), block('ts title="distill.mts"'));
    await run(npx, compileArgs('distill.cts'), project);
    const compiled = fs.readFileSync(path.join(project, 'distill.cjs'), 'utf8');
    assert.match(compiled, /require\("tfjs-distill"\)/);
    const { stdout, stderr } = await run(process.execPath, ['distill.cjs'], project);
    checkOutput(stdout, stderr);
  });
});
