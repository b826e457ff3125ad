/**
 * CutMix (Yun et al., 2019): paste a random box from another image of the batch into every
 * image, and mix the labels by the area each image keeps.
 */
import * as tf from '@tensorflow/tfjs';
import { DistillError } from '../errors.js';
import { type AugmentResult, checkPermutation, checkSoftLabels } from './batch.js';
import {
  BatchAugment,
  type BatchAugmentOptions,
  type CutMixBox,
  type MixOutput,
} from './batch-augment.js';
import { checkLambda } from './batch-mixup.js';
import { type ImageShape, checkImageShape, describeShape } from './options.js';

/** Options of {@link BatchCutMix}. */
export interface BatchCutMixOptions extends BatchAugmentOptions {
  /**
   * The shape of one image, `[H, W, C]` or `[H, W]` (channels inferred), needed for flat
   * `[N, D]` inputs: they are reshaped to `[N, H, W, C]` and back. For `[N, H, W, C]` inputs it
   * is optional and, when given, checked.
   */
  readonly imageShape?: ImageShape;
}

/** What {@link cutMixBox} needs: λ, the image size and the box centre. */
export interface CutMixBoxArgs {
  /** The sampled λ in [0, 1]; the box covers about (1 - λ) of the image. */
  readonly lambda: number;
  /** Image height. */
  readonly height: number;
  /** Image width. */
  readonly width: number;
  /** Row of the box centre, in [0, height). */
  readonly centreY: number;
  /** Column of the box centre, in [0, width). */
  readonly centreX: number;
}

/**
 * The CutMix box for λ and a centre: sides `floor(sqrt(1 - λ) · H)` by `floor(sqrt(1 - λ) · W)`
 * around the centre, clipped to the image (so it may come out smaller near an edge).
 *
 * @example
 * ```ts
 * cutMixBox({ lambda: 0.75, height: 4, width: 4, centreY: 1, centreX: 2 });
 * // { top: 0, left: 1, bottom: 2, right: 3 }
 * ```
 */
export function cutMixBox(args: CutMixBoxArgs): CutMixBox {
  const { lambda, height, width, centreY, centreX } = args;
  checkLambda(lambda);
  const ratio = Math.sqrt(1 - lambda);
  const cutH = Math.floor(ratio * height);
  const cutW = Math.floor(ratio * width);
  const clip = (v: number, max: number): number => Math.min(Math.max(v, 0), max);
  const top = centreY - Math.floor(cutH / 2);
  const left = centreX - Math.floor(cutW / 2);
  return {
    top: clip(top, height),
    left: clip(left, width),
    bottom: clip(top + cutH, height),
    right: clip(left + cutW, width),
  };
}

/** The corrected λ of a box: the fraction of each image that is not pasted over. */
export function cutMixLambda(box: CutMixBox, height: number, width: number): number {
  return 1 - ((box.bottom - box.top) * (box.right - box.left)) / (height * width);
}

function checkBox(box: CutMixBox, height: number, width: number): void {
  const ok =
    [box.top, box.left, box.bottom, box.right].every(Number.isInteger) &&
    box.top >= 0 &&
    box.top <= box.bottom &&
    box.bottom <= height &&
    box.left >= 0 &&
    box.left <= box.right &&
    box.right <= width;
  if (!ok) {
    throw new DistillError(
      'INVALID_ARGUMENT',
      `Expected box to be integer rows 0 <= top <= bottom <= ${height} and columns 0 <= left <= right <= ${width}, but got ${JSON.stringify(box)}.`,
    );
  }
}

/**
 * CutMix with a given box and permutation: inside the box, image `i` takes the pixels of
 * image `perm[i]`; labels are mixed with the corrected λ = 1 - box area / image area. The mask
 * is built as a tensor, so no pixel is visited in JavaScript.
 *
 * @param images - Float images `[N, H, W, C]`.
 * @param labels - Float soft labels `[N, numClasses]`.
 * @param box - The pasted box (see {@link cutMixBox}).
 * @param perm - A permutation of 0..N-1.
 * @returns `[mixedImages, mixedLabels]`, new tensors owned by the caller.
 */
export function cutMixBatch(
  images: tf.Tensor4D,
  labels: tf.Tensor2D,
  box: CutMixBox,
  perm: readonly number[],
): AugmentResult {
  if (images.rank !== 4) {
    throw new DistillError(
      'SHAPE_MISMATCH',
      `Expected images of shape [N, H, W, C], but got ${describeShape(images.shape)}.`,
    );
  }
  const [n, height, width] = images.shape;
  checkBox(box, height, width);
  checkPermutation(perm, n);
  checkSoftLabels(labels, n);
  const lambda = cutMixLambda(box, height, width);
  return tf.tidy((): AugmentResult => {
    const index = tf.tensor1d(perm as number[], 'int32');
    const inRange = (size: number, from: number, to: number): tf.Tensor1D => {
      const positions = tf.range(0, size, 1, 'int32');
      return tf.logicalAnd(tf.greaterEqual(positions, from), tf.less(positions, to));
    };
    const rows = inRange(height, box.top, box.bottom).reshape([1, height, 1, 1]);
    const cols = inRange(width, box.left, box.right).reshape([1, 1, width, 1]);
    // `where` rather than arithmetic blending, so pixels outside the box stay bit-exact.
    const mask = tf.logicalAnd(rows, cols);
    const mixedImages = tf.where(mask, tf.gather(images, index), images);
    const mixedLabels = tf.add(
      tf.mul(labels, lambda),
      tf.mul(tf.gather(labels, index), 1 - lambda),
    );
    return [mixedImages, mixedLabels as tf.Tensor2D];
  });
}

/**
 * The `[H, W, C]` of each image of a batch of shape `shape`, from the batch itself or, for
 * flat `[N, D]` batches, from `imageShape`.
 *
 * @throws `SHAPE_MISMATCH` when the two disagree, or for a flat batch without `imageShape`.
 */
export function resolveImageShape(
  shape: readonly number[],
  imageShape: ImageShape | undefined,
): [number, number, number] {
  if (shape.length === 4) {
    const [, h, w, c] = shape as [number, number, number, number];
    if (
      imageShape !== undefined &&
      !(imageShape[0] === h && imageShape[1] === w && (imageShape[2] ?? c) === c)
    ) {
      throw new DistillError(
        'SHAPE_MISMATCH',
        `Expected images of shape [N, ${imageShape.join(', ')}${imageShape.length === 2 ? ', C' : ''}] (from imageShape ${describeShape(imageShape)}), but got ${describeShape(shape)}.`,
      );
    }
    return [h, w, c];
  }
  const d = shape[1] ?? 0;
  if (imageShape === undefined) {
    throw new DistillError(
      'SHAPE_MISMATCH',
      `BatchCutMix cuts a box out of each image, so it needs images of shape [N, H, W, C], but got flat images of shape ${describeShape(shape)}. Pass imageShape: [H, W, C] (or [H, W]) to BatchCutMix, e.g. imageShape: [28, 28, 1].`,
    );
  }
  const [h, w] = imageShape;
  const c = imageShape[2] ?? d / (h * w);
  if (!Number.isInteger(c) || h * w * c !== d) {
    throw new DistillError(
      'SHAPE_MISMATCH',
      `Expected flat images of shape [N, ${imageShape.length === 3 ? h * w * c : `${h}·${w}·C`}] to match imageShape ${describeShape(imageShape)}, but got ${describeShape(shape)}.`,
    );
  }
  return [h, w, c];
}

/**
 * Batch CutMix, as in MMClassification's `BatchCutMix`: per call, λ ~ Beta(α, α), a random
 * permutation `perm`, and a box of about (1 - λ) of the image (cut ratio sqrt(1 - λ), centre
 * uniformly random, clipped to the image) pasted from image `perm[i]` into image `i`. λ is then
 * corrected to the area actually kept, and labels are mixed with it.
 *
 * @example
 * ```ts
 * const cutmix = new BatchCutMix({ alpha: 1, numClasses: 10, imageShape: [28, 28, 1] });
 * const [images, softLabels] = cutmix.call(flatImages, labels); // flatImages: [N, 784]
 * ```
 */
export class BatchCutMix extends BatchAugment {
  /** Always `"BatchCutMix"`. */
  readonly type = 'BatchCutMix';
  /** The image shape for flat inputs, if given. */
  readonly imageShape: ImageShape | undefined;

  /**
   * @param options - `alpha`, `numClasses`, optional `prob`, `seed` and `imageShape`.
   * @throws `INVALID_CONFIG` for a bad option, naming the key and the value.
   */
  constructor(options: BatchCutMixOptions) {
    super(options, 'BatchCutMix');
    this.imageShape = checkImageShape(options.imageShape);
  }

  /** Also checks the image shape (a flat batch needs `imageShape`). */
  override checkInputs(images: tf.Tensor, labels: tf.Tensor): void {
    super.checkInputs(images, labels);
    resolveImageShape(images.shape, this.imageShape);
  }

  /** Draws λ, the permutation, then the box centre (row, column), and mixes. */
  protected mixBatch(images: tf.Tensor, labels: tf.Tensor2D): MixOutput {
    const [height, width, channels] = resolveImageShape(images.shape, this.imageShape);
    const n = images.shape[0];
    const sampled = this.random.beta(this.alpha, this.alpha);
    const perm = this.random.permutation(n);
    const centreY = this.random.integer(height);
    const centreX = this.random.integer(width);
    const box = cutMixBox({ lambda: sampled, height, width, centreY, centreX });
    const images4d = images.reshape<tf.Tensor4D>([n, height, width, channels]);
    const [mixed, mixedLabels] = cutMixBatch(images4d, labels, box, perm);
    return {
      images: mixed.reshape(images.shape),
      labels: mixedLabels,
      params: { applied: true, lambda: cutMixLambda(box, height, width), perm, box },
    };
  }
}
