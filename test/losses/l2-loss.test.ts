import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { L2Loss } from '../../src/losses/index.js';
import { assertClose, expectLoss, lossGradients } from './run-loss.js';
import { distillError } from '../helpers/errors.js';

// Sample 0 normalises to (0.6, 0.8) vs (0.8, 0.6): squared distance 0.08.
// Sample 1 normalises to (1, 0) vs (0, 1): squared distance 2.
const S = [
  [3, 4],
  [2, 0],
];
const T = [
  [4, 3],
  [0, 5],
];

describe('L2Loss', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('L2Loss normalises each sample and divides the summed squared error by N', async () => {
    await expectLoss(new L2Loss(), { sFeature: S, tFeature: T }, (0.08 + 2) / 2);
  });

  it('L2Loss with div element divides by the number of elements', async () => {
    await expectLoss(new L2Loss({ div: 'element' }), { sFeature: S, tFeature: T }, (0.08 + 2) / 4);
  });

  it('L2Loss scales the normalised features by mult', async () => {
    await expectLoss(new L2Loss({ mult: 2 }), { sFeature: S, tFeature: T }, (4 * (0.08 + 2)) / 2);
  });

  it('L2Loss with dist returns the Euclidean distance of the whole batch', async () => {
    await expectLoss(new L2Loss({ dist: true }), { sFeature: S, tFeature: T }, Math.sqrt(2.08));
  });

  it('L2Loss without normalize compares raw values', async () => {
    // (3−4)² + (4−3)² + (2−0)² + (0−5)² = 1 + 1 + 4 + 25
    await expectLoss(new L2Loss({ normalize: false }), { sFeature: S, tFeature: T }, 31 / 2);
  });

  it('L2Loss flattens each sample of a feature map and applies lossWeight', async () => {
    const s = [[[[3]], [[4]]]]; // [1, 2, 1, 1]
    const t = [[[[4]], [[3]]]];
    await expectLoss(new L2Loss({ lossWeight: 10 }), { sFeature: s, tFeature: t }, 0.8);
  });

  it('L2Loss of identical features is 0 and has a zero, not NaN, gradient with dist', async () => {
    await expectLoss(new L2Loss({ dist: true }), { sFeature: S, tFeature: S }, 0);
    const grads = await lossGradients(new L2Loss({ dist: true }), { sFeature: S, tFeature: S }, [
      'sFeature',
    ]);
    assertClose(grads.sFeature!, [0, 0, 0, 0]);
  });

  it('L2Loss with dist has gradient (s − t)/distance', async () => {
    const grads = await lossGradients(
      new L2Loss({ normalize: false, dist: true }),
      { sFeature: [[3, 4]], tFeature: [[0, 0]] },
      ['sFeature'],
    );
    assertClose(grads.sFeature!, [0.6, 0.8]);
  });

  it('L2Loss maps an all-zero feature to zeros instead of NaN', async () => {
    await expectLoss(new L2Loss(), { sFeature: [[0, 0]], tFeature: [[3, 4]] }, 1);
    const grads = await lossGradients(new L2Loss(), { sFeature: [[0, 0]], tFeature: [[3, 4]] }, [
      'sFeature',
    ]);
    assert.ok(grads.sFeature!.every(Number.isFinite));
  });

  it('L2Loss without normalize has gradient 2(s − t)/N for the student and none for the teacher', async () => {
    const grads = await lossGradients(
      new L2Loss({ normalize: false }),
      { sFeature: S, tFeature: T },
      ['sFeature', 'tFeature'],
    );
    assertClose(grads.sFeature!, [-1, 1, 2, -5]);
    assertClose(grads.tFeature!, [0, 0, 0, 0]);
  });

  it('L2Loss rejects bad options, naming them', () => {
    assert.throws(
      () => new L2Loss({ mult: 0 }),
      distillError('INVALID_CONFIG', /mult/, /but got 0\./),
    );
    assert.throws(
      () => new L2Loss({ div: 'batches' as 'batch' }),
      distillError('INVALID_CONFIG', /div/, /"batch", "element"/),
    );
    assert.throws(
      () => new L2Loss({ normalize: 1 as unknown as boolean }),
      distillError('INVALID_CONFIG', /Expected normalize to be true or false, but got 1\./),
    );
  });

  it('L2Loss.forward names both shapes when they differ, and needs a batch axis', () => {
    const a = tf.zeros([2, 3]);
    const b = tf.zeros([2, 4]);
    const c = tf.zeros([3]);
    try {
      assert.throws(
        () => new L2Loss().forward({ sFeature: a, tFeature: b }),
        distillError('SHAPE_MISMATCH', /"sFeature" and "tFeature"/, /\[2, 3\] and \[2, 4\]/),
      );
      assert.throws(
        () => new L2Loss().forward({ sFeature: c, tFeature: c }),
        distillError('SHAPE_MISMATCH', /\[N, \.\.\.\]/, /\[3\]/),
      );
    } finally {
      tf.dispose([a, b, c]);
    }
  });
});
