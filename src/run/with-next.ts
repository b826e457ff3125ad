/**
 * Pairs each batch with the one after it, so that a step can start work on the next batch
 * (a teacher in a worker runs one batch ahead).
 */
import * as tf from '@tensorflow/tfjs';
import type { StepBatch } from './training-setup.js';

/**
 * Yields `[batch, next]` for each batch of `source`, `next` being `undefined` for the last.
 * The consumer owns each `batch` as usual; a `next` it never reaches (the loop stopped early or
 * threw) is disposed here, and the source is closed.
 */
export async function* withNext<T extends StepBatch>(
  source: AsyncIterable<T>,
): AsyncGenerator<[T, T | undefined]> {
  const it = source[Symbol.asyncIterator]();
  let current = await it.next();
  let upcoming: IteratorResult<T> | undefined;
  try {
    while (!current.done) {
      upcoming = await it.next();
      yield [current.value, upcoming.done ? undefined : upcoming.value];
      current = upcoming;
      upcoming = undefined;
    }
  } finally {
    if (upcoming !== undefined && !upcoming.done) tf.dispose([upcoming.value.x, upcoming.value.y]);
    await it.return?.();
  }
}
