/**
 * DKDLoss: Decoupled Knowledge Distillation, which splits the KD loss into target and
 * non-target parts and weights them separately.
 */
import * as tf from '@tensorflow/tfjs';
import { DistillError } from '../errors.js';
import {
  nonNegativeNumber,
  oneOf,
  optionalBoolean,
  positiveNumber,
  readOptions,
} from '../config/options.js';
import { assertClassLabels } from './class-labels.js';
import { detach } from './detach.js';
import type { DistillLoss, LossInputs } from './distill-loss.js';
import { assertRank, assertSameShape, formatShape, readInputs } from './loss-inputs.js';
import { reduceTerms } from './reduction.js';

/** The reductions {@link DKDLoss} accepts. */
export const DKD_REDUCTIONS = ['none', 'batchmean', 'sum'] as const;

/** One of {@link DKD_REDUCTIONS}. */
export type DKDReduction = (typeof DKD_REDUCTIONS)[number];

/** Options of {@link DKDLoss}. */
export interface DKDLossOptions {
  /** Softmax temperature τ, a positive number. Default 1. */
  readonly tau?: number;
  /** Weight α of the target-class part (TCKD), zero or more. Default 1. */
  readonly alpha?: number;
  /** Weight β of the non-target-class part (NCKD), zero or more. Default 8. */
  readonly beta?: number;
  /**
   * `'batchmean'` (default): sum of per-sample losses / N; `'sum'`; or `'none'` (`[N]`).
   */
  readonly reduction?: DKDReduction;
  /** Factor applied to the result, zero or more. Default 1. */
  readonly lossWeight?: number;
  /** Stop gradients from flowing into the teacher's logits. Default true. */
  readonly teacherDetach?: boolean;
}

// Subtracted from the target logit (after division by τ) to take it out of the non-target
// softmax: exp(−1e9) is exactly 0 in float32, whatever the other logits are.
const MASK = 1e9;

/**
 * Decoupled Knowledge Distillation (Zhao et al., CVPR 2022). With `p = softmax(logits / τ)`
 * and `t` the sample's true class, per sample:
 *
 * - TCKD = KL(`b_T` ‖ `b_S`) between the binary distributions `b = (p_t, 1 − p_t)`: how sure
 *   each model is of the true class;
 * - NCKD = KL(`q_T` ‖ `q_S`) between the distributions `q` over the other classes only,
 *   `q = softmax` of the logits with the true class masked out;
 * - loss = `τ² · (α · TCKD + β · NCKD)`, then reduced and multiplied by `lossWeight`.
 *
 * Classical KD couples NCKD to `1 − p_T,t`, so it fades exactly on the samples the teacher is
 * sure of; DKD's `β` (typically 8) restores it. Everything is computed from log-softmax values,
 * so confident models do not produce `log(0)`.
 *
 * Inputs: `predsS` (student logits `[N, C]`, `C ≥ 2`), `predsT` (teacher logits, same shape)
 * and `gtLabels` (true class indices `[N]`, int32 or integral float32).
 *
 * @example
 * ```ts
 * const dkd = new DKDLoss({ tau: 4, alpha: 1, beta: 8 });
 * const loss = dkd.forward({ predsS, predsT, gtLabels: labels });
 * ```
 */
export class DKDLoss implements DistillLoss {
  /** The input names `forward` requires. */
  static readonly inputNames = ['predsS', 'predsT', 'gtLabels'] as const;
  /** The option names the constructor accepts. */
  static readonly optionKeys = [
    'tau',
    'alpha',
    'beta',
    'reduction',
    'lossWeight',
    'teacherDetach',
  ] as const;
  /** The reductions this loss accepts. */
  static readonly reductions = DKD_REDUCTIONS;

  /** See {@link DKDLoss.inputNames}. */
  readonly inputNames = DKDLoss.inputNames;
  /** Softmax temperature. */
  readonly tau: number;
  /** Weight of TCKD. */
  readonly alpha: number;
  /** Weight of NCKD. */
  readonly beta: number;
  /** See {@link DKDLossOptions.reduction}. */
  readonly reduction: DKDReduction;
  /** Factor applied to the result. */
  readonly lossWeight: number;
  /** Whether the teacher's logits are detached from the gradient. */
  readonly teacherDetach: boolean;

  /**
   * @param options - See {@link DKDLossOptions}.
   * @throws `INVALID_CONFIG` naming the option for an unknown key or a bad value.
   */
  constructor(options: DKDLossOptions = {}) {
    const o = readOptions(options, DKDLoss.optionKeys, 'DKDLoss options');
    this.tau = positiveNumber(o.tau, 'tau', 1);
    this.alpha = nonNegativeNumber(o.alpha, 'alpha', 1);
    this.beta = nonNegativeNumber(o.beta, 'beta', 8);
    this.reduction = oneOf(o.reduction, 'reduction', DKDLoss.reductions, 'batchmean');
    this.lossWeight = nonNegativeNumber(o.lossWeight, 'lossWeight', 1);
    this.teacherDetach = optionalBoolean(o.teacherDetach, 'teacherDetach', true);
  }

  /**
   * Computes the loss; see the class description.
   *
   * @param inputs - `predsS`, `predsT` (`[N, C]` logits) and `gtLabels` (`[N]` class indices).
   * @returns A scalar, or `[N]` with `reduction: 'none'`; multiplied by `lossWeight`.
   * @throws `MISSING_INPUT`; `SHAPE_MISMATCH` (bad ranks, shapes differ, fewer than 2
   *   classes); `INDEX_OUT_OF_RANGE` or `INVALID_ARGUMENT` for bad labels.
   */
  forward(inputs: LossInputs): tf.Tensor {
    const { predsS, predsT, gtLabels } = readInputs(inputs, DKDLoss.inputNames, 'DKDLoss');
    assertRank('DKDLoss', 'predsS', predsS, 2, '[N, C] logits');
    assertSameShape('DKDLoss', 'predsS', predsS, 'predsT', predsT);
    const [n, c] = predsS.shape as [number, number];
    if (c < 2) {
      throw new DistillError(
        'SHAPE_MISMATCH',
        `DKDLoss needs at least 2 classes, but "predsS" has shape ${formatShape(predsS.shape)}.`,
      );
    }
    assertClassLabels('DKDLoss', 'gtLabels', gtLabels, n, c);
    return tf.tidy(() => {
      const teacher = this.teacherDetach ? detach(predsT) : predsT;
      const target = tf.oneHot(tf.cast(gtLabels, 'int32'), c).asType('float32');
      const s = tf.div(predsS, this.tau);
      const t = tf.div(teacher, this.tau);
      const tckd = binaryKL(target, tf.logSoftmax(t), tf.logSoftmax(s));
      const masked = tf.mul(target, MASK);
      const nckd = tf.sum(
        klTerms(tf.logSoftmax(tf.sub(t, masked)), tf.logSoftmax(tf.sub(s, masked))),
        1,
      );
      const perSample = tf.add(tf.mul(tckd, this.alpha), tf.mul(nckd, this.beta));
      return tf.mul(reduceTerms(perSample, this.reduction), this.tau * this.tau * this.lossWeight);
    });
  }
}

/** `p_T · (log p_T − log p_S)` elementwise, from log-probabilities. */
function klTerms(logPT: tf.Tensor, logPS: tf.Tensor): tf.Tensor {
  return tf.mul(tf.exp(logPT), tf.sub(logPT, logPS));
}

/**
 * Per-sample KL between the (target, non-target) binary distributions, `[N]`. The log of the
 * non-target mass is a log-sum-exp over the other classes, so it stays finite when the model
 * puts almost all mass on the target.
 */
function binaryKL(target: tf.Tensor, logPT: tf.Tensor, logPS: tf.Tensor): tf.Tensor {
  const split = (logP: tf.Tensor): tf.Tensor =>
    tf.stack(
      [tf.sum(tf.mul(logP, target), 1), tf.logSumExp(tf.sub(logP, tf.mul(target, MASK)), 1)],
      1,
    );
  return tf.sum(klTerms(split(logPT), split(logPS)), 1);
}
