/**
 * Checks and conversions shared by the batch augments: image and label shapes, label formats
 * (class indices or one-hot/soft) and permutations.
 */
import * as tf from '@tensorflow/tfjs';
import { DistillError, DistillTypeError, describeValue } from '../errors.js';
import { describeShape } from './options.js';

/** What every augment returns: the mixed images and the soft labels `[N, numClasses]`. */
export type AugmentResult = [mixedImages: tf.Tensor, softLabels: tf.Tensor2D];

const NUMERIC_DTYPES: readonly tf.DataType[] = ['float32', 'int32', 'bool'];

function checkTensor(value: unknown, name: string): asserts value is tf.Tensor {
  if (!(value instanceof tf.Tensor)) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected ${name} to be a tf.Tensor, but got ${describeValue(value)}.`,
    );
  }
  if (value.isDisposed) {
    throw new DistillError(
      'DISPOSED_TENSOR',
      `Expected ${name} to be a live tensor, but the tensor of shape ${describeShape(value.shape)} was already disposed. Keep it (tf.keep) or create it inside the same tf.tidy.`,
    );
  }
  if (!NUMERIC_DTYPES.includes(value.dtype)) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected ${name} to hold numbers, but got a tensor of dtype ${value.dtype}.`,
    );
  }
}

/**
 * Checks the shapes of a batch without reading its values.
 *
 * @param images - `[N, H, W, C]` or `[N, D]`.
 * @param labels - `[N]` class indices or `[N, numClasses]` one-hot or soft labels.
 * @param numClasses - The expected number of classes.
 * @throws `INVALID_ARGUMENT` for a non-tensor, `DISPOSED_TENSOR` for a disposed one,
 *   `SHAPE_MISMATCH` for a wrong rank, batch size or class count.
 */
export function checkBatchShapes(
  images: unknown,
  labels: unknown,
  numClasses: number,
): asserts images is tf.Tensor {
  checkTensor(images, 'images');
  checkTensor(labels, 'labels');
  if (images.rank !== 4 && images.rank !== 2) {
    throw new DistillError(
      'SHAPE_MISMATCH',
      `Expected images to have shape [N, H, W, C] or [N, D], but got ${describeShape(images.shape)}.` +
        (images.rank === 3 ? ' Add a channel axis with images.expandDims(-1).' : ''),
    );
  }
  const n = images.shape[0];
  if (labels.rank !== 1 && labels.rank !== 2) {
    throw new DistillError(
      'SHAPE_MISMATCH',
      `Expected labels to have shape [${n}] (class indices) or [${n}, ${numClasses}] (one-hot or soft), but got ${describeShape(labels.shape)}.`,
    );
  }
  if (labels.shape[0] !== n) {
    throw new DistillError(
      'SHAPE_MISMATCH',
      `Expected images and labels to have the same batch size, but images has shape ${describeShape(images.shape)} and labels has shape ${describeShape(labels.shape)}.`,
    );
  }
  if (labels.rank === 2 && labels.shape[1] !== numClasses) {
    throw new DistillError(
      'SHAPE_MISMATCH',
      `Expected labels of shape [N, numClasses] = [${n}, ${numClasses}], but got ${describeShape(labels.shape)}. Set numClasses to ${labels.shape[1]}, or fix the labels.`,
    );
  }
}

/**
 * Converts labels to float soft labels `[N, numClasses]`: class indices become one-hot rows,
 * one-hot or soft rows are cast to float32. Reads index labels once to check their range,
 * because `tf.oneHot` would silently turn an out-of-range index into a row of zeros.
 *
 * @param labels - `[N]` class indices (int32, or float32 holding integers) or `[N, numClasses]`.
 * @param numClasses - The number of classes.
 * @returns A new tensor, owned by the caller.
 * @throws `INDEX_OUT_OF_RANGE` for an index outside [0, numClasses - 1] or not an integer.
 */
export function toSoftLabels(labels: tf.Tensor, numClasses: number): tf.Tensor2D {
  if (labels.rank === 2) return tf.cast(labels, 'float32') as tf.Tensor2D;
  const values = labels.dataSync();
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(Number.isInteger(v) && v >= 0 && v < numClasses)) {
      throw new DistillError(
        'INDEX_OUT_OF_RANGE',
        `Expected every class index in labels to be an integer in [0, ${numClasses - 1}], but labels[${i}] is ${v}. Check numClasses, or pass one-hot labels of shape [N, ${numClasses}].`,
      );
    }
  }
  return tf.tidy(() =>
    tf.oneHot(tf.cast(labels as tf.Tensor1D, 'int32'), numClasses).toFloat(),
  ) as tf.Tensor2D;
}

/** The images as float32, always a new tensor (so the caller may dispose input and output). */
export function toFloatImages(images: tf.Tensor): tf.Tensor {
  return tf.cast(images, 'float32');
}

/**
 * Checks that `perm` is a permutation of 0, ..., n - 1.
 *
 * @throws `INVALID_ARGUMENT` otherwise.
 */
export function checkPermutation(perm: readonly number[], n: number): void {
  if (!isPermutation(perm, n)) {
    throw new DistillError(
      'INVALID_ARGUMENT',
      `Expected perm to be a permutation of 0..${n - 1} (one index per image), but got ${describeShape(perm)}.`,
    );
  }
}

function isPermutation(perm: readonly number[], n: number): boolean {
  // A caller without types may pass anything; a non-array has no usable length.
  if (!(perm instanceof Array) || perm.length !== n) return false;
  const seen = new Uint8Array(n);
  for (const i of perm) {
    if (!Number.isInteger(i) || i < 0 || i >= n || seen[i] === 1) return false;
    seen[i] = 1;
  }
  return true;
}

/** Checks the soft labels given to the low-level mixing functions. */
export function checkSoftLabels(labels: tf.Tensor, n: number): void {
  if (labels.rank !== 2 || labels.shape[0] !== n) {
    throw new DistillError(
      'SHAPE_MISMATCH',
      `Expected soft labels of shape [${n}, numClasses], but got ${describeShape(labels.shape)}. Convert class indices with toSoftLabels(labels, numClasses).`,
    );
  }
}
