/**
 * L1Loss: absolute-error feature distillation.
 */
import * as tf from '@tensorflow/tfjs';
import { nonNegativeNumber, oneOf, optionalBoolean, readOptions } from '../config/options.js';
import { detach } from './detach.js';
import type { DistillLoss, LossInputs } from './distill-loss.js';
import { assertBatched, assertSameShape, readInputs } from './loss-inputs.js';
import { REDUCTIONS, reduceTerms, type Reduction } from './reduction.js';

/** Options of {@link L1Loss}. */
export interface L1LossOptions {
  /** Factor applied to the result, zero or more. Default 1. */
  readonly lossWeight?: number;
  /**
   * How to reduce `|s − t|` (see {@link REDUCTIONS}): `'mean'` (default, over every element),
   * `'batchmean'` (sum / N), `'sum'`, or `'none'` (each sample's sum, shape `[N]`).
   */
  readonly reduction?: Reduction;
  /** Stop gradients from flowing into the teacher's feature. Default true. */
  readonly teacherDetach?: boolean;
}

/**
 * Mean absolute error between student and teacher features: `|sFeature − tFeature|`,
 * elementwise, then reduced and multiplied by `lossWeight`.
 *
 * Less sensitive to a few large activation differences than {@link L2Loss}; use it when the
 * teacher's features have outliers, or to match features on their raw scale.
 *
 * Inputs: `sFeature` and `tFeature`, any equal shapes `[N, ...]`.
 *
 * @example
 * ```ts
 * const loss = new L1Loss({ reduction: 'sum' }).forward({ sFeature, tFeature });
 * ```
 */
export class L1Loss implements DistillLoss {
  /** The input names `forward` requires. */
  static readonly inputNames = ['sFeature', 'tFeature'] as const;
  /** The option names the constructor accepts. */
  static readonly optionKeys = ['lossWeight', 'reduction', 'teacherDetach'] as const;
  /** The reductions this loss accepts. */
  static readonly reductions = REDUCTIONS;

  /** See {@link L1Loss.inputNames}. */
  readonly inputNames = L1Loss.inputNames;
  /** Factor applied to the result. */
  readonly lossWeight: number;
  /** See {@link L1LossOptions.reduction}. */
  readonly reduction: Reduction;
  /** Whether the teacher's feature is detached from the gradient. */
  readonly teacherDetach: boolean;

  /**
   * @param options - See {@link L1LossOptions}.
   * @throws `INVALID_CONFIG` naming the option for an unknown key or a bad value.
   */
  constructor(options: L1LossOptions = {}) {
    const o = readOptions(options, L1Loss.optionKeys, 'L1Loss options');
    this.lossWeight = nonNegativeNumber(o.lossWeight, 'lossWeight', 1);
    this.reduction = oneOf(o.reduction, 'reduction', L1Loss.reductions, 'mean');
    this.teacherDetach = optionalBoolean(o.teacherDetach, 'teacherDetach', true);
  }

  /**
   * Computes the loss; see the class description.
   *
   * @param inputs - `sFeature` and `tFeature` of the same shape `[N, ...]`.
   * @returns A scalar, or `[N]` with `reduction: 'none'`; multiplied by `lossWeight`.
   * @throws `MISSING_INPUT`, `SHAPE_MISMATCH` (no batch axis, or shapes differ).
   */
  forward(inputs: LossInputs): tf.Tensor {
    const { sFeature, tFeature } = readInputs(inputs, L1Loss.inputNames, 'L1Loss');
    assertBatched('L1Loss', 'sFeature', sFeature);
    assertSameShape('L1Loss', 'sFeature', sFeature, 'tFeature', tFeature);
    return tf.tidy(() => {
      const t = this.teacherDetach ? detach(tFeature) : tFeature;
      const terms = tf.abs(tf.sub(sFeature, t));
      return tf.mul(reduceTerms(terms, this.reduction), this.lossWeight);
    });
  }
}
