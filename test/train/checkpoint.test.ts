import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { DistillError } from '../../src/errors.js';
import { mlp } from '../../src/models/index.js';
import {
  loadCheckpoint,
  readCheckpointInfo,
  saveCheckpoint,
  type CheckpointMeta,
} from '../../src/train/index.js';
import { assertTensorClose, expectNoLeaks } from '../helpers/tensors.js';

before(async () => {
  await tf.setBackend('cpu');
});

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-distill-ckpt-'));
  tempDirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function tinyModel(): tf.Sequential {
  return mlp({ inputSize: 4, hidden: [6], numClasses: 3, seed: 5 });
}

function hasCode(code: string, pattern: RegExp): (e: unknown) => boolean {
  return (e) => {
    assert.ok(e instanceof DistillError, `not a DistillError: ${String(e)}`);
    assert.equal(e.code, code);
    assert.match(e.message, pattern);
    return true;
  };
}

/** One Adam step of softmax cross-entropy on a fixed batch. */
function trainStep(model: tf.LayersModel, optimizer: tf.Optimizer): void {
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  tf.tidy(() => {
    const x = tf.tensor2d([
      [0.1, 0.2, 0.3, 0.4],
      [0.9, 0.1, 0.5, 0.2],
    ]);
    const y = tf.oneHot(tf.tensor1d([0, 2], 'int32'), 3);
    optimizer.minimize(
      () => tf.losses.softmaxCrossEntropy<tf.Tensor, tf.Scalar>(y, model.apply(x) as tf.Tensor),
      false,
      vars,
    );
  });
}

function weightsOf(model: tf.LayersModel): number[][] {
  return model.getWeights().map((w) => Array.from(w.dataSync()));
}

describe('saveCheckpoint and loadCheckpoint', () => {
  it('round-trip model and metadata, and checkpoint.json lists every file', async () => {
    await expectNoLeaks(async () => {
      const dir = tempDir();
      const model = tinyModel();
      try {
        const saved = await saveCheckpoint(model, dir, {
          epoch: 2,
          step: 40,
          metrics: { loss: 0.5, valAccuracy: 0.9 },
          seed: 7,
          extra: { note: 'hello' },
        });
        assert.deepEqual(fs.readdirSync(dir).sort(), [
          'checkpoint.json',
          'model.json',
          'weights.bin',
        ]);
        assert.deepEqual(Object.keys(saved.files).sort(), ['model.json', 'weights.bin']);
        const { model: loaded, info, optimizerRestored } = await loadCheckpoint(dir);
        try {
          assert.equal(optimizerRestored, false);
          assert.equal(info.epoch, 2);
          assert.equal(info.step, 40);
          assert.deepEqual(info.metrics, { loss: 0.5, valAccuracy: 0.9 });
          assert.equal(info.seed, 7);
          assert.deepEqual(info.extra, { note: 'hello' });
          assert.deepEqual(weightsOf(loaded), weightsOf(model));
        } finally {
          loaded.dispose();
        }
        assert.deepEqual(await readCheckpointInfo(dir), saved);
      } finally {
        model.dispose();
      }
    });
  });

  it('restores Adam state so a resumed step equals an uninterrupted one', async () => {
    await expectNoLeaks(async () => {
      const dir = tempDir();
      const model = tinyModel();
      const optimizer = tf.train.adam(0.01);
      const fresh = tf.train.adam(0.01);
      let resumed: tf.LayersModel | undefined;
      try {
        trainStep(model, optimizer);
        trainStep(model, optimizer);
        const info = await saveCheckpoint(model, dir, { epoch: 0, step: 2 }, { optimizer });
        assert.equal(info.optimizer, 'adam');
        assert.equal(info.optimizerState?.className, 'Adam');
        // iteration count + first and second moments of 4 weights
        assert.equal(info.optimizerState?.weights.length, 9);
        trainStep(model, optimizer);

        const loaded = await loadCheckpoint(dir, { optimizer: fresh });
        resumed = loaded.model;
        assert.equal(loaded.optimizerRestored, true);
        assert.equal(fresh.iterations, 2);
        trainStep(resumed, fresh);
        const expected = model.getWeights();
        resumed.getWeights().forEach((w, i) => assertTensorClose(w, expected[i]!, 1e-6));
      } finally {
        model.dispose();
        resumed?.dispose();
        optimizer.dispose();
        fresh.dispose();
      }
    });
  });

  it('refuses to restore into an optimizer of another class or one already used', async () => {
    const dir = tempDir();
    const model = tinyModel();
    const adam = tf.train.adam(0.01);
    const used = tf.train.adam(0.01);
    const sgd = tf.train.sgd(0.1);
    try {
      trainStep(model, adam);
      await saveCheckpoint(model, dir, { epoch: 0, step: 1 }, { optimizer: adam });
      await assert.rejects(
        loadCheckpoint(dir, { optimizer: sgd }),
        hasCode('INVALID_ARGUMENT', /Adam optimizer, but the optimizer given is SGD/),
      );
      trainStep(model, used);
      await assert.rejects(
        loadCheckpoint(dir, { optimizer: used }),
        hasCode('INVALID_ARGUMENT', /already holds state/),
      );
    } finally {
      model.dispose();
      [adam, used, sgd].forEach((o) => o.dispose());
    }
  });

  it('detects a weights.bin from another save (same size, other contents)', async () => {
    const dir = tempDir();
    const other = tempDir();
    const a = tinyModel();
    const b = mlp({ inputSize: 4, hidden: [6], numClasses: 3, seed: 6 });
    try {
      await saveCheckpoint(a, dir, { epoch: 1, step: 1 });
      await saveCheckpoint(b, other, { epoch: 1, step: 1 });
      fs.copyFileSync(path.join(other, 'weights.bin'), path.join(dir, 'weights.bin'));
      await assert.rejects(
        loadCheckpoint(dir),
        hasCode(
          'DATA_CORRUPT',
          /weights\.bin does not match .*checkpoint\.json: its SHA-256 differs/,
        ),
      );
      fs.truncateSync(path.join(dir, 'weights.bin'), 10);
      await assert.rejects(
        loadCheckpoint(dir),
        hasCode('DATA_CORRUPT', /expected \d+ bytes, got 10/),
      );
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  it('reports a directory without checkpoint.json and a corrupt checkpoint.json', async () => {
    await assert.rejects(
      loadCheckpoint(tempDir()),
      hasCode('FILE_NOT_FOUND', /checkpoint\.json.*no complete checkpoint/),
    );
    const dir = tempDir();
    const model = tinyModel();
    try {
      await saveCheckpoint(model, dir, { epoch: 0, step: 0 });
    } finally {
      model.dispose();
    }
    fs.writeFileSync(path.join(dir, 'checkpoint.json'), '{"format": "tfjs-distill-checkpoint", ');
    await assert.rejects(loadCheckpoint(dir), hasCode('DATA_CORRUPT', /invalid JSON/));
  });

  it('replaces an older checkpoint in the same directory, dropping its optimizer state', async () => {
    const dir = tempDir();
    const model = tinyModel();
    const adam = tf.train.adam(0.01);
    try {
      trainStep(model, adam);
      await saveCheckpoint(model, dir, { epoch: 0, step: 1 }, { optimizer: adam });
      assert.ok(fs.existsSync(path.join(dir, 'optimizer.bin')));
      await saveCheckpoint(model, dir, { epoch: 1, step: 2 });
      assert.deepEqual(fs.readdirSync(dir).sort(), [
        'checkpoint.json',
        'model.json',
        'weights.bin',
      ]);
      assert.equal((await readCheckpointInfo(dir)).epoch, 1);
    } finally {
      model.dispose();
      adam.dispose();
    }
  });

  it('validates the metadata, naming the bad field', async () => {
    const model = tinyModel();
    try {
      await assert.rejects(
        saveCheckpoint(model, tempDir(), { epoch: 1.5, step: 0 }),
        hasCode('INVALID_ARGUMENT', /meta\.epoch to be a non-negative integer, but got 1\.5/),
      );
      await assert.rejects(
        saveCheckpoint(model, tempDir(), { epoch: 1, step: 0, metrics: { loss: NaN } }),
        hasCode('INVALID_ARGUMENT', /meta\.metrics/),
      );
      await assert.rejects(
        saveCheckpoint(model, tempDir(), { epoch: 1, step: 0, lr: 0.1 } as CheckpointMeta),
        hasCode('INVALID_ARGUMENT', /Unknown checkpoint meta field "lr".*meta\.extra/),
      );
    } finally {
      model.dispose();
    }
  });
});
