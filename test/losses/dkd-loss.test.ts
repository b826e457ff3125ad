import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { DKDLoss } from '../../src/losses/index.js';
import { kl, softmax, sum, without } from './reference.js';
import { assertClose, expectLoss, lossGradients } from './run-loss.js';
import { distillError } from '../helpers/errors.js';

const S = [
  [1, 2, 0],
  [0.5, -1, 3],
];
const T = [
  [2, 1, 0],
  [0, 1, 2],
];
const LABELS = [0, 2];

/** τ²·(α·TCKD + β·NCKD) per sample, from the definitions. */
function perSample(tau: number, alpha: number, beta: number): number[] {
  return S.map((s, i) => {
    const t = T[i]!;
    const label = LABELS[i]!;
    const pS = softmax(s, tau);
    const pT = softmax(t, tau);
    const tckd = kl([pT[label]!, 1 - pT[label]!], [pS[label]!, 1 - pS[label]!]);
    const nckd = kl(softmax(without(t, label), tau), softmax(without(s, label), tau));
    return tau * tau * (alpha * tckd + beta * nckd);
  });
}

function labels(values: number[] = LABELS, dtype: 'int32' | 'float32' = 'int32'): tf.Tensor {
  return tf.tensor1d(values, dtype);
}

describe('DKDLoss', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('DKDLoss matches a closed form on a 3-class example', async () => {
    // p_S = (1/3, 1/3, 1/3), p_T = (1/2, 1/4, 1/4), target 0: the non-target parts are both
    // uniform, so NCKD = 0 and the loss is TCKD = KL((1/2, 1/2) ‖ (1/3, 2/3)) = ln(9/8) / 2.
    await expectLoss(
      new DKDLoss(),
      { predsS: [[0, 0, 0]], predsT: [[Math.LN2, 0, 0]], gtLabels: labels([0]) },
      Math.log(9 / 8) / 2,
    );
  });

  it('DKDLoss with batchmean, sum and none', async () => {
    const values = perSample(1, 1, 8);
    await expectLoss(new DKDLoss(), { predsS: S, predsT: T, gtLabels: labels() }, sum(values) / 2);
    await expectLoss(
      new DKDLoss({ reduction: 'sum' }),
      { predsS: S, predsT: T, gtLabels: labels() },
      sum(values),
    );
    await expectLoss(
      new DKDLoss({ reduction: 'none' }),
      { predsS: S, predsT: T, gtLabels: labels() },
      values,
    );
  });

  it('DKDLoss weights TCKD by alpha and NCKD by beta, scales by tau squared and lossWeight', async () => {
    await expectLoss(
      new DKDLoss({ tau: 2, alpha: 0.5, beta: 3, lossWeight: 0.1, reduction: 'none' }),
      { predsS: S, predsT: T, gtLabels: labels() },
      perSample(2, 0.5, 3).map((v) => v * 0.1),
    );
  });

  it('DKDLoss with alpha 1 and beta 1 − p_T(target) equals classical KD on one sample', async () => {
    const tau = 2;
    const pT = softmax(T[0]!, tau);
    await expectLoss(
      new DKDLoss({ tau, alpha: 1, beta: 1 - pT[0]! }),
      { predsS: [S[0]!], predsT: [T[0]!], gtLabels: labels([0]) },
      tau * tau * kl(pT, softmax(S[0]!, tau)),
    );
  });

  it('DKDLoss of identical logits is 0, and accepts integral float32 labels', async () => {
    await expectLoss(
      new DKDLoss({ tau: 4 }),
      { predsS: T, predsT: T, gtLabels: labels(LABELS, 'float32') },
      0,
    );
  });

  it('DKDLoss stays finite when the student is nearly certain', async () => {
    // ln of the student's non-target mass is ≈ −100, where 1 − p would round to 0.
    const expected =
      Math.log(1 / 3) / 3 + (2 / 3) * (Math.log(2 / 3) + 100) + 8 * (50 + Math.log(0.5));
    await expectLoss(
      new DKDLoss(),
      { predsS: [[100, -100, 0]], predsT: [[0, 0, 0]], gtLabels: labels([0]) },
      expected,
      1e-3,
    );
  });

  it('DKDLoss sends gradients to the student only', async () => {
    const grads = await lossGradients(
      new DKDLoss({ tau: 2 }),
      { predsS: S, predsT: T, gtLabels: labels() },
      ['predsS', 'predsT'],
    );
    assert.ok(grads.predsS!.some((g) => Math.abs(g) > 1e-3));
    assertClose(grads.predsT!, [0, 0, 0, 0, 0, 0]);
    // Logit shifts do not change a softmax, so each sample's gradient sums to 0.
    assert.ok(Math.abs(sum(grads.predsS!.slice(0, 3))) < 1e-5);
  });

  it('DKDLoss.forward rejects bad labels with the offending element', () => {
    const s = tf.tensor2d(S);
    const bad = [
      [labels([0, 3]), 'INDEX_OUT_OF_RANGE', /\[0, 2\]/, /element 1 is 3/],
      [labels([0, -1]), 'INDEX_OUT_OF_RANGE', /element 1 is -1/],
      [labels([0, 1.5], 'float32'), 'INVALID_ARGUMENT', /integer/, /element 1 is 1\.5/],
      [labels([0]), 'SHAPE_MISMATCH', /"gtLabels"/, /\[2\]/, /\[1\]/],
    ] as const;
    try {
      for (const [gtLabels, code, ...patterns] of bad) {
        assert.throws(
          () => new DKDLoss().forward({ predsS: s, predsT: s, gtLabels }),
          distillError(code, ...patterns),
        );
      }
    } finally {
      tf.dispose([s, ...bad.map(([t]) => t)]);
    }
  });

  it('DKDLoss.forward needs at least two classes and the labels input', () => {
    const one = tf.zeros([2, 1]);
    const l = labels([0, 0]);
    try {
      assert.throws(
        () => new DKDLoss().forward({ predsS: one, predsT: one, gtLabels: l }),
        distillError('SHAPE_MISMATCH', /at least 2 classes/),
      );
      assert.throws(
        () => new DKDLoss().forward({ predsS: one, predsT: one }),
        distillError('MISSING_INPUT', /"gtLabels"/),
      );
    } finally {
      tf.dispose([one, l]);
    }
  });

  it('DKDLoss rejects negative alpha or beta and the mean reduction', () => {
    assert.throws(() => new DKDLoss({ alpha: -1 }), distillError('INVALID_CONFIG', /alpha/, /-1/));
    assert.throws(
      () => new DKDLoss({ beta: -0.5 }),
      distillError('INVALID_CONFIG', /beta/, /-0\.5/),
    );
    assert.throws(
      () => new DKDLoss({ reduction: 'mean' as 'sum' }),
      distillError('INVALID_CONFIG', /"none", "batchmean", "sum"/),
    );
  });
});
