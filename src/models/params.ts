/**
 * Parameter counting for model summaries and size comparisons of teachers and students.
 */
import type * as tf from '@tensorflow/tfjs';

/** Which weights {@link countParams} counts. */
export type ParamKind = 'all' | 'trainable' | 'nonTrainable';

/**
 * Counts the scalar parameters of a model (or a single layer).
 *
 * @param model - A built model or layer.
 * @param kind - `'all'` (default), `'trainable'` or `'nonTrainable'` weights.
 *
 * @example
 * ```ts
 * countParams(hintonStudent()); // 1276810
 * ```
 */
export function countParams(
  model: tf.LayersModel | tf.layers.Layer,
  kind: ParamKind = 'all',
): number {
  const weights =
    kind === 'trainable'
      ? model.trainableWeights
      : kind === 'nonTrainable'
        ? model.nonTrainableWeights
        : model.weights;
  let total = 0;
  for (const w of weights) total += w.shape.reduce<number>((a, b) => a * (b ?? 1), 1);
  return total;
}
