/**
 * One pass over a user's stream of batches, whatever its kind: a `tf.data.Dataset`, a function
 * returning a fresh iterable, or an (async) iterable — which, if it is its own iterator (as a
 * generator is), can be read only once.
 */
import type * as tf from '@tensorflow/tfjs';
import { DistillError, DistillTypeError, describeValue } from '../../errors.js';
import type { UserBatch } from './user-batch.js';

/** Something that yields batches once per pass. */
export type BatchIterable = AsyncIterable<UserBatch> | Iterable<UserBatch>;

/**
 * A user's batches: an (async) iterable, a function returning a fresh one for every epoch, or a
 * `tf.data.Dataset` of `{ xs, ys }` (batched, or single examples when `inputShape` is given).
 */
export type BatchStream =
  BatchIterable | (() => BatchIterable) | tf.data.Dataset<tf.TensorContainer>;

/** One open pass. */
export interface StreamPass {
  /** The next element, or undefined at the end. */
  next(): Promise<unknown>;
  /** Ends the pass early or after the end (calls the iterator's `return`). */
  close(): Promise<void>;
  /** Whether the consumer owns the tensors (tf.data: always). */
  readonly ownsTensors: boolean;
}

/** Opens passes over a stream. */
export interface OpenableStream {
  open(): Promise<StreamPass>;
  /** True once a pass showed the stream to be its own iterator (readable once). */
  readonly oneShot: boolean;
}

interface DatasetLike {
  iterator(): Promise<{ next(): Promise<IteratorResult<unknown>> }>;
}

function isDataset(value: unknown): value is DatasetLike {
  const v = value as { iterator?: unknown; batch?: unknown } | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.iterator === 'function' &&
    typeof v.batch === 'function'
  );
}

function iteratorOf(value: unknown): AsyncIterator<unknown> | Iterator<unknown> | undefined {
  const v = value as { [Symbol.asyncIterator]?: unknown; [Symbol.iterator]?: unknown } | null;
  if (typeof v !== 'object' || v === null) return undefined;
  if (typeof v[Symbol.asyncIterator] === 'function') {
    return (v[Symbol.asyncIterator] as () => AsyncIterator<unknown>)();
  }
  if (typeof v[Symbol.iterator] === 'function')
    return (v[Symbol.iterator] as () => Iterator<unknown>)();
  return undefined;
}

/**
 * Classifies `stream` and returns a way to open passes over it.
 *
 * @param stream - What the user gave.
 * @param name - The split, for messages.
 */
export function openStream(stream: BatchStream, name: string): OpenableStream {
  if (isDataset(stream)) {
    return {
      oneShot: false,
      open: async () => {
        const it = await stream.iterator();
        return {
          next: async () => {
            const r = await it.next();
            return r.done ? undefined : r.value;
          },
          // A tf.data iterator has no return(); dropping it frees its state.
          close: () => Promise.resolve(),
          ownsTensors: true,
        };
      },
    };
  }
  const isFunction = typeof stream === 'function';
  if (!isFunction && iteratorOf(stream) === undefined) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected ${name} to be an async iterable of { xs, ys }, a function returning one, or a tf.data.Dataset, but got ${describeValue(stream)}.`,
    );
  }
  let oneShot = false;
  let used = false;
  return {
    get oneShot() {
      return oneShot;
    },
    open: () => {
      if (used && oneShot) {
        throw new DistillError(
          'INVALID_ARGUMENT',
          `The ${name} loader is an iterable that was already read (an async generator can be read only once); give a function returning a fresh iterable for every epoch, e.g. ${name}: () => loadBatches().`,
        );
      }
      const iterable = isFunction ? (stream as () => BatchIterable)() : stream;
      const it = iteratorOf(iterable);
      if (it === undefined) {
        throw new DistillTypeError(
          'INVALID_ARGUMENT',
          `The ${name} function returned ${describeValue(iterable)}, but it must return an (async) iterable of { xs, ys }.`,
        );
      }
      used = true;
      oneShot = !isFunction && (it as unknown) === iterable;
      let finished = false;
      return Promise.resolve({
        next: async () => {
          const r = await it.next();
          if (r.done) finished = true;
          return r.done ? undefined : r.value;
        },
        close: async () => {
          if (!finished) await it.return?.();
        },
        ownsTensors: false,
      });
    },
  };
}
