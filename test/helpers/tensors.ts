/**
 * Tensor discipline for tests: assert that a block of code leaves no tensor behind.
 */
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';

/**
 * Runs `fn` and asserts that `tf.memory().numTensors` is back to its starting value afterwards
 * (also when `fn` is async). Returns what `fn` returns.
 */
export async function expectNoLeaks<R>(fn: () => R | Promise<R>): Promise<R> {
  const before = tf.memory().numTensors;
  const result = await fn();
  const after = tf.memory().numTensors;
  assert.equal(after, before, `leaked ${after - before} tensor(s)`);
  return result;
}

/** Asserts two tensors have the same shape and values within `tolerance`. */
export function assertTensorClose(
  actual: tf.Tensor,
  expected: tf.Tensor | number[] | number,
  tolerance = 1e-5,
): void {
  const exp = expected instanceof tf.Tensor ? expected : tf.tensor(expected);
  try {
    assert.deepEqual(
      actual.shape,
      exp.shape,
      `shape ${JSON.stringify(actual.shape)} != ${JSON.stringify(exp.shape)}`,
    );
    const a = actual.dataSync();
    const e = exp.dataSync();
    for (let i = 0; i < a.length; i++) {
      assert.ok(
        Math.abs(a[i]! - e[i]!) <= tolerance,
        `element ${i}: ${a[i]} != ${e[i]} (tolerance ${tolerance})`,
      );
    }
  } finally {
    if (exp !== expected) exp.dispose();
  }
}
