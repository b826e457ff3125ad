/**
 * `detach`: the identity whose gradient is zero, since tfjs 4 has no public `stopGradient`.
 */
import * as tf from '@tensorflow/tfjs';

// Built once: `customGrad` wraps the function in a gradient-recording op on every call.
const identityWithoutGradient = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const x = args[0] as tf.Tensor;
  return {
    // A clone, not `x` itself: the op's output must be a tensor of its own so the tape can
    // tell it from its input.
    value: x.clone(),
    gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
  };
});

/**
 * Returns a copy of `x` through which no gradient flows back, like PyTorch's `tensor.detach()`.
 *
 * Losses use it on teacher outputs so that `optimizer.minimize` never pushes gradients into the
 * teacher. `tf.grads` still reports a gradient for a detached input, but it is all zeros. The
 * result is a new tensor tracked by the current `tf.tidy` scope; `x` is left untouched.
 *
 * @example
 * ```ts
 * const [gS, gT] = tf.grads((s, t) => tf.sum(tf.mul(s, detach(t))))([s, t]);
 * // gT is all zeros
 * ```
 */
export function detach<T extends tf.Tensor>(x: T): T {
  return identityWithoutGradient(x) as T;
}
