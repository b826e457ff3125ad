/**
 * The contract of a connector: a small trainable adapter between a student feature and the
 * loss that compares it with the teacher's.
 */
import type * as tf from '@tensorflow/tfjs';

/**
 * A trainable map applied to a recorded student feature before its loss (FitNets' "regressor"),
 * usually to give it the teacher feature's width.
 *
 * Its weights are plain `tf.Variable`s: pass {@link Connector.trainableWeights} together with
 * the student's weights as the `varList` of `optimizer.minimize`, so both are trained.
 *
 * @example
 * ```ts
 * const connector = new DenseConnector({ inFeatures: 32, outFeatures: 128 });
 * optimizer.minimize(() => hint.forward({ sFeature: connector.forward(s), tFeature: t }),
 *   false, [...studentWeights, ...connector.trainableWeights]);
 * ```
 */
export interface Connector {
  /**
   * Maps a student feature. Returns a new tensor; `x` is not disposed. Intermediates are freed,
   * so calling it inside the caller's `tf.tidy` leaves nothing behind. The first call builds the
   * weights if the input size was not given.
   */
  forward(x: tf.Tensor): tf.Tensor;
  /**
   * The variables to train.
   *
   * @throws `NOT_BUILT` before the weights exist (see {@link Connector.built}).
   */
  readonly trainableWeights: tf.Variable[];
  /** Whether the weights exist yet. */
  readonly built: boolean;
  /** Frees the weights. Idempotent; `forward` throws afterwards. */
  dispose(): void;
}
