/**
 * How a loss turns its per-element terms into the value it returns.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * Every reduction name. A loss accepts a subset; see its options.
 *
 * - `'none'`: one value per sample, shape `[N]` (the sum of that sample's terms).
 * - `'batchmean'`: the sum of all terms divided by the batch size `N`.
 * - `'sum'`: the sum of all terms.
 * - `'mean'`: the mean of all terms, i.e. the sum divided by the number of elements.
 */
export const REDUCTIONS = ['none', 'batchmean', 'sum', 'mean'] as const;

/** One of {@link REDUCTIONS}. */
export type Reduction = (typeof REDUCTIONS)[number];

/**
 * Reduces loss terms of shape `[N, ...]` as {@link REDUCTIONS} describes. Call inside `tf.tidy`.
 *
 * @param terms - Per-element loss terms; axis 0 is the batch.
 * @param reduction - How to reduce them.
 */
export function reduceTerms(terms: tf.Tensor, reduction: Reduction): tf.Tensor {
  switch (reduction) {
    case 'none':
      return terms.rank === 1 ? terms : tf.sum(terms, range(1, terms.rank));
    case 'batchmean':
      return tf.div(tf.sum(terms), terms.shape[0]);
    case 'sum':
      return tf.sum(terms);
    case 'mean':
      return tf.mean(terms);
  }
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}
