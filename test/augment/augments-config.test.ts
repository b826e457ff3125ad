import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { Augments, type AugmentConfig } from '../../src/augment/index.js';
import { expectNoLeaks } from '../helpers/tensors.js';
import { assertDistillError } from './assertions.js';

before(async () => {
  await tf.setBackend('cpu');
});

/** Builds a config from user input, as a config file would; types are checked at runtime. */
function config(value: Record<string, unknown>): AugmentConfig {
  return value as unknown as AugmentConfig;
}

describe('Augments configs', () => {
  it('Augments rejects probabilities that sum to more than 1, listing them', () => {
    assertDistillError(
      () =>
        new Augments([
          { type: 'BatchMixup', alpha: 1, numClasses: 3, prob: 0.6 },
          { type: 'BatchCutMix', alpha: 1, numClasses: 3, prob: 0.5 },
        ]),
      'INVALID_CONFIG',
      /sum to at most 1/,
      /BatchMixup 0\.6 \+ BatchCutMix 0\.5 = 1\.1/,
    );
  });

  it('Augments accepts probabilities that sum to 1 up to rounding', () => {
    new Augments([
      { type: 'BatchMixup', alpha: 1, numClasses: 3, prob: 0.1 },
      { type: 'BatchMixup', alpha: 1, numClasses: 3, prob: 0.2 },
      { type: 'BatchCutMix', alpha: 1, numClasses: 3, prob: 0.7 },
    ]);
  });

  it('Augments rejects an unknown type, listing the known types', () => {
    assertDistillError(
      () => new Augments([config({ type: 'Mixup', alpha: 1, numClasses: 3 })]),
      'UNKNOWN_TYPE',
      /"Mixup" at augments\[0\]\.type/,
      /known types: BatchMixup, BatchCutMix/,
    );
    assertDistillError(
      () => new Augments(config({ type: 'BatchCutmix', alpha: 1, numClasses: 3 })),
      'UNKNOWN_TYPE',
      /"BatchCutmix" at augments\.type/,
      /Perhaps you meant "BatchCutMix"\?/,
    );
  });

  it('Augments rejects a bad option in a config, naming the key, value and config', () => {
    assertDistillError(
      () =>
        new Augments([
          { type: 'BatchMixup', alpha: 1, numClasses: 3, prob: 0.5 },
          config({ type: 'BatchCutMix', alpha: 0, numClasses: 3 }),
        ]),
      'INVALID_CONFIG',
      /Expected alpha to be a positive number/,
      /got 0\./,
      /at augments\[1\]/,
    );
    assertDistillError(
      () => new Augments(config({ type: 'BatchMixup', alpha: 1, numClasses: 'ten' })),
      'INVALID_CONFIG',
      /numClasses/,
      /"ten"/,
      /at augments\)/,
    );
    assertDistillError(
      () => new Augments(config({ type: 'BatchMixup', alpha: 1, numClasses: 3, prob: -0.1 })),
      'INVALID_CONFIG',
      /prob/,
      /-0\.1/,
    );
  });

  it('Augments rejects an unknown key in a config, suggesting the closest one', () => {
    assertDistillError(
      () => new Augments(config({ type: 'BatchMixup', alpha: 1, numClass: 3 })),
      'INVALID_CONFIG',
      /"numClass"/,
      /Perhaps you meant "numClasses"\?/,
    );
  });

  it('Augments rejects augments with different numClasses, an empty list and a bad seed', () => {
    assertDistillError(
      () =>
        new Augments([
          { type: 'BatchMixup', alpha: 1, numClasses: 3, prob: 0.5 },
          { type: 'BatchCutMix', alpha: 1, numClasses: 4, prob: 0.5 },
        ]),
      'INVALID_CONFIG',
      /same numClasses/,
      /has 3/,
      /has 4/,
    );
    assertDistillError(() => new Augments([]), 'INVALID_CONFIG', /at least one augment/);
    assertDistillError(
      () => new Augments({ type: 'BatchMixup', alpha: 1, numClasses: 3 }, { seed: -0.5 }),
      'INVALID_CONFIG',
      /seed/,
      /-0\.5/,
    );
  });

  it('Augments.call checks the batch against every augment, whichever is chosen', async () => {
    await expectNoLeaks(() => {
      const augments = new Augments([
        { type: 'BatchMixup', alpha: 1, numClasses: 3, prob: 0.5 },
        { type: 'BatchCutMix', alpha: 1, numClasses: 3, prob: 0 },
      ]);
      const images = tf.zeros([2, 9]);
      const labels = tf.tensor1d([0, 1], 'int32');
      for (let i = 0; i < 5; i++) {
        assertDistillError(() => augments.call(images, labels), 'SHAPE_MISMATCH', /imageShape/);
      }
      tf.dispose([images, labels]);
    });
  });
});
