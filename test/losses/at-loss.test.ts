import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ATLoss } from '../../src/losses/index.js';
import { expectLoss, lossGradients } from './run-loss.js';
import { distillError } from '../helpers/errors.js';

// Student [1, 1, 2, 2]: channel-means of squares (1 + 1)/2 = 1 and (0 + 4)/2 = 2, so its map
// is (1, 2)/√5. Teacher [1, 1, 2, 1]: 4 and 4, so (1, 1)/√2. Channel counts differ on purpose.
const S = [
  [
    [
      [1, 1],
      [0, 2],
    ],
  ],
];
const T = [[[[2], [2]]]];
const expected =
  ((1 / Math.sqrt(5) - 1 / Math.SQRT2) ** 2 + (2 / Math.sqrt(5) - 1 / Math.SQRT2) ** 2) / 2;

describe('ATLoss', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('ATLoss compares normalised spatial attention maps of different channel counts', async () => {
    await expectLoss(new ATLoss(), { sFeature: S, tFeature: T }, expected);
  });

  it('ATLoss normalises each sample on its own and averages over N·H·W', async () => {
    // The second sample is the first scaled by 3; normalisation makes its term the same.
    const s = [
      S[0]!,
      [
        [
          [3, 3],
          [0, 6],
        ],
      ],
    ];
    const t = [T[0]!, [[[7], [7]]]];
    await expectLoss(new ATLoss(), { sFeature: s, tFeature: t }, expected);
  });

  it('ATLoss multiplies by lossWeight and is 0 for proportional maps', async () => {
    await expectLoss(
      new ATLoss({ lossWeight: 1000 }),
      { sFeature: S, tFeature: T },
      1000 * expected,
      1e-3,
    );
    await expectLoss(new ATLoss(), { sFeature: T, tFeature: [[[[5], [5]]]] }, 0);
  });

  it('ATLoss sends gradients to the student only', async () => {
    const grads = await lossGradients(new ATLoss(), { sFeature: S, tFeature: T }, [
      'sFeature',
      'tFeature',
    ]);
    assert.ok(grads.sFeature!.some((g) => Math.abs(g) > 1e-4));
    assert.ok(grads.tFeature!.every((g) => g === 0));
  });

  it('ATLoss.forward rejects different spatial sizes, naming both shapes', () => {
    const s = tf.zeros([2, 4, 4, 8]);
    const t = tf.zeros([2, 2, 2, 8]);
    const flat = tf.zeros([2, 8]);
    try {
      assert.throws(
        () => new ATLoss().forward({ sFeature: s, tFeature: t }),
        distillError('SHAPE_MISMATCH', /\[N, H, W\]/, /\[2, 4, 4, 8\] and \[2, 2, 2, 8\]/),
      );
      assert.throws(
        () => new ATLoss().forward({ sFeature: flat, tFeature: t }),
        distillError('SHAPE_MISMATCH', /"sFeature"/, /NHWC/, /\[2, 8\]/),
      );
    } finally {
      tf.dispose([s, t, flat]);
    }
  });

  it('ATLoss rejects an unknown option', () => {
    assert.throws(
      () => new ATLoss({ p: 2 } as unknown as { lossWeight: number }),
      distillError('INVALID_CONFIG', /Unknown key "p"/, /lossWeight, teacherDetach/),
    );
  });
});
