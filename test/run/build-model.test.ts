import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { buildModel } from '../../src/run/build-model.js';
import type { ModelConfig } from '../../src/index.js';
import { distillError } from '../helpers/errors.js';
import { expectNoLeaks } from '../helpers/tensors.js';

const AS_TEACHER = { seed: 0, name: 'teacher', baseDir: os.tmpdir(), path: 'teacher.model' };

describe('buildModel', () => {
  it('buildModel builds a zoo model under the name it is given', async () => {
    await tf.setBackend('cpu');
    const model = await buildModel({ type: 'mlp', hidden: [5] }, AS_TEACHER);
    try {
      assert.equal(model.name, 'teacher');
      assert.deepEqual(model.outputs[0]!.shape, [null, 10]);
    } finally {
      model.dispose();
    }
  });

  it("buildModel names the config key of a zoo model's bad option", async () => {
    await expectNoLeaks(async () => {
      const config: ModelConfig = { type: 'smallCnn', filters: [0, 8] };
      await assert.rejects(
        buildModel(config, AS_TEACHER),
        distillError(
          'INVALID_ARGUMENT',
          /filters\[0\] to be a positive integer/,
          /\(at teacher\.model\)$/,
        ),
      );
    });
  });

  it('buildModel rejects a saved model that does not exist, naming the key and the path', async () => {
    const missing = path.join(os.tmpdir(), `tfjs-distill-missing-${process.pid}`);
    assert.equal(fs.existsSync(missing), false);
    await assert.rejects(
      buildModel({ type: 'saved', path: missing }, AS_TEACHER),
      distillError(
        'FILE_NOT_FOUND',
        /^teacher\.model\.path: ".*tfjs-distill-missing-\d+" does not exist/,
        /Train the model first/,
      ),
    );
  });

  it('buildModel rejects a model that does not take [N, 784] or output [N, 10], naming the key, and frees it', async () => {
    await tf.setBackend('cpu');
    await expectNoLeaks(async () => {
      await assert.rejects(
        buildModel({ type: 'mlp', hidden: [5], inputSize: 100 }, AS_TEACHER),
        distillError(
          'SHAPE_MISMATCH',
          /^teacher\.model takes inputs of shape \[N, 100\], but the data gives it \[N, 784\]; set teacher\.model\.inputSize to 784/,
        ),
      );
      const fiveClasses = ((seed: number) =>
        tf.sequential({
          layers: [
            tf.layers.dense({
              inputShape: [784],
              units: 5,
              kernelInitializer: tf.initializers.glorotUniform({ seed }),
            }),
          ],
        })) as ModelConfig;
      await assert.rejects(
        buildModel(fiveClasses, AS_TEACHER),
        distillError(
          'SHAPE_MISMATCH',
          /^teacher\.model outputs \[N, 5\], but the data has 10 classes: it needs logits \[N, 10\]; /,
        ),
      );
    });
  });

  it('buildModel names the key when a model function throws', async () => {
    const throwing = (() => {
      throw new Error('no model today');
    }) as ModelConfig;
    await assert.rejects(
      buildModel(throwing, AS_TEACHER),
      distillError('INVALID_CONFIG', /^teacher\.model: the model function threw: no model today$/),
    );
  });

  it('buildModel rejects a model function that returns something else than a tfjs model', async () => {
    const notAModel = (() => ({ layers: [] })) as unknown as ModelConfig;
    await assert.rejects(
      buildModel(notAModel, AS_TEACHER),
      distillError(
        'INVALID_CONFIG',
        /teacher\.model: the model function must return a tfjs LayersModel/,
      ),
    );
  });
});

describe('buildModel on data of other shapes', () => {
  const IMAGES = { inputShape: [12, 12, 3], numClasses: 4, inputKey: 'input' } as const;

  it('buildModel sizes a small CNN from image data: no reshape, the data’s classes', async () => {
    await tf.setBackend('cpu');
    const model = await buildModel(
      { type: 'smallCnn', filters: [4, 4], hidden: 8 },
      {
        ...AS_TEACHER,
        fit: IMAGES,
      },
    );
    try {
      assert.deepEqual(model.inputs[0]!.shape, [null, 12, 12, 3]);
      assert.deepEqual(model.outputs[0]!.shape, [null, 4]);
      assert.equal(model.layers[0]!.name, 'conv1');
    } finally {
      model.dispose();
    }
  });

  it('buildModel sizes an MLP from image data with a flatten layer first', async () => {
    const model = await buildModel({ type: 'mlp', hidden: [6] }, { ...AS_TEACHER, fit: IMAGES });
    try {
      assert.deepEqual(model.inputs[0]!.shape, [null, 12, 12, 3]);
      assert.equal(model.layers[0]!.name, 'flatten');
      assert.deepEqual(model.outputs[0]!.shape, [null, 4]);
    } finally {
      model.dispose();
    }
  });

  it('buildModel says which view feeds a model of another image size', async () => {
    await expectNoLeaks(async () => {
      const config: ModelConfig = () =>
        tf.sequential({
          layers: [tf.layers.flatten({ inputShape: [8, 8, 1] }), tf.layers.dense({ units: 4 })],
        });
      await assert.rejects(
        buildModel(config, { ...AS_TEACHER, fit: { ...IMAGES, inputKey: 'teacher.input' } }),
        distillError(
          'SHAPE_MISMATCH',
          /^teacher\.model takes inputs of shape \[N, 8, 8, 1\], but the data gives it \[N, 12, 12, 3\]; set teacher\.input: \{ "size": \[8, 8\], "channels": 1 \}\.$/,
        ),
      );
    });
  });

  it('buildModel refuses a model of another number of classes, naming both', async () => {
    await expectNoLeaks(async () => {
      const config: ModelConfig = () =>
        tf.sequential({
          layers: [tf.layers.flatten({ inputShape: [12, 12, 3] }), tf.layers.dense({ units: 10 })],
        });
      await assert.rejects(
        buildModel(config, { ...AS_TEACHER, fit: IMAGES }),
        distillError('SHAPE_MISMATCH', /outputs \[N, 10\], but the data has 4 classes/),
      );
    });
  });
});
