/**
 * Assertions shared by the augment tests.
 */
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { DistillError, type DistillErrorCode } from '../../src/errors.js';
import { assertTensorClose } from '../helpers/tensors.js';

/** Nested arrays of numbers, as written for expected tensor values. */
export type Nested = number | Nested[];

/**
 * Asserts that `fn` throws a `DistillError` whose `code` is `code` and whose message matches
 * every pattern (typically the offending value and the key that holds it).
 */
export function assertDistillError(
  fn: () => unknown,
  code: DistillErrorCode,
  ...patterns: RegExp[]
): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof DistillError, `not a DistillError: ${String(error)}`);
    assert.equal(error.code, code, `code of: ${error.message}`);
    for (const pattern of patterns) {
      assert.match(error.message, pattern);
    }
    return true;
  });
}

/** {@link assertTensorClose} against nested arrays or a tensor, leaving no tensor behind. */
export function assertCloseTo(
  actual: tf.Tensor,
  expected: Nested | tf.Tensor,
  tolerance = 1e-5,
): void {
  if (expected instanceof tf.Tensor) {
    assertTensorClose(actual, expected, tolerance);
    return;
  }
  const tensor = tf.tensor(expected);
  try {
    assertTensorClose(actual, tensor, tolerance);
  } finally {
    tensor.dispose();
  }
}
