import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { L1Loss } from '../../src/losses/index.js';
import { assertClose, expectLoss, lossGradients } from './run-loss.js';
import { distillError } from '../helpers/errors.js';

// |S − T| = [[1, 1, 2], [0.5, 5, 0.5]]: per-sample sums 4 and 6. No difference is 0, where
// tfjs picks −1 as the subgradient of |x|.
const S = [
  [3, 4, 0],
  [1, 0, 2],
];
const T = [
  [4, 3, 2],
  [1.5, 5, 1.5],
];

describe('L1Loss', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('L1Loss with mean averages the absolute differences over every element', async () => {
    await expectLoss(new L1Loss(), { sFeature: S, tFeature: T }, 10 / 6);
  });

  it('L1Loss with sum, batchmean and none', async () => {
    await expectLoss(new L1Loss({ reduction: 'sum' }), { sFeature: S, tFeature: T }, 10);
    await expectLoss(new L1Loss({ reduction: 'batchmean' }), { sFeature: S, tFeature: T }, 10 / 2);
    await expectLoss(new L1Loss({ reduction: 'none' }), { sFeature: S, tFeature: T }, [4, 6]);
  });

  it('L1Loss multiplies by lossWeight and is 0 for identical features', async () => {
    await expectLoss(
      new L1Loss({ lossWeight: 3, reduction: 'sum' }),
      { sFeature: S, tFeature: T },
      30,
    );
    await expectLoss(new L1Loss(), { sFeature: S, tFeature: S }, 0);
  });

  it('L1Loss reduces a rank-4 feature per sample with none', async () => {
    const s = [[[[1, 2]], [[3, 4]]]]; // [1, 2, 1, 2]
    const t = [[[[0, 0]], [[0, 0]]]];
    await expectLoss(new L1Loss({ reduction: 'none' }), { sFeature: s, tFeature: t }, [10]);
  });

  it('L1Loss has gradient sign(s − t)/count for the student and none for the teacher', async () => {
    const grads = await lossGradients(new L1Loss(), { sFeature: S, tFeature: T }, [
      'sFeature',
      'tFeature',
    ]);
    assertClose(
      grads.sFeature!,
      [-1, 1, -1, -1, -1, 1].map((g) => g / 6),
    );
    assertClose(grads.tFeature!, [0, 0, 0, 0, 0, 0]);
  });

  it('L1Loss rejects a bad reduction and a NaN lossWeight', () => {
    assert.throws(
      () => new L1Loss({ reduction: 'max' as 'sum' }),
      distillError('INVALID_CONFIG', /reduction/, /"max"/),
    );
    assert.throws(
      () => new L1Loss({ lossWeight: Number.NaN }),
      distillError('INVALID_CONFIG', /lossWeight/, /NaN/),
    );
  });
});
