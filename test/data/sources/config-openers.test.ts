import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { MNIST_FILES } from '../../../src/data/mnist.js';
import {
  openCsvFromConfig,
  openMnistFromConfig,
  openNpyFromConfig,
} from '../../../src/data/sources/config-openers.js';
import { openCsv } from '../../../src/data/sources/csv.js';
import { distillError } from '../../helpers/errors.js';
import { idxBytes } from '../../helpers/idx.js';
import { fixturesDir } from '../../helpers/paths.js';
import { collect, tempDir } from '../../helpers/sources.js';

before(async () => {
  await tf.setBackend('cpu');
});

const tabular = path.join(fixturesDir, 'tabular');
const context = { baseDir: tabular, seed: 9, path: 'data.source' };

describe('openCsvFromConfig', () => {
  it('resolves paths against the config folder and splits with the run seed', async () => {
    const fromConfig = await openCsvFromConfig(
      { path: 'blobs.csv', validationFraction: 0.1 },
      context,
    );
    const direct = await openCsv({
      path: path.join(tabular, 'blobs.csv'),
      seed: 9,
      validationFraction: 0.1,
    });
    assert.deepEqual(fromConfig.classNames, direct.classNames);
    assert.deepEqual(
      (await collect(fromConfig.test, { shuffle: false })).xs,
      (await collect(direct.test, { shuffle: false })).xs,
    );
  });

  it('refuses unknown keys and names the config key in errors', async () => {
    await assert.rejects(
      openCsvFromConfig({ path: 'blobs.csv', lable: 'x' }, context),
      distillError('INVALID_CONFIG', /data\.source\.lable/, /labelColumn/),
    );
    await assert.rejects(
      openCsvFromConfig({ path: 'missing.csv' }, context),
      distillError('FILE_NOT_FOUND', /missing\.csv/, /\(at data\.source\)/),
    );
  });
});

describe('openNpyFromConfig', () => {
  it('opens a folder relative to the config', async () => {
    const data = await openNpyFromConfig({ dir: 'blobs-npy' }, context);
    assert.deepEqual(data.inputShape, [8]);
    assert.equal(data.test.count, 60);
    await assert.rejects(
      openNpyFromConfig({ dir: 'blobs-npy', scale: 'big' }, context),
      distillError('INVALID_ARGUMENT', /scale/, /\(at data\.source\)/),
    );
  });
});

describe('openMnistFromConfig', () => {
  it('holds out 5000 digits for validation unless told otherwise, like a run', async () => {
    const dir = tempDir();
    const write = (name: string, bytes: Uint8Array): void =>
      fs.writeFileSync(path.join(dir, name), bytes);
    write(MNIST_FILES.trainImages, idxBytes([10, 28, 28], new Uint8Array(7840)));
    write(
      MNIST_FILES.trainLabels,
      idxBytes(
        [10],
        Array.from({ length: 10 }, (_, i) => i),
      ),
    );
    write(MNIST_FILES.testImages, idxBytes([2, 28, 28], new Uint8Array(1568)));
    write(MNIST_FILES.testLabels, idxBytes([2], [0, 1]));
    const ctx = { ...context, baseDir: path.dirname(dir) };
    await assert.rejects(
      openMnistFromConfig({ dir: path.basename(dir) }, ctx),
      distillError('INVALID_ARGUMENT', /validationSize 5000/, /\(at data\.source\)/),
    );
    const data = await openMnistFromConfig(
      { dir: path.basename(dir), validationSize: 2, shape: 'image' },
      ctx,
    );
    assert.equal(data.validation?.count, 2);
    assert.deepEqual(data.inputShape, [28, 28, 1]);
  });
});
