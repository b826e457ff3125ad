/**
 * A split whose examples are rows of a larger table, read a batch at a time through a
 * {@link RowReader}: from memory (`fromArrays`) or by random access to a file (CSV, NPY).
 */
import * as tf from '@tensorflow/tfjs';
import { DistillTypeError, describeValue } from '../../errors.js';
import { epochOrder } from '../batches.js';
import { positiveInt } from '../options.js';
import type { DataSplit, SourceBatch, SplitReadOptions } from './source.js';

/** One pass of reading rows; opened per epoch and closed when the pass ends or is abandoned. */
export interface RowSession {
  /** The features of `rows` (table row ids), concatenated in that order, as float32. */
  read(rows: Uint32Array): Promise<Float32Array>;
  /** Frees what the pass holds (a file handle). */
  close(): Promise<void>;
}

/** Reads features of table rows. */
export interface RowReader {
  /** Starts one pass over the table. */
  open(): Promise<RowSession>;
}

/**
 * A {@link DataSplit} over the table rows `rows`.
 *
 * @param rows - Table row ids of the split's examples, in the split's own order.
 * @param labels - Class index of every table row (indexed by row id, not by position in `rows`).
 * @param inputShape - Shape of one example.
 * @param reader - Where features come from.
 */
export function indexedSplit(
  rows: Uint32Array,
  labels: ArrayLike<number>,
  inputShape: readonly number[],
  reader: RowReader,
): DataSplit {
  return {
    count: rows.length,
    batches(options: SplitReadOptions): AsyncIterableIterator<SourceBatch> {
      if (typeof options !== 'object' || options === null) {
        throw new DistillTypeError(
          'INVALID_ARGUMENT',
          `Expected read options { batchSize, seed, epoch }, but got ${describeValue(options)}.`,
        );
      }
      // Validate now: a generator body would only run at the first next().
      const batchSize = positiveInt(options.batchSize, 'batchSize');
      const order = epochOrder(rows.length, options);
      return readBatches(rows, labels, inputShape, reader, order, batchSize);
    },
  };
}

async function* readBatches(
  rows: Uint32Array,
  labels: ArrayLike<number>,
  inputShape: readonly number[],
  reader: RowReader,
  order: Uint32Array,
  batchSize: number,
): AsyncGenerator<SourceBatch, void, undefined> {
  if (order.length === 0) return;
  const session = await reader.open();
  try {
    for (let start = 0; start < order.length; start += batchSize) {
      const positions = order.subarray(start, Math.min(start + batchSize, order.length));
      const size = positions.length;
      const ids = new Uint32Array(size);
      const y = new Int32Array(size);
      for (let i = 0; i < size; i++) {
        ids[i] = rows[positions[i]!]!;
        y[i] = labels[ids[i]!]!;
      }
      const features = await session.read(ids);
      // Tensors are made just before the yield, so nothing is left behind if the loop stops.
      yield {
        x: tf.tensor(features, [size, ...inputShape], 'float32'),
        y: tf.tensor1d(y, 'int32'),
        size,
      };
    }
  } finally {
    await session.close();
  }
}

/** A {@link RowReader} over features held in memory, `featureSize` values per row. */
export function memoryReader(features: Float32Array, featureSize: number): RowReader {
  const session: RowSession = {
    read: (ids) => {
      const out = new Float32Array(ids.length * featureSize);
      for (let i = 0; i < ids.length; i++) {
        const src = ids[i]! * featureSize;
        out.set(features.subarray(src, src + featureSize), i * featureSize);
      }
      return Promise.resolve(out);
    },
    close: () => Promise.resolve(),
  };
  return { open: () => Promise.resolve(session) };
}

/** `0 .. n-1` as row ids. */
export function allRows(n: number): Uint32Array {
  return Uint32Array.from({ length: n }, (_, i) => i);
}
