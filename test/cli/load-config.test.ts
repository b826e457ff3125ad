import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { loadConfigFile } from '../../src/cli/load-config.js';
import { distillError } from '../helpers/errors.js';
import { fixturesDir } from '../helpers/paths.js';

const tempDirs: string[] = [];
/** Writes `text` to a file called `name` in a fresh temporary folder and returns its path. */
function tempConfig(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-distill-config-'));
  tempDirs.push(dir);
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}
after(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

const CONFIG = { seed: 2, model: { type: 'mlp', hidden: [8] }, train: { epochs: 1 } };

describe('loadConfigFile', () => {
  it('loadConfigFile reads a .json config with its folder and its name without extension', async () => {
    const file = tempConfig('tiny-run.json', JSON.stringify(CONFIG));
    const loaded = await loadConfigFile(file);
    assert.deepEqual(loaded, {
      raw: CONFIG,
      baseDir: path.dirname(file),
      defaultName: 'tiny-run',
      file,
    });
  });

  it('loadConfigFile resolves a relative path from the working directory', async () => {
    const file = tempConfig('relative.json', JSON.stringify(CONFIG));
    const loaded = await loadConfigFile(path.relative(process.cwd(), file));
    assert.equal(loaded.file, file);
    assert.deepEqual(loaded.raw, CONFIG);
  });

  it('loadConfigFile rejects invalid JSON as INVALID_CONFIG naming the file, keeping the cause', async () => {
    const file = tempConfig('broken.json', '{ "model": { "type": "mlp", } }');
    await assert.rejects(
      loadConfigFile(file),
      distillError('INVALID_CONFIG', /broken\.json: not valid JSON/),
    );
    await assert.rejects(
      loadConfigFile(file),
      (error: Error) => error.cause instanceof SyntaxError,
    );
  });

  it('loadConfigFile imports the default export of an .mjs config', async () => {
    const file = tempConfig(
      'module.mjs',
      `export default { model: { type: 'mlp', hidden: [4, 2] }, train: { epochs: 1 } };\n`,
    );
    const loaded = await loadConfigFile(file);
    assert.deepEqual(loaded.raw, { model: { type: 'mlp', hidden: [4, 2] }, train: { epochs: 1 } });
    assert.equal(loaded.defaultName, 'module');
  });

  it('loadConfigFile rejects an .mjs config without a default export and says what to write', async () => {
    const file = tempConfig(
      'named.mjs',
      `export const config = { model: { type: 'smallMlp' } };\n`,
    );
    await assert.rejects(
      loadConfigFile(file),
      distillError(
        'INVALID_CONFIG',
        /named\.mjs: the config module has no default export/,
        /export default defineConfig/,
      ),
    );
  });

  it('loadConfigFile reports an .mjs config that throws while loading, naming the file', async () => {
    const file = tempConfig('throws.mjs', `throw new Error('boom in config');\n`);
    await assert.rejects(
      loadConfigFile(file),
      distillError('INVALID_CONFIG', /throws\.mjs: loading the config failed: boom in config/),
    );
  });

  it('loadConfigFile compiles a .ts config that imports defineConfig from tfjs-distill, then removes the compiled file', async () => {
    const dir = path.join(fixturesDir, 'configs');
    const before = fs.readdirSync(dir).sort();
    const loaded = await loadConfigFile(path.join(dir, 'typed.ts'));
    assert.deepEqual(loaded.raw, {
      name: 'typed',
      seed: 4,
      model: { type: 'mlp', hidden: [16] },
      train: { epochs: 1, batchSize: 32 },
    });
    assert.equal(loaded.defaultName, 'typed');
    assert.equal(loaded.baseDir, path.resolve(dir));
    assert.deepEqual(fs.readdirSync(dir).sort(), before);
  });

  it('loadConfigFile removes the compiled file of a .ts config that fails to load', async () => {
    const file = tempConfig('fails.ts', `const n: number = 1;\nthrow new Error('bad ts ' + n);\n`);
    await assert.rejects(
      loadConfigFile(file),
      distillError('INVALID_CONFIG', /fails\.ts: loading the config failed: bad ts 1/),
    );
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['fails.ts']);
  });

  it('loadConfigFile rejects an unknown extension, listing the supported ones', async () => {
    const file = tempConfig('run.yaml', 'model: mlp\n');
    await assert.rejects(
      loadConfigFile(file),
      distillError(
        'INVALID_CONFIG',
        /run\.yaml: unknown config file type "\.yaml"/,
        /\.json, \.js, \.mjs, \.ts or \.mts/,
      ),
    );
  });

  it('loadConfigFile rejects a missing file and a folder as FILE_NOT_FOUND', async () => {
    const file = tempConfig('present.json', '{}');
    const missing = path.join(path.dirname(file), 'absent.json');
    await assert.rejects(
      loadConfigFile(missing),
      distillError('FILE_NOT_FOUND', /Config file .*absent\.json does not exist/),
    );
    await assert.rejects(
      loadConfigFile(path.dirname(file)),
      distillError('FILE_NOT_FOUND', /does not exist/),
    );
  });
});
