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
          /^teacher\.model takes inputs of shape \[N, 100\], but a run feeds it flat MNIST digits, \[N, 784\]; set teacher\.model\.inputSize to 784/,
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
          /^teacher\.model outputs \[N, 5\], but a run needs .*\[N, 10\]\.$/,
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
