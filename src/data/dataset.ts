/**
 * The in-memory dataset shape used by the data helpers: plain typed arrays, no tensors, so the
 * caller decides when (and how much) data becomes tensors.
 */
import { DistillTypeError, describeValue } from '../errors.js';

/** Labelled examples stored as flat typed arrays. */
export interface Dataset {
  /** Features, `count * featureSize` values row-major (for MNIST 784 pixels in `[0, 1]`). */
  readonly images: Float32Array;
  /** One class index per example. */
  readonly labels: Uint8Array;
  /** Number of examples. */
  readonly count: number;
}

/**
 * Checks that `dataset` is consistent and returns its feature size (values per example).
 *
 * @param dataset - The dataset to check.
 * @param path - Its option name, for messages.
 * @throws DistillTypeError `INVALID_ARGUMENT` naming the inconsistency.
 */
export function featureSizeOf(dataset: Dataset, path = 'dataset'): number {
  const d = dataset as Partial<Dataset> | null | undefined;
  if (
    typeof d !== 'object' ||
    d === null ||
    !(d.images instanceof Float32Array) ||
    !(d.labels instanceof Uint8Array) ||
    typeof d.count !== 'number'
  ) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected ${path} to be { images: Float32Array, labels: Uint8Array, count: number }, but got ${describeValue(dataset)}.`,
    );
  }
  if (!Number.isSafeInteger(d.count) || d.count < 0 || d.labels.length !== d.count) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `${path}.count is ${describeValue(d.count)} but ${path}.labels has ${d.labels.length} entries; they must be equal.`,
    );
  }
  if (d.count === 0) return 0;
  const size = d.images.length / d.count;
  if (!Number.isInteger(size)) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `${path}.images has ${d.images.length} values, which is not a multiple of count ${d.count}.`,
    );
  }
  return size;
}

/**
 * A new dataset holding copies of the examples at `indices`, in that order.
 *
 * @param dataset - The source.
 * @param indices - Example indices, each in `[0, dataset.count)`.
 */
export function selectExamples(dataset: Dataset, indices: ArrayLike<number>): Dataset {
  const size = featureSizeOf(dataset);
  const images = new Float32Array(indices.length * size);
  const labels = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const src = indices[i]!;
    images.set(dataset.images.subarray(src * size, (src + 1) * size), i * size);
    labels[i] = dataset.labels[src]!;
  }
  return { images, labels, count: indices.length };
}
