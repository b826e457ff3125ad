/**
 * A {@link DataSplit} over examples held in memory as a {@link Dataset}: the seeded, reproducible
 * batches of `batches()`, reshaped to the source's example shape.
 */
import * as tf from '@tensorflow/tfjs';
import { batches } from '../batches.js';
import type { Dataset } from '../dataset.js';
import type { DataSplit, SourceBatch, SplitReadOptions } from './source.js';

/**
 * The split of `dataset`, whose examples have `inputShape` (their product is the dataset's
 * feature size).
 *
 * @example
 * ```ts
 * const test = datasetSplit(mnist.test, [28, 28, 1]);
 * for await (const { x, y } of test.batches({ batchSize: 500, seed: 0, epoch: 0, shuffle: false })) { ... }
 * ```
 */
export function datasetSplit(dataset: Dataset, inputShape: readonly number[]): DataSplit {
  const flat = inputShape.length === 1;
  return {
    count: dataset.count,
    // eslint-disable-next-line @typescript-eslint/require-await -- an async generator by contract
    async *batches(options: SplitReadOptions): AsyncIterableIterator<SourceBatch> {
      for (const batch of batches(dataset, options)) {
        if (flat) {
          yield batch;
          continue;
        }
        const x = tf.reshape(batch.x, [batch.size, ...inputShape]);
        batch.x.dispose();
        yield { x, y: batch.y, size: batch.size };
      }
    },
  };
}
