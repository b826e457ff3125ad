import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import {
  BatchCutMix,
  cutMixBatch,
  cutMixBox,
  cutMixLambda,
  type CutMixBox,
} from '../../src/augment/index.js';
import { expectNoLeaks } from '../helpers/tensors.js';
import { assertCloseTo, assertDistillError } from './assertions.js';

before(async () => {
  await tf.setBackend('cpu');
});

/** Pixel (y, x, c) of image k holds 1000k + 100c + 10y + x, so every value tells its origin. */
function codedImages(n: number, h: number, w: number, c: number): number[][][][] {
  return Array.from({ length: n }, (_, k) =>
    Array.from({ length: h }, (_, y) =>
      Array.from({ length: w }, (_, x) =>
        Array.from({ length: c }, (_, ch) => 1000 * k + 100 * ch + 10 * y + x),
      ),
    ),
  );
}

/** The reference CutMix result, pixel by pixel. */
function pasteBox(images: number[][][][], box: CutMixBox, perm: readonly number[]): number[][][][] {
  return images.map((image, k) =>
    image.map((row, y) =>
      row.map((pixel, x) => {
        const inside = y >= box.top && y < box.bottom && x >= box.left && x < box.right;
        return inside ? images[perm[k]!]![y]![x]! : pixel;
      }),
    ),
  );
}

const ONE_HOT = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
];

function mixLabels(rows: number[][], lambda: number, perm: readonly number[]): number[][] {
  return rows.map((row, i) => row.map((v, j) => lambda * v + (1 - lambda) * rows[perm[i]!]![j]!));
}

describe('cutMixBox', () => {
  it('cutMixBox centres a box of side sqrt(1 - λ) of the image', () => {
    const box = cutMixBox({ lambda: 0.75, height: 4, width: 4, centreY: 1, centreX: 2 });
    assert.deepEqual(box, { top: 0, left: 1, bottom: 2, right: 3 });
    assert.equal(cutMixLambda(box, 4, 4), 0.75);
  });

  it('cutMixBox clips the box at the image border, and λ is corrected to the kept area', () => {
    const box = cutMixBox({ lambda: 0.75, height: 4, width: 4, centreY: 0, centreX: 3 });
    assert.deepEqual(box, { top: 0, left: 2, bottom: 1, right: 4 });
    assert.equal(cutMixLambda(box, 4, 4), 1 - 2 / 16);
  });

  it('cutMixBox gives an empty box for λ = 1 and the whole image for λ = 0', () => {
    const empty = cutMixBox({ lambda: 1, height: 5, width: 3, centreY: 2, centreX: 1 });
    assert.equal(cutMixLambda(empty, 5, 3), 1);
    const full = cutMixBox({ lambda: 0, height: 4, width: 6, centreY: 2, centreX: 3 });
    assert.deepEqual(full, { top: 0, left: 0, bottom: 4, right: 6 });
    assert.equal(cutMixLambda(full, 4, 6), 0);
  });
});

describe('cutMixBatch', () => {
  it('cutMixBatch pastes the box from the permuted image and keeps the rest exactly', async () => {
    await expectNoLeaks(() => {
      const coded = codedImages(3, 4, 5, 2);
      const images = tf.tensor4d(coded);
      const labels = tf.tensor2d(ONE_HOT);
      const box = { top: 1, left: 2, bottom: 3, right: 5 };
      const perm = [2, 0, 1];
      const [x, y] = cutMixBatch(images, labels, box, perm);
      assertCloseTo(x, pasteBox(coded, box, perm), 0);
      assertCloseTo(y, mixLabels(ONE_HOT, 1 - 6 / 20, perm));
      tf.dispose([images, labels, x, y]);
    });
  });

  it('cutMixBatch rejects a box outside the image', async () => {
    await expectNoLeaks(() => {
      const images = tf.zeros<tf.Rank.R4>([2, 4, 4, 1]);
      const labels = tf.zeros<tf.Rank.R2>([2, 3]);
      assertDistillError(
        () => cutMixBatch(images, labels, { top: 0, left: 0, bottom: 5, right: 2 }, [1, 0]),
        'INVALID_ARGUMENT',
        /bottom <= 4/,
        /"bottom":5/,
      );
      tf.dispose([images, labels]);
    });
  });
});

describe('BatchCutMix', () => {
  it('BatchCutMix.call pastes the box it reports and mixes labels by the corrected λ', async () => {
    await expectNoLeaks(() => {
      const coded = codedImages(3, 6, 7, 1);
      const images = tf.tensor4d(coded);
      const labels = tf.tensor1d([0, 1, 2], 'int32');
      const cutmix = new BatchCutMix({ alpha: 1, numClasses: 3, seed: 21 });
      for (let call = 0; call < 5; call++) {
        const [x, y] = cutmix.call(images, labels);
        const { box, perm, lambda, applied } = cutmix.lastParams!;
        assert.ok(applied && box !== undefined);
        assert.ok(box.top >= 0 && box.bottom <= 6 && box.left >= 0 && box.right <= 7);
        const area = (box.bottom - box.top) * (box.right - box.left);
        assert.equal(lambda, 1 - area / 42);
        assertCloseTo(x, pasteBox(coded, box, perm), 0);
        assertCloseTo(y, mixLabels(ONE_HOT, lambda, perm));
        tf.dispose([x, y]);
      }
      tf.dispose([images, labels]);
    });
  });

  it('BatchCutMix cuts boxes of about (1 - λ) of the image on average', async () => {
    await expectNoLeaks(() => {
      // With α = 1, λ is uniform, so the box covers about half of the image before clipping;
      // clipping at the borders makes the average kept share somewhat above 0.5.
      const images = tf.zeros([2, 32, 32, 1]);
      const labels = tf.tensor1d([0, 1], 'int32');
      const cutmix = new BatchCutMix({ alpha: 1, numClasses: 2, seed: 8 });
      let total = 0;
      for (let i = 0; i < 400; i++) {
        tf.dispose(cutmix.call(images, labels));
        total += cutmix.lastParams!.lambda;
      }
      const meanLambda = total / 400;
      assert.ok(meanLambda > 0.5 && meanLambda < 0.8, `mean corrected λ ${meanLambda}`);
      tf.dispose([images, labels]);
    });
  });

  it('BatchCutMix.call on flat images with imageShape matches the [N, H, W, C] result', async () => {
    await expectNoLeaks(() => {
      const coded = codedImages(4, 5, 6, 2);
      const images4d = tf.tensor4d(coded);
      const flat = images4d.reshape([4, 60]);
      const labels = tf.tensor1d([0, 1, 2, 0], 'int32');
      const options = { alpha: 0.5, numClasses: 3, seed: 77 } as const;
      const [x4, y4] = new BatchCutMix(options).call(images4d, labels);
      const withChannels = new BatchCutMix({ ...options, imageShape: [5, 6, 2] });
      const inferred = new BatchCutMix({ ...options, imageShape: [5, 6] });
      for (const cutmix of [withChannels, inferred]) {
        const [x, y] = cutmix.call(flat, labels);
        assert.deepEqual(x.shape, [4, 60]);
        const expected = x4.reshape([4, 60]);
        assertCloseTo(x, expected, 0);
        assertCloseTo(y, y4);
        tf.dispose([x, y, expected]);
      }
      tf.dispose([images4d, flat, labels, x4, y4]);
    });
  });

  it('BatchCutMix.call with the same seed reproduces a run for either label form', async () => {
    await expectNoLeaks(() => {
      const images = tf.tensor4d(codedImages(3, 4, 4, 1));
      const indices = tf.tensor1d([0, 2, 1], 'int32');
      const oneHot = tf.oneHot(indices, 3);
      const a = new BatchCutMix({ alpha: 1, numClasses: 3, seed: 5 });
      const b = new BatchCutMix({ alpha: 1, numClasses: 3, seed: 5 });
      const fromIndices = a.call(images, indices);
      const fromOneHot = b.call(images, oneHot);
      assertCloseTo(fromOneHot[0], fromIndices[0], 0);
      assertCloseTo(fromOneHot[1], fromIndices[1]);
      tf.dispose([images, indices, oneHot, ...fromIndices, ...fromOneHot]);
    });
  });

  it('BatchCutMix.call with prob 0 returns the images and one-hot labels', async () => {
    await expectNoLeaks(() => {
      const coded = codedImages(2, 3, 3, 1);
      const images = tf.tensor4d(coded);
      const labels = tf.tensor1d([1, 0], 'int32');
      const [x, y] = new BatchCutMix({ alpha: 1, numClasses: 2, prob: 0 }).call(images, labels);
      assertCloseTo(x, coded, 0);
      assertCloseTo(y, [
        [0, 1],
        [1, 0],
      ]);
      tf.dispose([images, labels, x, y]);
    });
  });
});
