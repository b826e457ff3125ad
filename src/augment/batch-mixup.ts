/**
 * Mixup (Zhang et al., 2018): blend every image and label with those of another image of the
 * batch.
 */
import * as tf from '@tensorflow/tfjs';
import { DistillError, describeValue } from '../errors.js';
import { type AugmentResult, checkPermutation, checkSoftLabels } from './batch.js';
import { BatchAugment, type BatchAugmentOptions, type MixOutput } from './batch-augment.js';

/** Options of {@link BatchMixup}. */
export type BatchMixupOptions = BatchAugmentOptions;

/** Throws unless `lambda` is a number in [0, 1]. */
export function checkLambda(lambda: number): void {
  if (typeof lambda !== 'number' || !(lambda >= 0 && lambda <= 1)) {
    throw new DistillError(
      'INVALID_ARGUMENT',
      `Expected lambda to be a number in [0, 1], but got ${describeValue(lambda)}.`,
    );
  }
}

/**
 * Mixup with given λ and permutation: `λ·x + (1-λ)·x[perm]` and `λ·y + (1-λ)·y[perm]`.
 * {@link BatchMixup} draws λ and `perm` and calls this; use it directly for tests or for a
 * schedule of your own.
 *
 * @param images - Float images `[N, ...]`.
 * @param labels - Float soft labels `[N, numClasses]` (see `toSoftLabels`).
 * @param lambda - The weight of each image's own content, in [0, 1].
 * @param perm - A permutation of 0..N-1: image `i` is mixed with image `perm[i]`.
 * @returns `[mixedImages, mixedLabels]`, new tensors owned by the caller.
 *
 * @example
 * ```ts
 * const [x, y] = mixupBatch(images, tf.oneHot(indices, 10).toFloat(), 0.7, [1, 0]);
 * ```
 */
export function mixupBatch(
  images: tf.Tensor,
  labels: tf.Tensor2D,
  lambda: number,
  perm: readonly number[],
): AugmentResult {
  const n = images.shape[0] ?? 0;
  checkLambda(lambda);
  checkPermutation(perm, n);
  checkSoftLabels(labels, n);
  return tf.tidy((): AugmentResult => {
    const index = tf.tensor1d(perm as number[], 'int32');
    const mixedImages = tf.add(
      tf.mul(images, lambda),
      tf.mul(tf.gather(images, index), 1 - lambda),
    );
    const mixedLabels = tf.add(
      tf.mul(labels, lambda),
      tf.mul(tf.gather(labels, index), 1 - lambda),
    );
    return [mixedImages, mixedLabels as tf.Tensor2D];
  });
}

/**
 * Batch mixup, as in MMClassification's `BatchMixup`: per call, λ ~ Beta(α, α) and a random
 * permutation `perm` of the batch; images become `λ·x + (1-λ)·x[perm]` and labels
 * `λ·y + (1-λ)·y[perm]`.
 *
 * @example
 * ```ts
 * const mixup = new BatchMixup({ alpha: 0.2, numClasses: 10, seed: 7 });
 * const [images, softLabels] = mixup.call(batchImages, batchLabels);
 * ```
 */
export class BatchMixup extends BatchAugment {
  /** Always `"BatchMixup"`. */
  readonly type = 'BatchMixup';

  /**
   * @param options - `alpha`, `numClasses`, optional `prob` and `seed`.
   * @throws `INVALID_CONFIG` for a bad option, naming the key and the value.
   */
  constructor(options: BatchMixupOptions) {
    super(options, 'BatchMixup');
  }

  /** Draws λ, then the permutation, and mixes. */
  protected mixBatch(images: tf.Tensor, labels: tf.Tensor2D): MixOutput {
    const lambda = this.random.beta(this.alpha, this.alpha);
    const perm = this.random.permutation(images.shape[0]);
    const [mixedImages, mixedLabels] = mixupBatch(images, labels, lambda, perm);
    return { images: mixedImages, labels: mixedLabels, params: { applied: true, lambda, perm } };
  }
}
