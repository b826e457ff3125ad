import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { exportModelFiles, loadExported } from '../../src/export/export-model.js';
import { writeExport } from '../../src/export/write-export.js';
import { distillError } from '../helpers/errors.js';
import { expectNoLeaks } from '../helpers/tensors.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const tempDir = (): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-distill-export-'));
  dirs.push(d);
  return d;
};

/** A student-sized MLP with trained-looking weights (seeded, so the test is repeatable). */
function student(): tf.LayersModel {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({
        inputShape: [64],
        units: 48,
        activation: 'relu',
        name: 'hidden',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
        biasInitializer: tf.initializers.randomNormal({ stddev: 0.1, seed: 2 }),
      }),
      tf.layers.dense({
        units: 10,
        name: 'logits',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
      }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  return model;
}
const inputs = (): tf.Tensor => tf.randomUniform([32, 64], 0, 1, 'float32', 7);

/** Largest absolute difference of two models' outputs on the same inputs. */
function gap(a: tf.LayersModel, b: tf.LayersModel): number {
  return tf.tidy(() => {
    const x = inputs();
    return tf
      .max(tf.abs(tf.sub(a.predict(x) as tf.Tensor, b.predict(x) as tf.Tensor)))
      .dataSync()[0]!;
  });
}

/** Serves `dir` on 127.0.0.1, as a web server would serve an exported model. */
async function serve(dir: string): Promise<{ url: string; close: () => void }> {
  const server = createServer((req, res) => {
    const file = path.join(dir, path.basename(new URL(req.url ?? '/', 'http://x').pathname));
    if (!fs.existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200).end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/model.json`, close: () => server.close() };
}

describe('exportModelFiles', () => {
  const float = student();
  after(() => float.dispose());
  const weightCount = float.countParams();

  // Per dtype: the weights' share of the float32 bytes, and the largest output difference the
  // test accepts on these logits (of magnitude ~1): float16 keeps ~3 decimal digits, uint8 ~2.
  const cases = [
    { dtype: 'float32', share: 1, tolerance: 0 },
    { dtype: 'float16', share: 1 / 2, tolerance: 5e-3 },
    { dtype: 'uint16', share: 1 / 2, tolerance: 1e-3 },
    { dtype: 'uint8', share: 1 / 4, tolerance: 0.1 },
  ] as const;
  for (const { dtype, share, tolerance } of cases) {
    it(`exportModelFiles (${dtype}) writes ${share === 1 ? 'all' : `1/${1 / share} of the`} weight bytes, and predicts within ${tolerance}`, async () => {
      await expectNoLeaks(async () => {
        const exported = await exportModelFiles(float, { quantize: dtype });
        const weightBytes = exported.files
          .filter((f) => f.name.endsWith('.bin'))
          .reduce((n, f) => n + f.data.length, 0);
        assert.equal(weightBytes, weightCount * 4 * share);
        const loaded = await loadExported(exported);
        assert.ok(gap(float, loaded) <= tolerance, `difference ${gap(float, loaded)}`);
        loaded.dispose();
      });
    });
  }

  it('exportModelFiles writes a model.json without a training config, with the metadata given', async () => {
    const exported = await exportModelFiles(float, {
      quantize: 'uint8',
      metadata: { tfjsDistill: { classNames: ['a', 'b'] } },
    });
    assert.equal(exported.files.at(-1)!.name, 'model.json');
    const json = exported.modelJson;
    assert.equal(json.trainingConfig, undefined);
    assert.equal(json.format, 'layers-model');
    assert.deepEqual(
      json.weightsManifest[0]!.weights.map((w) => w.quantization?.dtype),
      ['uint8', 'uint8', 'uint8', 'uint8'],
    );
    const loaded = await loadExported(exported);
    loaded.dispose();
  });

  it('a stock tf.loadLayersModel loads a sharded uint8 export over HTTP, and its metadata', async () => {
    const dir = path.join(tempDir(), 'web');
    const exported = await exportModelFiles(float, {
      quantize: 'uint8',
      shardBytes: 1024,
      metadata: { tfjsDistill: { classNames: ['zero'] } },
    });
    await writeExport(dir, exported.files);
    const shards = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.bin'))
      .sort();
    const count = Math.ceil(weightCount / 1024);
    assert.equal(shards.length, count);
    assert.ok(shards.includes(`group1-shard1of${count}.bin`));
    for (const s of shards) assert.ok(fs.statSync(path.join(dir, s)).size <= 1024);
    const server = await serve(dir);
    try {
      const loaded = await tf.loadLayersModel(server.url);
      assert.ok(gap(float, loaded) <= 0.1);
      assert.deepEqual(loaded.getUserDefinedMetadata(), { tfjsDistill: { classNames: ['zero'] } });
      loaded.dispose();
    } finally {
      server.close();
    }
  });

  it('exportModelFiles refuses a layer that stock TF.js cannot load, naming it', async () => {
    class Doubler extends tf.layers.Layer {
      static className = 'Doubler';
      override call(x: tf.Tensor | tf.Tensor[]): tf.Tensor {
        return tf.mul(Array.isArray(x) ? x[0]! : x, 2);
      }
    }
    tf.serialization.registerClass(Doubler);
    const input = tf.input({ shape: [4] });
    const custom = tf.model({
      inputs: input,
      outputs: new Doubler({ name: 'double_it' }).apply(input) as tf.SymbolicTensor,
      name: 'custom',
    });
    await assert.rejects(
      exportModelFiles(custom),
      distillError(
        'INVALID_ARGUMENT',
        /custom has layers that stock TF\.js cannot load in a web page: double_it \(Doubler\)/,
      ),
    );
    custom.dispose();
  });

  it('exportModelFiles refuses what is not a LayersModel', async () => {
    await assert.rejects(
      exportModelFiles({} as tf.LayersModel),
      /expects a tf\.LayersModel, but got/,
    );
  });
});

describe('writeExport', () => {
  const files = [
    { name: 'group1-shard1of1.bin', data: new Uint8Array(8) },
    { name: 'model.json', data: new TextEncoder().encode('{}') },
  ];

  it('writeExport refuses a non-empty directory without force and leaves it as it was', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'index.html'), 'page');
    await assert.rejects(
      writeExport(dir, files, { forceHint: '--force' }),
      distillError('INVALID_ARGUMENT', /exists and is not empty: .* pass --force to replace it/),
    );
    assert.deepEqual(fs.readdirSync(dir), ['index.html']);
    assert.deepEqual(
      fs.readdirSync(path.dirname(dir)).filter((f) => f.startsWith(`.tmp-${path.basename(dir)}`)),
      [],
    );
  });

  it('writeExport with force replaces the directory whole', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'old.bin'), 'old');
    await writeExport(dir, files, { force: true });
    assert.deepEqual(fs.readdirSync(dir).sort(), ['group1-shard1of1.bin', 'model.json']);
  });

  it('writeExport writes nothing when a step before the commit fails', async () => {
    const parent = tempDir();
    const dir = path.join(parent, 'model');
    await assert.rejects(
      writeExport(dir, files, {
        beforeCommit: () => Promise.reject(new Error('measurement failed')),
      }),
      /measurement failed/,
    );
    assert.deepEqual(fs.readdirSync(parent), []);
  });
});
