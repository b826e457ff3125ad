/**
 * L2Loss: squared-error feature distillation (FitNets), optionally on normalised features.
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
import { assertBatched, assertSameShape, readInputs } from './loss-inputs.js';
import { normalizePerSample } from './normalize.js';

/** What {@link L2Loss} divides the summed squared error by. */
export const L2_LOSS_DIVISORS = ['batch', 'element'] as const;

/** One of {@link L2_LOSS_DIVISORS}. */
export type L2LossDivisor = (typeof L2_LOSS_DIVISORS)[number];

/** Options of {@link L2Loss}. */
export interface L2LossOptions {
  /** L2-normalise each sample's flattened feature before comparing. Default true. */
  readonly normalize?: boolean;
  /** Factor applied to the result, zero or more. Default 1. */
  readonly lossWeight?: number;
  /**
   * Length the normalised features are scaled to, a positive number; used only when
   * `normalize` is true. Default 1.
   */
  readonly mult?: number;
  /**
   * Divide the summed squared error by the batch size `N` (`'batch'`, default) or by the
   * number of elements (`'element'`, a mean squared error). Ignored when `dist` is true.
   */
  readonly div?: L2LossDivisor;
  /**
   * Return the Euclidean distance between the whole student and teacher batches, i.e. the
   * square root of the summed squared error, instead of dividing it. Default false.
   */
  readonly dist?: boolean;
  /** Stop gradients from flowing into the teacher's feature. Default true. */
  readonly teacherDetach?: boolean;
}

/**
 * Squared L2 distance between student and teacher features:
 *
 * 1. if `normalize`, each sample's feature is flattened to `x` and replaced by
 *    `mult · x / ‖x‖₂` (all-zero features stay zero);
 * 2. `S = Σ (s − t)²` over every element of the batch;
 * 3. the result is `S / N` (`div: 'batch'`), `S / (number of elements)` (`div: 'element'`), or
 *    `√S` when `dist` is true; then multiplied by `lossWeight`.
 *
 * With normalisation the loss compares directions only and lies in `[0, 4·mult²]` per sample,
 * so it needs no tuning for the features' scale, which is what FitNets-style hint training
 * wants. The student feature usually goes through a connector first to match the teacher's
 * shape.
 *
 * Inputs: `sFeature` and `tFeature`, any equal shapes `[N, ...]`.
 *
 * @example
 * ```ts
 * const hint = new L2Loss({ lossWeight: 10 });
 * const loss = hint.forward({ sFeature: connector.forward(s), tFeature: t });
 * ```
 */
export class L2Loss implements DistillLoss {
  /** The input names `forward` requires. */
  static readonly inputNames = ['sFeature', 'tFeature'] as const;
  /** The option names the constructor accepts. */
  static readonly optionKeys = [
    'normalize',
    'lossWeight',
    'mult',
    'div',
    'dist',
    'teacherDetach',
  ] as const;

  /** See {@link L2Loss.inputNames}. */
  readonly inputNames = L2Loss.inputNames;
  /** See {@link L2LossOptions.normalize}. */
  readonly normalize: boolean;
  /** Factor applied to the result. */
  readonly lossWeight: number;
  /** See {@link L2LossOptions.mult}. */
  readonly mult: number;
  /** See {@link L2LossOptions.div}. */
  readonly div: L2LossDivisor;
  /** See {@link L2LossOptions.dist}. */
  readonly dist: boolean;
  /** Whether the teacher's feature is detached from the gradient. */
  readonly teacherDetach: boolean;

  /**
   * @param options - See {@link L2LossOptions}.
   * @throws `INVALID_CONFIG` naming the option for an unknown key or a bad value.
   */
  constructor(options: L2LossOptions = {}) {
    const o = readOptions(options, L2Loss.optionKeys, 'L2Loss options');
    this.normalize = optionalBoolean(o.normalize, 'normalize', true);
    this.lossWeight = nonNegativeNumber(o.lossWeight, 'lossWeight', 1);
    this.mult = positiveNumber(o.mult, 'mult', 1);
    this.div = oneOf(o.div, 'div', L2_LOSS_DIVISORS, 'batch');
    this.dist = optionalBoolean(o.dist, 'dist', false);
    this.teacherDetach = optionalBoolean(o.teacherDetach, 'teacherDetach', true);
  }

  /**
   * Computes the loss; see the class description.
   *
   * @param inputs - `sFeature` and `tFeature` of the same shape `[N, ...]`.
   * @returns A scalar, multiplied by `lossWeight`.
   * @throws `MISSING_INPUT`, `SHAPE_MISMATCH` (no batch axis, or shapes differ).
   */
  forward(inputs: LossInputs): tf.Scalar {
    const { sFeature, tFeature } = readInputs(inputs, L2Loss.inputNames, 'L2Loss');
    assertBatched('L2Loss', 'sFeature', sFeature);
    assertSameShape('L2Loss', 'sFeature', sFeature, 'tFeature', tFeature);
    return tf.tidy(() => {
      let s = sFeature;
      let t = this.teacherDetach ? detach(tFeature) : tFeature;
      if (this.normalize) {
        s = this.normalized(s);
        t = this.normalized(t);
      }
      const squared = tf.sum(tf.squaredDifference(s, t));
      let loss: tf.Tensor;
      if (this.dist) {
        loss = safeSqrt(squared);
      } else {
        loss = tf.div(squared, this.div === 'batch' ? sFeature.shape[0] : sFeature.size);
      }
      return tf.mul<tf.Scalar>(loss, this.lossWeight);
    });
  }

  private normalized(x: tf.Tensor): tf.Tensor {
    return tf.mul(normalizePerSample(x), this.mult);
  }
}

/**
 * `√x` for `x ≥ 0` whose gradient at 0 is 0 instead of infinite: identical features are a
 * common starting point, and ∞ · 0 would turn every gradient into NaN. A custom gradient,
 * because a `where` on `x > 0` puts a comparison on the tape, which tfjs cannot differentiate.
 */
const safeSqrt = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const x = args[0] as tf.Tensor;
  const save = args[1] as tf.GradSaveFunc;
  const root = tf.sqrt(x);
  save([root]);
  return {
    value: root,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const r = saved[0]!;
      return tf.where(tf.greater(r, 0), tf.div(dy, tf.mul(r, 2)), tf.zerosLike(dy));
    },
  };
});
