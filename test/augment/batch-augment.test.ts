import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { BatchCutMix, BatchMixup } from '../../src/augment/index.js';
import { expectNoLeaks } from '../helpers/tensors.js';
import { assertDistillError } from './assertions.js';

before(async () => {
  await tf.setBackend('cpu');
});

describe('BatchMixup options', () => {
  it('BatchMixup rejects a non-positive alpha, naming the key and value', () => {
    assertDistillError(
      () => new BatchMixup({ alpha: -1, numClasses: 3 }),
      'INVALID_CONFIG',
      /Expected alpha to be a positive number/,
      /but got -1\./,
    );
    assertDistillError(
      () => new BatchMixup({ alpha: Infinity, numClasses: 3 }),
      'INVALID_CONFIG',
      /alpha/,
      /Infinity/,
    );
  });

  it('BatchMixup rejects a numClasses that is not a positive integer', () => {
    assertDistillError(
      () => new BatchMixup({ alpha: 1, numClasses: 2.5 }),
      'INVALID_CONFIG',
      /numClasses/,
      /but got 2\.5\./,
    );
    assertDistillError(
      () => new BatchMixup({ alpha: 1, numClasses: 0 }),
      'INVALID_CONFIG',
      /numClasses/,
      /but got 0\./,
    );
  });

  it('BatchMixup rejects a prob outside [0, 1] and a seed that is not an integer', () => {
    assertDistillError(
      () => new BatchMixup({ alpha: 1, numClasses: 3, prob: 1.5 }),
      'INVALID_CONFIG',
      /Expected prob to be a probability in \[0, 1\]/,
      /but got 1\.5\./,
    );
    assertDistillError(
      () => new BatchMixup({ alpha: 1, numClasses: 3, seed: 0.5 }),
      'INVALID_CONFIG',
      /seed/,
      /but got 0\.5\./,
    );
  });

  it('BatchMixup rejects a missing options object', () => {
    assertDistillError(
      () => new BatchMixup(undefined as unknown as { alpha: number; numClasses: number }),
      'INVALID_ARGUMENT',
      /new BatchMixup\(options\)/,
      /undefined/,
    );
  });

  it('BatchCutMix rejects an imageShape that is not [H, W, C] or [H, W]', () => {
    assertDistillError(
      () => new BatchCutMix({ alpha: 1, numClasses: 3, imageShape: [28] as unknown as [1, 1] }),
      'INVALID_CONFIG',
      /imageShape/,
      /but got \[28\]\./,
    );
  });
});

describe('BatchAugment.call inputs', () => {
  const mixup = new BatchMixup({ alpha: 1, numClasses: 3, seed: 1 });

  it('BatchMixup.call rejects images of rank 3, suggesting a channel axis', async () => {
    await expectNoLeaks(() => {
      const images = tf.zeros([2, 4, 4]);
      const labels = tf.tensor1d([0, 1], 'int32');
      assertDistillError(
        () => mixup.call(images, labels),
        'SHAPE_MISMATCH',
        /\[N, H, W, C\] or \[N, D\]/,
        /got \[2,4,4\]/,
        /expandDims/,
      );
      tf.dispose([images, labels]);
    });
  });

  it('BatchMixup.call rejects labels with another batch size, naming both shapes', async () => {
    await expectNoLeaks(() => {
      const images = tf.zeros([2, 4]);
      const labels = tf.tensor1d([0, 1, 2], 'int32');
      assertDistillError(
        () => mixup.call(images, labels),
        'SHAPE_MISMATCH',
        /same batch size/,
        /\[2,4\]/,
        /\[3\]/,
      );
      tf.dispose([images, labels]);
    });
  });

  it('BatchMixup.call rejects one-hot labels whose class count is not numClasses', async () => {
    await expectNoLeaks(() => {
      const images = tf.zeros([2, 4]);
      const labels = tf.zeros([2, 5]);
      assertDistillError(
        () => mixup.call(images, labels),
        'SHAPE_MISMATCH',
        /\[2, 3\]/,
        /got \[2,5\]/,
        /numClasses to 5/,
      );
      tf.dispose([images, labels]);
    });
  });

  it('BatchMixup.call rejects labels of rank 3', async () => {
    await expectNoLeaks(() => {
      const images = tf.zeros([2, 4]);
      const labels = tf.zeros([2, 3, 1]);
      assertDistillError(() => mixup.call(images, labels), 'SHAPE_MISMATCH', /got \[2,3,1\]/);
      tf.dispose([images, labels]);
    });
  });

  it('BatchMixup.call rejects a class index out of range or not an integer', async () => {
    await expectNoLeaks(() => {
      const images = tf.zeros([2, 4]);
      const outOfRange = tf.tensor1d([0, 3], 'int32');
      const fractional = tf.tensor1d([0, 1.5]);
      assertDistillError(
        () => mixup.call(images, outOfRange),
        'INDEX_OUT_OF_RANGE',
        /\[0, 2\]/,
        /labels\[1\] is 3/,
      );
      assertDistillError(
        () => mixup.call(images, fractional),
        'INDEX_OUT_OF_RANGE',
        /labels\[1\] is 1\.5/,
      );
      tf.dispose([images, outOfRange, fractional]);
    });
  });

  it('BatchMixup.call rejects a non-tensor and a disposed tensor', async () => {
    await expectNoLeaks(() => {
      const labels = tf.tensor1d([0, 1], 'int32');
      const disposed = tf.zeros([2, 4]);
      disposed.dispose();
      assertDistillError(
        () => mixup.call([[1, 2]] as unknown as tf.Tensor, labels),
        'INVALID_ARGUMENT',
        /Expected images to be a tf\.Tensor/,
        /array of length 1/,
      );
      assertDistillError(
        () => mixup.call(disposed, labels),
        'DISPOSED_TENSOR',
        /images/,
        /\[2,4\]/,
      );
      labels.dispose();
    });
  });

  it('BatchCutMix.call rejects flat images without imageShape, explaining the fix', async () => {
    await expectNoLeaks(() => {
      const images = tf.zeros([2, 784]);
      const labels = tf.tensor1d([0, 1], 'int32');
      const cutmix = new BatchCutMix({ alpha: 1, numClasses: 3 });
      assertDistillError(
        () => cutmix.call(images, labels),
        'SHAPE_MISMATCH',
        /\[2,784\]/,
        /imageShape: \[H, W, C\]/,
      );
      tf.dispose([images, labels]);
    });
  });

  it('BatchCutMix.call rejects images that do not match imageShape', async () => {
    await expectNoLeaks(() => {
      const labels = tf.tensor1d([0, 1], 'int32');
      const flat = tf.zeros([2, 780]);
      const square = tf.zeros([2, 27, 27, 1]);
      const cutmix = new BatchCutMix({ alpha: 1, numClasses: 3, imageShape: [28, 28, 1] });
      assertDistillError(
        () => cutmix.call(flat, labels),
        'SHAPE_MISMATCH',
        /\[N, 784\]/,
        /\[2,780\]/,
      );
      assertDistillError(
        () => cutmix.call(square, labels),
        'SHAPE_MISMATCH',
        /\[N, 28, 28, 1\]/,
        /\[2,27,27,1\]/,
      );
      const noChannels = new BatchCutMix({ alpha: 1, numClasses: 3, imageShape: [28, 28] });
      assertDistillError(() => noChannels.call(flat, labels), 'SHAPE_MISMATCH', /28·28·C/);
      tf.dispose([labels, flat, square]);
    });
  });
});
