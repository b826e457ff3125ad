/**
 * Seeded, reproducible mini-batches of a {@link Dataset} as tensors.
 */
import * as tf from '@tensorflow/tfjs';
import { DistillTypeError, describeValue } from '../errors.js';
import { featureSizeOf, type Dataset } from './dataset.js';
import { nonNegativeInteger, positiveInt } from './options.js';
import { createRng, deriveSeed, normalizeSeed, permutation } from './random.js';

/** Options of {@link batches} and {@link epochOrder}. */
export interface BatchOptions {
  /** Examples per batch. */
  readonly batchSize: number;
  /** Seed of the shuffle; with `epoch` it fixes the order. */
  readonly seed: number;
  /** Epoch number (0, 1, ...); each epoch has its own order. */
  readonly epoch: number;
  /** Shuffle the examples (default true); false keeps the dataset order. */
  readonly shuffle?: boolean;
  /** Drop a last batch smaller than `batchSize` (default false). */
  readonly dropRemainder?: boolean;
}

/** One mini-batch. The consumer owns (and must dispose) `x` and `y`. */
export interface Batch {
  /** Features, shape `[size, featureSize]` (for MNIST `[size, 784]`). */
  readonly x: tf.Tensor2D;
  /** Class labels as int32, shape `[size]`. */
  readonly y: tf.Tensor1D;
  /** Number of examples in this batch. */
  readonly size: number;
  /** Dataset indices of the examples, in batch order. */
  readonly indices: Uint32Array;
}

// Purpose tag, so batch orders are unrelated to splits and subsets drawn with the same seed.
const BATCH_STREAM = 3;

/**
 * The order in which one epoch visits the examples: a permutation of `0 .. count-1` that
 * depends only on `(seed, epoch)` (or the identity when `shuffle` is false).
 *
 * @param count - Number of examples.
 * @param options - `seed`, `epoch` and `shuffle`.
 */
export function epochOrder(
  count: number,
  options: Pick<BatchOptions, 'seed' | 'epoch' | 'shuffle'>,
): Uint32Array {
  nonNegativeInteger(count, 'count');
  const seed = normalizeSeed(options.seed);
  const epoch = nonNegativeInteger(options.epoch, 'epoch');
  if (options.shuffle === false) return Uint32Array.from({ length: count }, (_, i) => i);
  // The epoch seeds a fresh generator, so epoch 7 can be reproduced without replaying 0-6.
  return permutation(count, createRng(deriveSeed(seed, BATCH_STREAM, epoch)));
}

/**
 * Number of batches {@link batches} yields for `count` examples.
 *
 * @param count - Number of examples.
 * @param batchSize - Examples per batch.
 * @param dropRemainder - Whether a last, smaller batch is dropped.
 */
export function batchCount(count: number, batchSize: number, dropRemainder = false): number {
  return dropRemainder ? Math.floor(count / batchSize) : Math.ceil(count / batchSize);
}

/**
 * Iterates over one epoch of `dataset` in mini-batches. The order is reproducible from
 * `(seed, epoch)`, every example appears exactly once per epoch (unless `dropRemainder` drops
 * the last few), and tensors are created lazily, one batch at a time.
 *
 * @param dataset - The examples.
 * @param options - Batch size, seed, epoch, shuffle and dropRemainder.
 * @returns An iterator of {@link Batch}es; dispose each batch's `x` and `y` when done.
 *
 * @example
 * ```ts
 * for (const { x, y } of batches(train, { batchSize: 128, seed: 1, epoch })) {
 *   try { trainStep(x, y); } finally { tf.dispose([x, y]); }
 * }
 * ```
 */
export function batches(dataset: Dataset, options: BatchOptions): IterableIterator<Batch> {
  const featureSize = featureSizeOf(dataset);
  if (typeof options !== 'object' || options === null) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected batch options { batchSize, seed, epoch }, but got ${describeValue(options)}.`,
    );
  }
  const batchSize = positiveInt(options.batchSize, 'batchSize');
  // Validate everything now: a generator body would only run at the first next().
  const order = epochOrder(dataset.count, options);
  return generate(dataset, featureSize, order, batchSize, options.dropRemainder === true);
}

function* generate(
  dataset: Dataset,
  featureSize: number,
  order: Uint32Array,
  batchSize: number,
  dropRemainder: boolean,
): Generator<Batch, void, undefined> {
  const total = batchCount(order.length, batchSize, dropRemainder);
  for (let b = 0; b < total; b++) {
    const indices = order.subarray(b * batchSize, Math.min((b + 1) * batchSize, order.length));
    const size = indices.length;
    const features = new Float32Array(size * featureSize);
    const labels = new Int32Array(size);
    for (let i = 0; i < size; i++) {
      const src = indices[i]!;
      features.set(
        dataset.images.subarray(src * featureSize, (src + 1) * featureSize),
        i * featureSize,
      );
      labels[i] = dataset.labels[src]!;
    }
    yield {
      x: tf.tensor2d(features, [size, featureSize]),
      y: tf.tensor1d(labels, 'int32'),
      size,
      indices,
    };
  }
}
