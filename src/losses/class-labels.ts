/**
 * Checks of integer class labels given to a loss next to `[N, C]` logits.
 */
import type * as tf from '@tensorflow/tfjs';
import { DistillError, describeValue } from '../errors.js';
import { formatShape } from './loss-inputs.js';

/**
 * Throws unless `labels` is `[N]` and holds integers in `[0, numClasses)`.
 *
 * Reads the labels back with `dataSync()`: a label out of range would otherwise select no class
 * at all and silently produce a wrong loss. Labels are `N` numbers, so the read is cheap, though
 * on a GPU backend it waits for pending work.
 *
 * @param owner - The loss, for messages.
 * @param name - The input's name, for messages.
 * @throws `SHAPE_MISMATCH` for a wrong shape, `INVALID_ARGUMENT` for a non-integer,
 *   `INDEX_OUT_OF_RANGE` for a class index outside `[0, numClasses)`.
 */
export function assertClassLabels(
  owner: string,
  name: string,
  labels: tf.Tensor,
  batchSize: number,
  numClasses: number,
): void {
  if (labels.rank !== 1 || labels.shape[0] !== batchSize) {
    throw new DistillError(
      'SHAPE_MISMATCH',
      `${owner} expects input "${name}" to be class indices of shape [${batchSize}] (one per sample), but got shape ${formatShape(labels.shape)}.`,
    );
  }
  const values = labels.dataSync();
  for (let i = 0; i < values.length; i++) {
    const v = Number(values[i]);
    if (!Number.isInteger(v)) {
      throw new DistillError(
        'INVALID_ARGUMENT',
        `${owner} expects input "${name}" to hold integer class indices, but element ${i} is ${describeValue(v)}.`,
      );
    }
    if (v < 0 || v >= numClasses) {
      throw new DistillError(
        'INDEX_OUT_OF_RANGE',
        `${owner} expects input "${name}" to hold class indices in [0, ${numClasses - 1}], but element ${i} is ${v}.`,
      );
    }
  }
}
