/**
 * KDSoftCELoss: cross-entropy of the student against the teacher's softened predictions.
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
import { reduceTerms } from './reduction.js';

/** The reductions {@link KDSoftCELoss} accepts. */
export const KD_SOFT_CE_REDUCTIONS = ['none', 'mean', 'sum'] as const;

/** One of {@link KD_SOFT_CE_REDUCTIONS}. */
export type KDSoftCEReduction = (typeof KD_SOFT_CE_REDUCTIONS)[number];

/** Options of {@link KDSoftCELoss}. */
export interface KDSoftCELossOptions {
  /** Softmax temperature τ, a positive number. Default 1. */
  readonly tau?: number;
  /** Factor applied to the result, zero or more. Default 1. */
  readonly lossWeight?: number;
  /** Stop gradients from flowing into the teacher's logits. Default true. */
  readonly teacherDetach?: boolean;
  /**
   * `'mean'` (default): mean of the per-sample cross-entropies, as a classification loss is
   * usually averaged; `'sum'`: their sum; `'none'`: one value per sample, `[N]`.
   */
  readonly reduction?: KDSoftCEReduction;
}

/**
 * Soft-target cross-entropy: per sample
 *
 * `τ² · −Σ_c softmax(predsT / τ)_c · log_softmax(predsS / τ)_c`,
 *
 * then reduced. It differs from {@link KLDivergence} only by the teacher's entropy, a constant
 * for the student, so both give the same gradients; this one never reaches 0 unless the teacher
 * is one-hot, which makes its value easier to compare with a hard-label cross-entropy.
 *
 * Inputs: `predsS` (student logits `[N, C]`) and `predsT` (teacher logits, same shape).
 *
 * @example
 * ```ts
 * const loss = new KDSoftCELoss({ tau: 2 }).forward({ predsS, predsT });
 * ```
 */
export class KDSoftCELoss implements DistillLoss {
  /** The input names `forward` requires. */
  static readonly inputNames = ['predsS', 'predsT'] as const;
  /** The option names the constructor accepts. */
  static readonly optionKeys = ['tau', 'lossWeight', 'teacherDetach', 'reduction'] as const;
  /** The reductions this loss accepts. */
  static readonly reductions = KD_SOFT_CE_REDUCTIONS;

  /** See {@link KDSoftCELoss.inputNames}. */
  readonly inputNames = KDSoftCELoss.inputNames;
  /** Softmax temperature. */
  readonly tau: number;
  /** Factor applied to the result. */
  readonly lossWeight: number;
  /** Whether the teacher's logits are detached from the gradient. */
  readonly teacherDetach: boolean;
  /** See {@link KDSoftCELossOptions.reduction}. */
  readonly reduction: KDSoftCEReduction;

  /**
   * @param options - See {@link KDSoftCELossOptions}.
   * @throws `INVALID_CONFIG` naming the option for an unknown key or a bad value.
   */
  constructor(options: KDSoftCELossOptions = {}) {
    const o = readOptions(options, KDSoftCELoss.optionKeys, 'KDSoftCELoss options');
    this.tau = positiveNumber(o.tau, 'tau', 1);
    this.lossWeight = nonNegativeNumber(o.lossWeight, 'lossWeight', 1);
    this.teacherDetach = optionalBoolean(o.teacherDetach, 'teacherDetach', true);
    this.reduction = oneOf(o.reduction, 'reduction', KDSoftCELoss.reductions, 'mean');
  }

  /**
   * Computes the loss; see the class description.
   *
   * @param inputs - `predsS` and `predsT`, logits of the same shape `[N, C]`.
   * @returns A scalar, or `[N]` with `reduction: 'none'`; multiplied by `lossWeight`.
   * @throws `MISSING_INPUT`, `SHAPE_MISMATCH` (not rank 2, or shapes differ).
   */
  forward(inputs: LossInputs): tf.Tensor {
    const { predsS, predsT } = readInputs(inputs, KDSoftCELoss.inputNames, 'KDSoftCELoss');
    assertRank('KDSoftCELoss', 'predsS', predsS, 2, '[N, C] logits');
    assertSameShape('KDSoftCELoss', 'predsS', predsS, 'predsT', predsT);
    return tf.tidy(() => {
      const teacher = this.teacherDetach ? detach(predsT) : predsT;
      const pT = tf.softmax(tf.div(teacher, this.tau));
      const logPS = tf.logSoftmax(tf.div(predsS, this.tau));
      const terms = tf.neg(tf.mul(pT, logPS));
      // A "mean" cross-entropy averages over samples, not over the N·C terms.
      const reduced = reduceTerms(terms, this.reduction === 'mean' ? 'batchmean' : this.reduction);
      return tf.mul(reduced, this.tau * this.tau * this.lossWeight);
    });
  }
}
