import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { BatchMixup, mixupBatch, toSoftLabels } from '../../src/augment/index.js';
import { expectNoLeaks } from '../helpers/tensors.js';
import { assertCloseTo, assertDistillError } from './assertions.js';

before(async () => {
  await tf.setBackend('cpu');
});

/** λ·x[i] + (1-λ)·x[perm[i]] on nested arrays, the reference for the tensor code. */
function mixRows(rows: number[][], lambda: number, perm: readonly number[]): number[][] {
  return rows.map((row, i) => row.map((v, j) => lambda * v + (1 - lambda) * rows[perm[i]!]![j]!));
}

describe('mixupBatch', () => {
  it('mixupBatch blends images and labels with λ and the permutation', async () => {
    await expectNoLeaks(() => {
      const images = tf.tensor2d([
        [1, 2],
        [3, 4],
      ]);
      const labels = tf.tensor2d([
        [1, 0],
        [0, 1],
      ]);
      const [x, y] = mixupBatch(images, labels, 0.7, [1, 0]);
      assertCloseTo(x, [
        [1.6, 2.6],
        [2.4, 3.4],
      ]);
      assertCloseTo(y, [
        [0.7, 0.3],
        [0.3, 0.7],
      ]);
      tf.dispose([images, labels, x, y]);
    });
  });

  it('mixupBatch rejects a λ outside [0, 1] and a perm that is not a permutation', async () => {
    await expectNoLeaks(() => {
      const images = tf.zeros([2, 3]);
      const labels = tf.zeros<tf.Rank.R2>([2, 4]);
      const wrongLabels = tf.zeros<tf.Rank.R2>([3, 4]);
      assertDistillError(() => mixupBatch(images, labels, 1.5, [0, 1]), 'INVALID_ARGUMENT', /1\.5/);
      assertDistillError(
        () => mixupBatch(images, labels, 0.5, [0, 0]),
        'INVALID_ARGUMENT',
        /permutation of 0\.\.1/,
        /\[0,0\]/,
      );
      assertDistillError(
        () => mixupBatch(images, wrongLabels, 0.5, [1, 0]),
        'SHAPE_MISMATCH',
        /\[2, numClasses\]/,
        /\[3,4\]/,
      );
      tf.dispose([images, labels, wrongLabels]);
    });
  });
});

describe('BatchMixup', () => {
  const rows = [
    [1, 2, 3],
    [4, 5, 6],
    [7, 8, 9],
    [10, 11, 12],
  ];

  it('BatchMixup.call mixes with the λ and perm it reports in lastParams', async () => {
    await expectNoLeaks(() => {
      const mixup = new BatchMixup({ alpha: 1, numClasses: 3, seed: 11 });
      const images = tf.tensor2d(rows);
      const labels = tf.tensor1d([0, 1, 2, 1], 'int32');
      const [x, y] = mixup.call(images, labels);
      const params = mixup.lastParams!;
      assert.equal(params.applied, true);
      assert.ok(params.lambda > 0 && params.lambda < 1);
      assert.deepEqual([...params.perm].sort(), [0, 1, 2, 3]);
      assertCloseTo(x, mixRows(rows, params.lambda, params.perm));
      const oneHot = [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
        [0, 1, 0],
      ];
      assertCloseTo(y, mixRows(oneHot, params.lambda, params.perm));
      tf.dispose([images, labels, x, y]);
    });
  });

  it('BatchMixup.call gives the same result for class indices and one-hot labels', async () => {
    await expectNoLeaks(() => {
      const images = tf.randomUniform([4, 2, 2, 3]);
      const indices = tf.tensor1d([2, 0, 1, 2], 'int32');
      const oneHot = tf.oneHot(indices, 3);
      const floatIndices = tf.tensor1d([2, 0, 1, 2]);
      const outputs = [indices, oneHot, floatIndices].map((labels) =>
        new BatchMixup({ alpha: 0.4, numClasses: 3, seed: 5 }).call(images, labels),
      );
      for (const [x, y] of outputs.slice(1)) {
        assertCloseTo(x, outputs[0]![0]);
        assertCloseTo(y, outputs[0]![1]);
      }
      tf.dispose([images, indices, oneHot, floatIndices, ...outputs.flat()]);
    });
  });

  it('BatchMixup.call with prob 0 returns the images and one-hot float labels', async () => {
    await expectNoLeaks(() => {
      const mixup = new BatchMixup({ alpha: 1, numClasses: 3, prob: 0 });
      const images = tf.tensor2d(rows, undefined, 'int32');
      const labels = tf.tensor1d([0, 1, 2, 1], 'int32');
      const [x, y] = mixup.call(images, labels);
      assert.equal(x.dtype, 'float32');
      assert.equal(y.dtype, 'float32');
      assertCloseTo(x, rows);
      assertCloseTo(y, [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
        [0, 1, 0],
      ]);
      assert.deepEqual(mixup.lastParams, { applied: false, lambda: 1, perm: [0, 1, 2, 3] });
      tf.dispose([images, labels, x, y]);
    });
  });

  it('BatchMixup.call returns new tensors even when it leaves the batch unchanged', async () => {
    await expectNoLeaks(() => {
      const mixup = new BatchMixup({ alpha: 1, numClasses: 2, prob: 0 });
      const images = tf.ones([2, 3]);
      const labels = tf.tensor2d([
        [1, 0],
        [0, 1],
      ]);
      const [x, y] = mixup.call(images, labels);
      assert.notEqual(x, images);
      assert.notEqual(y, labels);
      tf.dispose([x, y]);
      assert.equal(images.isDisposed, false);
      assertCloseTo(images, [
        [1, 1, 1],
        [1, 1, 1],
      ]);
      tf.dispose([images, labels]);
    });
  });

  it('BatchMixup.call with prob 0.5 mixes about half of the batches', async () => {
    await expectNoLeaks(() => {
      const mixup = new BatchMixup({ alpha: 1, numClasses: 2, prob: 0.5, seed: 3 });
      const images = tf.ones([2, 3]);
      const labels = tf.tensor1d([0, 1], 'int32');
      let applied = 0;
      for (let i = 0; i < 1000; i++) {
        tf.dispose(mixup.call(images, labels));
        if (mixup.lastParams!.applied) applied++;
      }
      assert.ok(Math.abs(applied - 500) < 60, `applied ${applied} of 1000`);
      tf.dispose([images, labels]);
    });
  });

  it('BatchMixup.mix mixes regardless of prob', async () => {
    await expectNoLeaks(() => {
      const mixup = new BatchMixup({ alpha: 1, numClasses: 2, prob: 0, seed: 1 });
      const images = tf.ones([2, 3]);
      const labels = tf.tensor1d([0, 1], 'int32');
      tf.dispose(mixup.mix(images, labels));
      assert.equal(mixup.lastParams!.applied, true);
      tf.dispose([images, labels]);
    });
  });

  it('BatchMixup with the same seed reproduces a run, and its stream advances', async () => {
    await expectNoLeaks(() => {
      const images = tf.tensor2d(rows);
      const labels = tf.tensor1d([0, 1, 2, 1], 'int32');
      const a = new BatchMixup({ alpha: 1, numClasses: 3, seed: 99 });
      const b = new BatchMixup({ alpha: 1, numClasses: 3, seed: 99 });
      const first = a.call(images, labels);
      const fromB = b.call(images, labels);
      assertCloseTo(fromB[0], first[0]);
      assertCloseTo(fromB[1], first[1]);
      assert.deepEqual(b.lastParams, a.lastParams);
      const paramsA1 = a.lastParams!;
      const second = a.call(images, labels);
      assert.notEqual(a.lastParams!.lambda, paramsA1.lambda);
      const change = tf.tidy(() => second[0].sub(first[0]).abs().max().dataSync()[0]!);
      assert.ok(change > 1e-3, `second batch differs by ${change}`);
      tf.dispose([images, labels, ...first, ...second, ...fromB]);
    });
  });

  it('BatchMixup.call works inside a caller tf.tidy, which owns the results', async () => {
    await expectNoLeaks(() => {
      const mixup = new BatchMixup({ alpha: 0.2, numClasses: 10, seed: 4 });
      const images = tf.randomNormal([8, 4, 4, 1]);
      const labels = tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'int32');
      const sums = tf.tidy(() => {
        const [, y] = mixup.call(images, labels);
        return y.sum(1);
      });
      assertCloseTo(sums, [1, 1, 1, 1, 1, 1, 1, 1]);
      tf.dispose([images, labels, sums]);
    });
  });
});

describe('toSoftLabels', () => {
  it('toSoftLabels turns indices into one-hot floats and casts one-hot rows', async () => {
    await expectNoLeaks(() => {
      const indices = tf.tensor1d([1, 0], 'int32');
      const soft = tf.tensor2d([0.2, 0.8, 1, 0], [2, 2], 'float32');
      const fromIndices = toSoftLabels(indices, 2);
      const fromSoft = toSoftLabels(soft, 2);
      assertCloseTo(fromIndices, [
        [0, 1],
        [1, 0],
      ]);
      assertCloseTo(fromSoft, soft);
      tf.dispose([indices, soft, fromIndices, fromSoft]);
    });
  });
});
