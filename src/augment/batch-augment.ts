/**
 * The base class of batch augments: option handling, input checks, the `prob` gate and tensor
 * bookkeeping. Subclasses only say how to mix a checked float batch.
 */
import * as tf from '@tensorflow/tfjs';
import { type AugmentResult, checkBatchShapes, toFloatImages, toSoftLabels } from './batch.js';
import { checkAlpha, checkNumClasses, checkAugmentOptions, checkProb } from './options.js';
import { SeededRandom, checkSeed } from './random.js';

/** Options every batch augment accepts. */
export interface BatchAugmentOptions {
  /** λ is drawn from Beta(alpha, alpha); a positive number. Small values keep λ near 0 or 1. */
  readonly alpha: number;
  /** The number of classes: the width of the soft labels. */
  readonly numClasses: number;
  /**
   * The probability of mixing, in [0, 1]. Default 1. A standalone augment mixes with this
   * probability and otherwise returns the batch unchanged; inside {@link Augments} it is the
   * chance that this augment is the one chosen.
   */
  readonly prob?: number;
  /** Seeds the augment's random stream for reproducible runs; omitted, `Math.random` seeds it. */
  readonly seed?: number;
}

/** A rectangle of an image: rows `[top, bottom)` and columns `[left, right)`. */
export interface CutMixBox {
  /** First row inside the box. */
  readonly top: number;
  /** First column inside the box. */
  readonly left: number;
  /** First row below the box. */
  readonly bottom: number;
  /** First column right of the box. */
  readonly right: number;
}

/** The random choices of one call, for inspection and debugging. */
export interface AugmentParams {
  /** Whether the batch was mixed (false when the `prob` gate left it unchanged). */
  readonly applied: boolean;
  /** The weight of each image's own content and label; 1 when not applied. */
  readonly lambda: number;
  /** Image `i` was mixed with image `perm[i]`; the identity when not applied. */
  readonly perm: readonly number[];
  /** CutMix only: the pasted box, in image coordinates. */
  readonly box?: CutMixBox;
}

/** What {@link BatchAugment.mixBatch} returns: the mixed tensors and the choices made. */
export interface MixOutput {
  /** The mixed images, same shape as the input. */
  readonly images: tf.Tensor;
  /** The mixed soft labels `[N, numClasses]`. */
  readonly labels: tf.Tensor2D;
  /** The random choices, reported through {@link BatchAugment.lastParams}. */
  readonly params: AugmentParams;
}

/**
 * A train-time augmentation that mixes the images of a batch and their labels.
 *
 * Every method is leak-free: intermediate tensors are disposed, and the returned tensors are
 * new ones owned by the caller (or by the caller's `tf.tidy`).
 */
export abstract class BatchAugment {
  /** The config type name of this augment, e.g. `"BatchMixup"`. */
  abstract readonly type: string;
  /** The parameter of the Beta(alpha, alpha) distribution of λ. */
  readonly alpha: number;
  /** The number of classes. */
  readonly numClasses: number;
  /** The probability of mixing; see {@link BatchAugmentOptions.prob}. */
  readonly prob: number;
  /** The augment's own random stream; it advances with every call. */
  protected readonly random: SeededRandom;
  private last: AugmentParams | undefined;

  /**
   * @param options - See {@link BatchAugmentOptions}.
   * @param cls - The subclass name, for messages.
   * @throws `INVALID_CONFIG` for a bad `alpha`, `numClasses`, `prob` or `seed`.
   */
  protected constructor(options: BatchAugmentOptions, cls: string) {
    checkAugmentOptions(options, cls);
    this.alpha = checkAlpha(options.alpha);
    this.numClasses = checkNumClasses(options.numClasses);
    this.prob = checkProb(options.prob);
    this.random = new SeededRandom(
      options.seed === undefined ? undefined : checkSeed(options.seed),
    );
  }

  /**
   * The random choices of the latest `call` or `mix` (λ, the permutation, the box), or
   * undefined before the first one. Meant for tests, logging and debugging.
   */
  get lastParams(): AugmentParams | undefined {
    return this.last;
  }

  /**
   * Mixes the batch with probability `prob`; otherwise returns it unchanged, with the labels
   * still converted to one-hot floats.
   *
   * @param images - Float images `[N, H, W, C]` or `[N, D]` (other dtypes are cast to float32).
   * @param labels - Class indices `[N]` or one-hot/soft labels `[N, numClasses]`.
   * @returns `[mixedImages, softLabels]`, new tensors owned by the caller.
   * @throws `SHAPE_MISMATCH`, `INDEX_OUT_OF_RANGE`, `INVALID_ARGUMENT` or `DISPOSED_TENSOR` for
   *   a batch that does not fit.
   */
  call(images: tf.Tensor, labels: tf.Tensor): AugmentResult {
    this.checkInputs(images, labels);
    // prob 0 and 1 draw nothing, so a prob-1 augment's stream matches `mix` call for call.
    const apply = this.prob >= 1 || (this.prob > 0 && this.random.uniform() < this.prob);
    if (apply) return this.mix(images, labels);
    const result = tf.tidy((): AugmentResult => [
      toFloatImages(images),
      toSoftLabels(labels, this.numClasses),
    ]);
    const n = images.shape[0];
    this.last = { applied: false, lambda: 1, perm: Array.from({ length: n }, (_, i) => i) };
    return result;
  }

  /**
   * Mixes the batch, ignoring `prob` ({@link Augments} calls this once it has chosen).
   *
   * @param images - As for {@link BatchAugment.call}.
   * @param labels - As for {@link BatchAugment.call}.
   * @returns `[mixedImages, softLabels]`, new tensors owned by the caller.
   */
  mix(images: tf.Tensor, labels: tf.Tensor): AugmentResult {
    this.checkInputs(images, labels);
    let params: AugmentParams | undefined;
    const result = tf.tidy((): AugmentResult => {
      const soft = toSoftLabels(labels, this.numClasses);
      const output = this.mixBatch(toFloatImages(images), soft);
      params = output.params;
      return [output.images, output.labels];
    });
    this.last = params;
    return result;
  }

  /**
   * Throws if the batch does not fit this augment; checks shapes only, reads no values.
   * Subclasses with extra requirements (e.g. an image shape) extend it.
   *
   * @throws `SHAPE_MISMATCH`, `INVALID_ARGUMENT` or `DISPOSED_TENSOR`.
   */
  checkInputs(images: tf.Tensor, labels: tf.Tensor): void {
    checkBatchShapes(images, labels, this.numClasses);
  }

  /**
   * Mixes a checked batch; runs inside `tf.tidy`, so it may leave intermediates undisposed.
   *
   * @param images - Float32 images, as given to `call` (rank 2 or 4).
   * @param labels - Float32 soft labels `[N, numClasses]`.
   */
  protected abstract mixBatch(images: tf.Tensor, labels: tf.Tensor2D): MixOutput;
}
