import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { batches } from '../../../src/data/batches.js';
import { MNIST_FILES } from '../../../src/data/mnist.js';
import { defaultMnistDir, loadMnist } from '../../../src/data/mnist-node.js';
import { fromArrays } from '../../../src/data/sources/arrays.js';
import { looksLikeMnistDir } from '../../../src/data/sources/detect.js';
import { openMnist } from '../../../src/data/sources/mnist-source.js';
import { splitValidation, takeSubset } from '../../../src/data/split.js';
import { distillError } from '../../helpers/errors.js';
import { idxBytes } from '../../helpers/idx.js';
import { collect, tempDir } from '../../helpers/sources.js';
import { expectNoLeaks } from '../../helpers/tensors.js';

before(async () => {
  await tf.setBackend('cpu');
});

/** A fake MNIST folder: image i has every pixel equal to i, label i % 10. */
function fakeMnist(train: number, test: number): string {
  const dir = tempDir();
  const write = (name: string, bytes: Uint8Array): void =>
    fs.writeFileSync(path.join(dir, name), bytes);
  const pixels = (n: number): number[] =>
    Array.from({ length: n * 784 }, (_, j) => Math.floor(j / 784));
  const labels = (n: number): number[] => Array.from({ length: n }, (_, i) => i % 10);
  write(MNIST_FILES.trainImages, idxBytes([train, 28, 28], pixels(train)));
  write(MNIST_FILES.trainLabels, idxBytes([train], labels(train)));
  write(MNIST_FILES.testImages, idxBytes([test, 28, 28], pixels(test)));
  write(MNIST_FILES.testLabels, idxBytes([test], labels(test)));
  return dir;
}

describe('openMnist', () => {
  it('splits and orders batches exactly as a run does with loadMnist, splitValidation, takeSubset and batches', async () => {
    const dir = fakeMnist(40, 6);
    await expectNoLeaks(async () => {
      const source = await openMnist({
        dir,
        validationSize: 10,
        trainLimit: 20,
        testLimit: 5,
        seed: 3,
      });
      assert.deepEqual(source.inputShape, [784]);
      assert.equal(source.numClasses, 10);
      assert.deepEqual(source.classNames, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
      assert.equal(source.train.count, 20);
      assert.equal(source.validation?.count, 10);
      assert.equal(source.test.count, 5);
      const mnist = await loadMnist({ dir, testLimit: 5 });
      const split = splitValidation(mnist.train, { validationSize: 10, seed: 3 });
      const train = takeSubset(split.train, 20, 3);
      const expected: number[] = [];
      for (const b of batches(train, { batchSize: 8, seed: 3, epoch: 2 })) {
        expected.push(...Array.from(b.indices, (i) => train.images[i * 784]!));
        tf.dispose([b.x, b.y]);
      }
      const got = await collect(source.train, { batchSize: 8, seed: 3, epoch: 2 });
      assert.deepEqual(
        got.xs.map((x) => x[0]),
        expected,
      );
      assert.deepEqual(got.sizes, [8, 8, 4]);
      got.xs.forEach((x, i) => assert.equal(got.ys[i], Math.round(x[0]! * 255) % 10));
      const validation = await collect(source.validation, { shuffle: false });
      assert.deepEqual(
        validation.xs.map((x) => x[0]),
        Array.from(split.validation.images.filter((_, j) => j % 784 === 0)),
      );
    });
  });

  it('gives [28, 28, 1] images with shape: image, and no validation split by default', async () => {
    const source = await openMnist({ dir: fakeMnist(4, 2), shape: 'image' });
    assert.deepEqual(source.inputShape, [28, 28, 1]);
    assert.equal(source.validation, undefined);
    await expectNoLeaks(async () => {
      for await (const batch of source.test.batches({ batchSize: 2, seed: 0, epoch: 0 })) {
        assert.deepEqual(batch.x.shape, [2, 28, 28, 1]);
        tf.dispose([batch.x, batch.y]);
        break;
      }
    });
    await assert.rejects(
      openMnist({ dir: fakeMnist(4, 2), shape: 'square' as 'flat' }),
      distillError('INVALID_ARGUMENT', /"square"/),
    );
  });
});

describe('fromArrays', () => {
  it('serves typed arrays in seeded order with class names', async () => {
    const x = Float32Array.from({ length: 12 }, (_, i) => i);
    const source = fromArrays({
      train: { x, y: [0, 1, 0, 1, 0, 1], count: 6 },
      test: { x: x.subarray(0, 4), y: Uint8Array.from([1, 0]), count: 2 },
      inputShape: [2],
      numClasses: 2,
      classNames: ['cat', 'dog'],
    });
    assert.deepEqual(source.classNames, ['cat', 'dog']);
    const a = await collect(source.train, { batchSize: 4, seed: 9 });
    assert.deepEqual(a, await collect(source.train, { batchSize: 4, seed: 9 }));
    assert.deepEqual(
      a.xs.map((r) => r[0]!).sort((p, q) => p - q),
      [0, 2, 4, 6, 8, 10],
    );
    a.xs.forEach((r, i) => assert.equal(a.ys[i], (r[0]! / 2) % 2));
    assert.deepEqual((await collect(source.test, { shuffle: false })).xs, [
      [0, 1],
      [2, 3],
    ]);
  });

  it('rejects mismatched sizes, out-of-range labels and wrong class names', () => {
    const base = {
      test: { x: new Float32Array(2), y: [0], count: 1 },
      inputShape: [2],
      numClasses: 2,
    };
    assert.throws(
      () => fromArrays({ ...base, train: { x: new Float32Array(3), y: [0], count: 1 } }),
      distillError('INVALID_ARGUMENT', /train\.x has 3 values/),
    );
    assert.throws(
      () => fromArrays({ ...base, train: { x: new Float32Array(2), y: [2], count: 1 } }),
      distillError('INVALID_ARGUMENT', /train\.y\[0\] is 2/),
    );
    assert.throws(
      () =>
        fromArrays({
          ...base,
          train: { x: new Float32Array(2), y: [0], count: 1 },
          classNames: ['a'],
        }),
      distillError('INVALID_ARGUMENT', /classNames/),
    );
  });
});

describe('looksLikeMnistDir', () => {
  it('is true for a folder of the four IDX files and false otherwise', async () => {
    assert.equal(await looksLikeMnistDir(fakeMnist(1, 1)), true);
    assert.equal(await looksLikeMnistDir(defaultMnistDir()), true);
    assert.equal(await looksLikeMnistDir(tempDir()), false);
    const partial = fakeMnist(1, 1);
    fs.rmSync(path.join(partial, MNIST_FILES.testLabels));
    assert.equal(await looksLikeMnistDir(partial), false);
  });
});
