/**
 * Per-sample L2 normalisation shared by the feature losses.
 */
import * as tf from '@tensorflow/tfjs';

// Floor under the squared norm: an all-zero row normalises to zeros instead of NaN, and the
// gradient stays finite (a floor on the norm itself would still differentiate √0).
const MIN_SQUARED_NORM = 1e-24;

/**
 * Flattens each sample of `x` (`[N, ...]` → `[N, D]`) and divides it by its L2 norm.
 * All-zero samples stay zero. Call inside `tf.tidy`.
 */
export function normalizePerSample(x: tf.Tensor): tf.Tensor2D {
  const flat = tf.reshape<tf.Rank.R2>(x, [x.shape[0], -1]);
  const norm = tf.sqrt(tf.maximum(tf.sum(tf.square(flat), 1, true), MIN_SQUARED_NORM));
  return tf.div(flat, norm);
}
