import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { fixturesDir, rootDir } from './helpers/paths.js';

/** Imports `specifier` in a fresh Node process in which every @tensorflow package fails to resolve. */
function importWithoutTfjs(specifier: string): {
  status: number | null;
  stderr: string;
  stdout: string;
} {
  const hooks = pathToFileURL(`${fixturesDir}block-tfjs-hooks.mjs`).href;
  const script = `
    import { register } from 'node:module';
    register(${JSON.stringify(hooks)});
    const mod = await import(${JSON.stringify(specifier)});
    console.log(Object.keys(mod).includes('FunctionOutputsDelivery'));
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: rootDir,
    encoding: 'utf8',
  });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout };
}

describe('package entry points', () => {
  it('tfjs-distill/core imports without TensorFlow.js installed', () => {
    const r = importWithoutTfjs('tfjs-distill/core');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'true');
  });

  it('tfjs-distill/core explains that layer recorders need the root entry point', () => {
    const hooks = pathToFileURL(`${fixturesDir}block-tfjs-hooks.mjs`).href;
    const script = `
      import { register } from 'node:module';
      register(${JSON.stringify(hooks)});
      const { RecorderManager } = await import('tfjs-distill/core');
      try { new RecorderManager({ f: { type: 'LayerOutputs', source: 'fc1' } }); }
      catch (e) { console.log(e.code + ': ' + e.message); }
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: rootDir,
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^UNKNOWN_TYPE: .*recorders\.f\.type.*import from "tfjs-distill"/);
  });

  it('tfjs-distill (the root) needs TensorFlow.js, which the check above really blocks', () => {
    const r = importWithoutTfjs('tfjs-distill');
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /@tensorflow/);
  });

  it('require() of the package returns the same classes as import', () => {
    const script = `
      const a = require('tfjs-distill');
      import('tfjs-distill').then((b) => console.log(a.FunctionOutputsDelivery === b.FunctionOutputsDelivery));
    `;
    const r = spawnSync(process.execPath, ['-e', script], { cwd: rootDir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'true');
  });
});
