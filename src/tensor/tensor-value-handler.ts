/**
 * Keeps tensors held by deliveries and recorders alive across `tf.tidy` scopes, and gives each
 * caller a value with the lifetime of a freshly computed one.
 */
import * as tf from '@tensorflow/tfjs';
import { DistillError } from '../errors.js';
import type { QueuedValueHandler } from '../queued-values.js';
import { forEachTensor, mapTensors } from './nested.js';

function assertAlive(t: tf.Tensor): void {
  if (t.isDisposed) {
    throw new DistillError(
      'DISPOSED_TENSOR',
      `A queued tensor (shape [${t.shape.join(', ')}], dtype ${t.dtype}) was disposed while it waited in a queue or buffer. ` +
        "Do not dispose what getRecordData() returns or what a recorder's dataBuffer holds; they stay owned by the recorder until its reset(). Clone a value to keep or dispose it yourself.",
    );
  }
}

/**
 * The tfjs-aware {@link QueuedValueHandler}:
 * - `keep`: a kept clone of every tensor (clones share data, so this copies nothing), which
 *   survives the `tf.tidy` the value was computed in;
 * - `take`: a fresh clone made in the caller's scope (so the caller's `tf.tidy` owns it), and
 *   the stored clone is disposed;
 * - `peek`: the stored value itself (valid until released);
 * - `release`: disposes the stored clones;
 * - `discard`: disposes the replaced parts of a caller's own output, sparing its arguments.
 */
export const tensorValueHandler: QueuedValueHandler = {
  keep: (value) => mapTensors(value, (t) => tf.keep(t.clone())),
  take(stored) {
    forEachTensor(stored, assertAlive);
    const fresh = mapTensors(stored, (t) => t.clone());
    forEachTensor(stored, (t) => t.dispose());
    return fresh;
  },
  peek(stored) {
    forEachTensor(stored, assertAlive);
    return stored;
  },
  release: (stored) => forEachTensor(stored, (t) => t.dispose()),
  discard(value, spare) {
    const spared = new Set<tf.Tensor>();
    forEachTensor(spare, (t) => spared.add(t));
    forEachTensor(value, (t) => {
      if (!spared.has(t)) t.dispose();
    });
  },
};
