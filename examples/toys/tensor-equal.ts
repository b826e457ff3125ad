/**
 * Tensor equality for the examples, in the sense of `torch.equal`: the same shape and exactly
 * the same values.
 */
import type * as tf from '@tensorflow/tfjs';

/** Whether `a` and `b` have the same shape and element-wise identical values. */
export function tensorsEqual(a: tf.Tensor, b: tf.Tensor): boolean {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) return false;
  const av = a.dataSync();
  const bv = b.dataSync();
  return av.every((v, i) => v === bv[i]);
}
