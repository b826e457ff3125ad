import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it, mock } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { DistillError } from '../../src/errors.js';
import { mlp } from '../../src/models/index.js';
import { fileLoader, fileSaver } from '../../src/train/index.js';
import { assertTensorClose, expectNoLeaks } from '../helpers/tensors.js';

before(async () => {
  await tf.setBackend('cpu');
});

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-distill-io-'));
  tempDirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function tinyModel(): tf.Sequential {
  return mlp({ inputSize: 6, hidden: [5], numClasses: 3, seed: 2 });
}

function hasCode(code: string, pattern: RegExp): (e: unknown) => boolean {
  return (e) => {
    assert.ok(e instanceof DistillError, `not a DistillError: ${String(e)}`);
    assert.equal(e.code, code);
    assert.match(e.message, pattern);
    return true;
  };
}

/** Saves a tiny model into a new temp dir and returns the dir. */
async function savedModelDir(): Promise<string> {
  const dir = tempDir();
  const model = tinyModel();
  try {
    await model.save(fileSaver(dir));
  } finally {
    model.dispose();
  }
  return dir;
}

describe('fileSaver and fileLoader', () => {
  it('round-trip a model with identical predictions', async () => {
    await expectNoLeaks(async () => {
      const dir = path.join(tempDir(), 'nested', 'model');
      const model = tinyModel();
      const x = tf.randomUniform([4, 6], 0, 1, 'float32', 1);
      try {
        const result = await model.save(fileSaver(dir));
        assert.equal(result.modelArtifactsInfo.modelTopologyType, 'JSON');
        assert.deepEqual(fs.readdirSync(dir).sort(), ['model.json', 'weights.bin']);
        const loaded = await tf.loadLayersModel(fileLoader(dir));
        try {
          assert.deepEqual(
            loaded.layers.map((l) => l.name),
            ['fc1', 'logits'],
          );
          const expected = model.predict(x) as tf.Tensor;
          const actual = loaded.predict(x) as tf.Tensor;
          assertTensorClose(actual, expected, 0);
          tf.dispose([expected, actual]);
        } finally {
          loaded.dispose();
        }
      } finally {
        model.dispose();
        x.dispose();
      }
    });
  });

  it('writes model.json the way tfjs does, pointing at weights.bin', async () => {
    const dir = await savedModelDir();
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')) as {
      format: string;
      generatedBy: string;
      convertedBy: null;
      modelTopology: { class_name: string };
      weightsManifest: { paths: string[]; weights: { name: string }[] }[];
    };
    assert.equal(json.format, 'layers-model');
    assert.match(json.generatedBy, /^TensorFlow\.js tfjs-layers v/);
    assert.equal(json.convertedBy, null);
    assert.equal(json.modelTopology.class_name, 'Sequential');
    assert.deepEqual(json.weightsManifest[0]!.paths, ['weights.bin']);
    assert.deepEqual(
      json.weightsManifest[0]!.weights.map((w) => w.name),
      ['fc1/kernel', 'fc1/bias', 'logits/kernel', 'logits/bias'],
    );
    // (6*5 + 5 + 5*3 + 3) float32 values
    assert.equal(fs.statSync(path.join(dir, 'weights.bin')).size, 53 * 4);
  });

  it('accepts the path of model.json itself', async () => {
    const dir = await savedModelDir();
    const model = await tf.loadLayersModel(fileLoader(path.join(dir, 'model.json')));
    model.dispose();
  });

  it('loads weights sharded over several files', async () => {
    await expectNoLeaks(async () => {
      const dir = await savedModelDir();
      const weights = fs.readFileSync(path.join(dir, 'weights.bin'));
      fs.writeFileSync(path.join(dir, 'shard1.bin'), weights.subarray(0, 100));
      fs.writeFileSync(path.join(dir, 'shard2.bin'), weights.subarray(100));
      fs.rmSync(path.join(dir, 'weights.bin'));
      const file = path.join(dir, 'model.json');
      const json = JSON.parse(fs.readFileSync(file, 'utf8')) as {
        weightsManifest: { paths: string[] }[];
      };
      json.weightsManifest[0]!.paths = ['shard1.bin', 'shard2.bin'];
      fs.writeFileSync(file, JSON.stringify(json));
      const original = tinyModel();
      const loaded = await tf.loadLayersModel(fileLoader(dir));
      try {
        const expected = original.getWeights();
        loaded.getWeights().forEach((w, i) => assertTensorClose(w, expected[i]!, 0));
      } finally {
        original.dispose();
        loaded.dispose();
      }
    });
  });

  it('renames weights.bin before model.json and leaves no temporary file', async () => {
    const dir = tempDir();
    const model = tinyModel();
    const rename = mock.method(fs.promises, 'rename');
    try {
      await model.save(fileSaver(dir));
      const targets = rename.mock.calls.map((call) => path.basename(String(call.arguments[1])));
      assert.deepEqual(targets, ['weights.bin', 'model.json']);
      assert.deepEqual(fs.readdirSync(dir).sort(), ['model.json', 'weights.bin']);
    } finally {
      rename.mock.restore();
      model.dispose();
    }
  });

  it('fails cleanly when model.json cannot be committed: IO_ERROR, no temporary file left', async () => {
    // A directory where model.json should go makes the final rename fail.
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'model.json'));
    fs.writeFileSync(path.join(dir, 'model.json', 'x'), 'keep');
    const model = tinyModel();
    try {
      await assert.rejects(model.save(fileSaver(dir)), hasCode('IO_ERROR', /model\.json/));
      assert.deepEqual(fs.readdirSync(dir).sort(), ['model.json', 'weights.bin']);
      assert.ok(fs.statSync(path.join(dir, 'model.json')).isDirectory());
    } finally {
      model.dispose();
    }
  });

  it('reports an unwritable directory with IO_ERROR', async () => {
    const file = path.join(tempDir(), 'a-file');
    fs.writeFileSync(file, 'not a directory');
    const model = tinyModel();
    try {
      await assert.rejects(
        model.save(fileSaver(path.join(file, 'sub'))),
        hasCode('IO_ERROR', /a-file/),
      );
    } finally {
      model.dispose();
    }
  });

  it('reports a truncated weights.bin with expected and actual sizes', async () => {
    const dir = await savedModelDir();
    fs.truncateSync(path.join(dir, 'weights.bin'), 100);
    await assert.rejects(
      tf.loadLayersModel(fileLoader(dir)),
      hasCode(
        'DATA_CORRUPT',
        /weights\.bin does not match .*expected 212 bytes for 4 weights, got 100/,
      ),
    );
  });

  it('reports a truncated model.json as corrupt JSON', async () => {
    const dir = await savedModelDir();
    const file = path.join(dir, 'model.json');
    fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2));
    await assert.rejects(
      tf.loadLayersModel(fileLoader(dir)),
      hasCode('DATA_CORRUPT', /model\.json is not a valid tfjs model\.json: it is not valid JSON/),
    );
  });

  it('rejects weight paths that leave the model directory', async () => {
    const dir = await savedModelDir();
    const file = path.join(dir, 'model.json');
    const json = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      weightsManifest: { paths: string[] }[];
    };
    json.weightsManifest[0]!.paths = ['../elsewhere.bin'];
    fs.writeFileSync(file, JSON.stringify(json));
    await assert.rejects(
      tf.loadLayersModel(fileLoader(dir)),
      hasCode('DATA_CORRUPT', /relative file name beside model\.json/),
    );
  });

  it('reports a missing model or weights file with FILE_NOT_FOUND', async () => {
    await assert.rejects(
      tf.loadLayersModel(fileLoader(path.join(tempDir(), 'nothing'))),
      hasCode('FILE_NOT_FOUND', /nothing/),
    );
    const dir = await savedModelDir();
    fs.rmSync(path.join(dir, 'weights.bin'));
    await assert.rejects(
      tf.loadLayersModel(fileLoader(dir)),
      hasCode('FILE_NOT_FOUND', /weights\.bin.*not saved completely/),
    );
  });

  it('rejects a path that is not a string', () => {
    assert.throws(
      () => fileSaver(42 as unknown as string),
      hasCode('INVALID_ARGUMENT', /fileSaver expects a directory path, but got 42/),
    );
  });
});
