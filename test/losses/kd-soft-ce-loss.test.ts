import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { KDSoftCELoss, KLDivergence } from '../../src/losses/index.js';
import { crossEntropy, kl, softmax, sum } from './reference.js';
import { assertClose, expectLoss, lossGradients } from './run-loss.js';
import { distillError } from '../helpers/errors.js';

const S = [
  [1, 2, 3],
  [0.5, -1, 0],
];
const T = [
  [3, 1, 0],
  [0, 0, 2],
];

function perSample(tau: number): number[] {
  return S.map((s, i) => tau * tau * crossEntropy(softmax(T[i]!, tau), softmax(s, tau)));
}

describe('KDSoftCELoss', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('KDSoftCELoss matches a closed form: −(3/4·ln(1/2) + 1/4·ln(1/2)) = ln 2', async () => {
    await expectLoss(
      new KDSoftCELoss(),
      { predsS: [[0, 0]], predsT: [[Math.log(3), 0]] },
      Math.LN2,
    );
  });

  it('KDSoftCELoss with mean averages the per-sample cross-entropies', async () => {
    await expectLoss(new KDSoftCELoss(), { predsS: S, predsT: T }, sum(perSample(1)) / 2);
  });

  it('KDSoftCELoss with sum and none', async () => {
    await expectLoss(
      new KDSoftCELoss({ reduction: 'sum' }),
      { predsS: S, predsT: T },
      sum(perSample(1)),
    );
    await expectLoss(
      new KDSoftCELoss({ reduction: 'none' }),
      { predsS: S, predsT: T },
      perSample(1),
    );
  });

  it('KDSoftCELoss scales by tau squared and by lossWeight', async () => {
    await expectLoss(
      new KDSoftCELoss({ tau: 3, lossWeight: 0.25, reduction: 'none' }),
      { predsS: S, predsT: T },
      perSample(3).map((v) => v * 0.25),
    );
  });

  it('KDSoftCELoss of identical logits is the teacher entropy, not 0', async () => {
    const entropy = T.map((t) => crossEntropy(softmax(t), softmax(t)));
    await expectLoss(new KDSoftCELoss({ reduction: 'none' }), { predsS: T, predsT: T }, entropy);
  });

  it('KDSoftCELoss exceeds KLDivergence by exactly the teacher entropy', async () => {
    const tau = 2;
    const entropy = T.map((t) => tau * tau * crossEntropy(softmax(t, tau), softmax(t, tau)));
    const klValues = S.map((s, i) => tau * tau * kl(softmax(T[i]!, tau), softmax(s, tau)));
    await expectLoss(
      new KDSoftCELoss({ tau, reduction: 'none' }),
      { predsS: S, predsT: T },
      klValues.map((v, i) => v + entropy[i]!),
    );
    await expectLoss(
      new KLDivergence({ tau, reduction: 'none' }),
      { predsS: S, predsT: T },
      klValues,
    );
  });

  it('KDSoftCELoss sends gradients to the student only', async () => {
    const grads = await lossGradients(new KDSoftCELoss(), { predsS: S, predsT: T }, [
      'predsS',
      'predsT',
    ]);
    const expected = S.flatMap((s, i) => {
      const pT = softmax(T[i]!);
      return softmax(s).map((p, c) => (p - pT[c]!) / 2);
    });
    assertClose(grads.predsS!, expected);
    assertClose(grads.predsT!, [0, 0, 0, 0, 0, 0]);
    const free = await lossGradients(
      new KDSoftCELoss({ teacherDetach: false }),
      { predsS: S, predsT: T },
      ['predsT'],
    );
    assert.ok(free.predsT!.some((g) => Math.abs(g) > 1e-3));
  });

  it('KDSoftCELoss rejects batchmean, which only KLDivergence needs', () => {
    assert.throws(
      () => new KDSoftCELoss({ reduction: 'batchmean' as 'mean' }),
      distillError('INVALID_CONFIG', /"none", "mean", "sum"/, /"batchmean"/),
    );
  });

  it('KDSoftCELoss.forward names a missing input', () => {
    const s = tf.zeros([1, 2]);
    assert.throws(
      () => new KDSoftCELoss().forward({ predsS: s }),
      distillError('MISSING_INPUT', /"predsT"/, /needs predsS, predsT/),
    );
    s.dispose();
  });
});
