import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { KLDivergence } from '../../src/losses/index.js';
import { expectNoLeaks } from '../helpers/tensors.js';
import { kl, softmax, sum } from './reference.js';
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

/** Per-sample τ²·KL(softmax(T/τ) ‖ softmax(S/τ)), by hand. */
function perSample(tau: number): number[] {
  return S.map((s, i) => tau * tau * kl(softmax(T[i]!, tau), softmax(s, tau)));
}

describe('KLDivergence', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('KLDivergence matches a closed form: KL((3/4, 1/4) ‖ (1/2, 1/2))', async () => {
    const expected = 0.75 * Math.log(1.5) + 0.25 * Math.log(0.5);
    await expectLoss(
      new KLDivergence(),
      { predsS: [[0, 0]], predsT: [[Math.log(3), 0]] },
      expected,
    );
  });

  it('KLDivergence with batchmean averages the per-sample KL over the batch', async () => {
    await expectLoss(new KLDivergence(), { predsS: S, predsT: T }, sum(perSample(1)) / 2);
  });

  it('KLDivergence with none returns one value per sample', async () => {
    await expectLoss(
      new KLDivergence({ reduction: 'none' }),
      { predsS: S, predsT: T },
      perSample(1),
    );
  });

  it('KLDivergence with sum adds the per-sample values', async () => {
    await expectLoss(
      new KLDivergence({ reduction: 'sum' }),
      { predsS: S, predsT: T },
      sum(perSample(1)),
    );
  });

  it('KLDivergence with mean divides by the number of elements, like PyTorch', async () => {
    await expectLoss(
      new KLDivergence({ reduction: 'mean' }),
      { predsS: S, predsT: T },
      sum(perSample(1)) / 6,
    );
  });

  it('KLDivergence scales by tau squared and softens with tau', async () => {
    const tau = 4;
    const unscaled = S.map((s, i) => kl(softmax(T[i]!, tau), softmax(s, tau)));
    await expectLoss(new KLDivergence({ tau }), { predsS: S, predsT: T }, (16 * sum(unscaled)) / 2);
  });

  it('KLDivergence multiplies the result by lossWeight', async () => {
    await expectLoss(
      new KLDivergence({ tau: 2, lossWeight: 0.5, reduction: 'none' }),
      { predsS: S, predsT: T },
      perSample(2).map((v) => v * 0.5),
    );
  });

  it('KLDivergence of identical logits is 0', async () => {
    await expectLoss(new KLDivergence({ tau: 3 }), { predsS: T, predsT: T }, 0);
  });

  it('KLDivergence stays finite for extreme logits', async () => {
    // Softmax-then-log would take log(0) here; p_T ≈ (0, 1, 0) and log p_S(1) ≈ −2000.
    await expectLoss(
      new KLDivergence(),
      { predsS: [[1000, -1000, 0]], predsT: [[-1000, 1000, 0]] },
      2000,
      1e-2,
    );
  });

  it('KLDivergence gradient is tau·(p_S − p_T)/N for the student and 0 for a detached teacher', async () => {
    const tau = 2;
    const grads = await lossGradients(new KLDivergence({ tau }), { predsS: S, predsT: T }, [
      'predsS',
      'predsT',
    ]);
    const expected = S.flatMap((s, i) => {
      const pS = softmax(s, tau);
      const pT = softmax(T[i]!, tau);
      return pS.map((p, c) => (tau * (p - pT[c]!)) / 2);
    });
    assertClose(grads.predsS!, expected);
    assertClose(grads.predsT!, [0, 0, 0, 0, 0, 0]);
  });

  it('KLDivergence lets gradients reach the teacher when teacherDetach is false', async () => {
    const grads = await lossGradients(
      new KLDivergence({ teacherDetach: false }),
      { predsS: S, predsT: T },
      ['predsT'],
    );
    assert.ok(grads.predsT!.some((g) => Math.abs(g) > 1e-3));
  });

  it('KLDivergence trains only the student variable under variableGrads', async () => {
    const student = tf.variable(tf.tensor2d(S));
    const teacher = tf.variable(tf.tensor2d(T));
    const loss = new KLDivergence({ tau: 2 });
    await expectNoLeaks(() => {
      const { value, grads } = tf.variableGrads(
        () => loss.forward({ predsS: student, predsT: teacher }) as tf.Scalar,
        [student, teacher],
      );
      const gS = grads[student.name]!.dataSync();
      const gT = grads[teacher.name]!.dataSync();
      assert.ok(gS.some((g) => Math.abs(g) > 1e-3));
      assert.ok(gT.every((g) => g === 0));
      tf.dispose([value, ...Object.values(grads)]);
    });
    tf.dispose([student, teacher]);
  });

  it('KLDivergence rejects a bad tau, naming the key and value', () => {
    for (const tau of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(
        () => new KLDivergence({ tau }),
        distillError(
          'INVALID_CONFIG',
          /Expected tau to be a positive number, but got/,
          new RegExp(String(tau)),
        ),
      );
    }
    assert.throws(
      () => new KLDivergence({ tau: '2' as unknown as number }),
      (e: unknown) => e instanceof TypeError && distillError('INVALID_CONFIG', /tau/, /"2"/)(e),
    );
  });

  it('KLDivergence rejects a bad reduction and lists the allowed ones', () => {
    assert.throws(
      () => new KLDivergence({ reduction: 'avg' as 'mean' }),
      distillError('INVALID_CONFIG', /reduction/, /"avg"/, /"none", "batchmean", "sum", "mean"/),
    );
  });

  it('KLDivergence rejects a negative lossWeight and an unknown key', () => {
    assert.throws(
      () => new KLDivergence({ lossWeight: -2 }),
      distillError(
        'INVALID_CONFIG',
        /Expected lossWeight to be a non-negative number, but got -2\./,
      ),
    );
    assert.throws(
      () => new KLDivergence({ taw: 2 } as unknown as { tau: number }),
      distillError('INVALID_CONFIG', /Unknown key "taw"/, /Perhaps you meant "tau"\?/),
    );
  });

  it('KLDivergence.forward names a missing input and suggests a misspelt one', () => {
    const s = tf.tensor2d(S);
    try {
      assert.throws(
        () => new KLDivergence().forward({ predsS: s, preds_T: s }),
        distillError('MISSING_INPUT', /missing input "predsT"/, /Perhaps "preds_T"/),
      );
      assert.throws(
        () => new KLDivergence().forward({ predsS: s, predsT: s, extra: s }),
        distillError('INVALID_ARGUMENT', /unknown input "extra"/),
      );
    } finally {
      s.dispose();
    }
  });

  it('KLDivergence.forward names both shapes when they differ', async () => {
    const s = tf.zeros([2, 3]);
    const t = tf.zeros([2, 4]);
    const v = tf.zeros([3]);
    await expectNoLeaks(() => {
      assert.throws(
        () => new KLDivergence().forward({ predsS: s, predsT: t }),
        distillError('SHAPE_MISMATCH', /"predsS" and "predsT"/, /\[2, 3\] and \[2, 4\]/),
      );
      assert.throws(
        () => new KLDivergence().forward({ predsS: v, predsT: v }),
        distillError('SHAPE_MISMATCH', /"predsS"/, /rank 2/, /\[3\]/),
      );
    });
    tf.dispose([s, t, v]);
  });

  it('KLDivergence.forward rejects a disposed input', () => {
    const s = tf.zeros([1, 2]);
    const t = tf.zeros([1, 2]);
    t.dispose();
    assert.throws(
      () => new KLDivergence().forward({ predsS: s, predsT: t }),
      distillError('DISPOSED_TENSOR', /"predsT"/),
    );
    s.dispose();
  });
});
