/**
 * KLDivergence: Hinton's soft-target distillation loss on logits.
 */
import * as tf from '@tensorflow/tfjs';
import {
  nonNegativeNumber,
  oneOf,
  optionalBoolean,
  positiveNumber,
  readOptions,
} from '../config/options.js';
import { detach } from './detach.js';
import type { DistillLoss, LossInputs } from './distill-loss.js';
import { assertRank, assertSameShape, readInputs } from './loss-inputs.js';
import { REDUCTIONS, reduceTerms, type Reduction } from './reduction.js';

/** Options of {@link KLDivergence}. */
export interface KLDivergenceOptions {
  /** Softmax temperature τ, a positive number. Higher values soften both distributions. Default 1. */
  readonly tau?: number;
  /**
   * How to reduce the per-element terms (see {@link REDUCTIONS}): `'batchmean'` (default, the
   * mathematically correct KL averaged over samples), `'sum'`, `'mean'` (divides by `N·C`, as
   * PyTorch's `'mean'` does) or `'none'` (one value per sample, `[N]`).
   */
  readonly reduction?: Reduction;
  /** Factor applied to the result, zero or more. Default 1. */
  readonly lossWeight?: number;
  /** Stop gradients from flowing into the teacher's logits. Default true. */
  readonly teacherDetach?: boolean;
}

/**
 * Knowledge-distillation loss of Hinton et al. (2015): the KL divergence from the teacher's
 * softened distribution to the student's,
 *
 * `τ² · Σ_c p_T,c · (log p_T,c − log p_S,c)` with `p = softmax(logits / τ)`,
 *
 * per sample, then reduced. The `τ²` keeps gradient magnitudes comparable across temperatures.
 * Log-probabilities come from `tf.logSoftmax`, so large logits neither overflow nor produce
 * `log(0)`.
 *
 * Inputs: `predsS` (student logits `[N, C]`) and `predsT` (teacher logits, same shape).
 *
 * @example
 * ```ts
 * const kd = new KLDivergence({ tau: 4, lossWeight: 0.9 });
 * const loss = kd.forward({ predsS: studentLogits, predsT: teacherLogits }); // scalar
 * ```
 */
export class KLDivergence implements DistillLoss {
  /** The input names `forward` requires. */
  static readonly inputNames = ['predsS', 'predsT'] as const;
  /** The option names the constructor accepts. */
  static readonly optionKeys = ['tau', 'reduction', 'lossWeight', 'teacherDetach'] as const;
  /** The reductions this loss accepts. */
  static readonly reductions = REDUCTIONS;

  /** See {@link KLDivergence.inputNames}. */
  readonly inputNames = KLDivergence.inputNames;
  /** Softmax temperature. */
  readonly tau: number;
  /** See {@link KLDivergenceOptions.reduction}. */
  readonly reduction: Reduction;
  /** Factor applied to the result. */
  readonly lossWeight: number;
  /** Whether the teacher's logits are detached from the gradient. */
  readonly teacherDetach: boolean;

  /**
   * @param options - See {@link KLDivergenceOptions}.
   * @throws `INVALID_CONFIG` naming the option for an unknown key or a bad value.
   */
  constructor(options: KLDivergenceOptions = {}) {
    const o = readOptions(options, KLDivergence.optionKeys, 'KLDivergence options');
    this.tau = positiveNumber(o.tau, 'tau', 1);
    this.reduction = oneOf(o.reduction, 'reduction', KLDivergence.reductions, 'batchmean');
    this.lossWeight = nonNegativeNumber(o.lossWeight, 'lossWeight', 1);
    this.teacherDetach = optionalBoolean(o.teacherDetach, 'teacherDetach', true);
  }

  /**
   * Computes the loss; see the class description.
   *
   * @param inputs - `predsS` and `predsT`, logits of the same shape `[N, C]`.
   * @returns A scalar, or `[N]` with `reduction: 'none'`; multiplied by `lossWeight`.
   * @throws `MISSING_INPUT`, `SHAPE_MISMATCH` (not rank 2, or shapes differ).
   */
  forward(inputs: LossInputs): tf.Tensor {
    const { predsS, predsT } = readInputs(inputs, KLDivergence.inputNames, 'KLDivergence');
    assertRank('KLDivergence', 'predsS', predsS, 2, '[N, C] logits');
    assertSameShape('KLDivergence', 'predsS', predsS, 'predsT', predsT);
    return tf.tidy(() => {
      const teacher = this.teacherDetach ? detach(predsT) : predsT;
      const logPS = tf.logSoftmax(tf.div(predsS, this.tau));
      const logPT = tf.logSoftmax(tf.div(teacher, this.tau));
      // exp(log p) rather than softmax(): one pass, and an underflowing p_T becomes an exact 0
      // that multiplies a finite log-ratio, never 0 · (−∞).
      const terms = tf.mul(tf.exp(logPT), tf.sub(logPT, logPS));
      return tf.mul(reduceTerms(terms, this.reduction), this.tau * this.tau * this.lossWeight);
    });
  }
}
