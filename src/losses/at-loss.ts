/**
 * ATLoss: attention transfer between convolutional feature maps.
 */
import * as tf from '@tensorflow/tfjs';
import { DistillError } from '../errors.js';
import { nonNegativeNumber, optionalBoolean, readOptions } from '../config/options.js';
import { detach } from './detach.js';
import type { DistillLoss, LossInputs } from './distill-loss.js';
import { assertRank, formatShape, readInputs } from './loss-inputs.js';
import { normalizePerSample } from './normalize.js';

/** Options of {@link ATLoss}. */
export interface ATLossOptions {
  /** Factor applied to the result, zero or more. Default 1. */
  readonly lossWeight?: number;
  /** Stop gradients from flowing into the teacher's feature. Default true. */
  readonly teacherDetach?: boolean;
}

/**
 * Attention transfer (Zagoruyko & Komodakis, ICLR 2017). For an NHWC feature `f` the spatial
 * attention map of a sample is `a = mean_c f²`, flattened to `H·W` values and L2-normalised;
 * the loss is the mean, over the `N·H·W` positions, of `(a_S − a_T)²`, times `lossWeight`.
 *
 * Only where the network "looks" is compared, not the features themselves, so the student
 * and teacher may have different channel counts and need no connector. Their batch size and
 * spatial size must match.
 *
 * Inputs: `sFeature` `[N, H, W, C_S]` and `tFeature` `[N, H, W, C_T]`.
 *
 * @example
 * ```ts
 * const loss = new ATLoss({ lossWeight: 1000 }).forward({ sFeature, tFeature });
 * ```
 */
export class ATLoss implements DistillLoss {
  /** The input names `forward` requires. */
  static readonly inputNames = ['sFeature', 'tFeature'] as const;
  /** The option names the constructor accepts. */
  static readonly optionKeys = ['lossWeight', 'teacherDetach'] as const;

  /** See {@link ATLoss.inputNames}. */
  readonly inputNames = ATLoss.inputNames;
  /** Factor applied to the result. */
  readonly lossWeight: number;
  /** Whether the teacher's feature is detached from the gradient. */
  readonly teacherDetach: boolean;

  /**
   * @param options - See {@link ATLossOptions}.
   * @throws `INVALID_CONFIG` naming the option for an unknown key or a bad value.
   */
  constructor(options: ATLossOptions = {}) {
    const o = readOptions(options, ATLoss.optionKeys, 'ATLoss options');
    this.lossWeight = nonNegativeNumber(o.lossWeight, 'lossWeight', 1);
    this.teacherDetach = optionalBoolean(o.teacherDetach, 'teacherDetach', true);
  }

  /**
   * Computes the loss; see the class description.
   *
   * @param inputs - `sFeature` and `tFeature`, NHWC with equal `N`, `H` and `W`.
   * @returns A scalar, multiplied by `lossWeight`.
   * @throws `MISSING_INPUT`, `SHAPE_MISMATCH` (not rank 4, or `N`, `H`, `W` differ).
   */
  forward(inputs: LossInputs): tf.Scalar {
    const { sFeature, tFeature } = readInputs(inputs, ATLoss.inputNames, 'ATLoss');
    assertRank('ATLoss', 'sFeature', sFeature, 4, 'an NHWC feature map [N, H, W, C]');
    assertRank('ATLoss', 'tFeature', tFeature, 4, 'an NHWC feature map [N, H, W, C]');
    if (sFeature.shape.slice(0, 3).some((d, i) => d !== tFeature.shape[i])) {
      throw new DistillError(
        'SHAPE_MISMATCH',
        `ATLoss needs "sFeature" and "tFeature" with the same batch and spatial size [N, H, W], but got ${formatShape(sFeature.shape)} and ${formatShape(tFeature.shape)}; resize one of them first (channels may differ).`,
      );
    }
    return tf.tidy(() => {
      const t = this.teacherDetach ? detach(tFeature) : tFeature;
      const diff = tf.sub(attentionMap(sFeature), attentionMap(t));
      return tf.mul<tf.Scalar>(tf.mean(tf.square(diff)), this.lossWeight);
    });
  }
}

/** `[N, H, W, C]` → `[N, H·W]`: channel-mean of squares, each row L2-normalised. */
function attentionMap(feature: tf.Tensor): tf.Tensor {
  return normalizePerSample(tf.mean(tf.square(feature), -1));
}
