/**
 * Test helpers shared by the loss tests: run a loss leak-free and take its gradients.
 */
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import type { DistillLoss } from '../../src/losses/index.js';
import { assertTensorClose, expectNoLeaks } from '../helpers/tensors.js';

/** An input given as a tensor or as nested numbers (made into a float32 tensor). */
export type InputValue = tf.Tensor | number[] | number[][] | number[][][][];

function toTensors(inputs: Record<string, InputValue>): Record<string, tf.Tensor> {
  return Object.fromEntries(
    Object.entries(inputs).map(([k, v]) => [k, v instanceof tf.Tensor ? v : tf.tensor(v)]),
  );
}

/**
 * Asserts that `loss.forward(inputs)` is close to `expected`, that it leaks no tensor and that
 * it leaves its inputs alive. Disposes the inputs afterwards.
 */
export async function expectLoss(
  loss: DistillLoss,
  inputs: Record<string, InputValue>,
  expected: number | number[],
  tolerance = 1e-5,
): Promise<void> {
  const tensors = toTensors(inputs);
  try {
    await expectNoLeaks(() => {
      const out = loss.forward(tensors);
      try {
        assertTensorClose(out, expected, tolerance);
      } finally {
        out.dispose();
      }
    });
    for (const [name, t] of Object.entries(tensors)) {
      assert.equal(t.isDisposed, false, `input ${name} was disposed`);
    }
  } finally {
    tf.dispose(Object.values(tensors));
  }
}

/**
 * The gradients of `loss.forward(inputs)` with respect to the inputs named in `wrt`, as plain
 * arrays. Leak-free; disposes the inputs afterwards.
 */
export async function lossGradients(
  loss: DistillLoss,
  inputs: Record<string, InputValue>,
  wrt: readonly string[],
): Promise<Record<string, number[]>> {
  const tensors = toTensors(inputs);
  try {
    return await expectNoLeaks(() => {
      const f = (...xs: tf.Tensor[]): tf.Tensor => {
        const replaced = { ...tensors };
        wrt.forEach((name, i) => (replaced[name] = xs[i]!));
        return loss.forward(replaced);
      };
      const grads = tf.grads(f)(wrt.map((name) => tensors[name]!));
      const result = Object.fromEntries(wrt.map((name, i) => [name, [...grads[i]!.dataSync()]]));
      tf.dispose(grads);
      return result;
    });
  } finally {
    tf.dispose(Object.values(tensors));
  }
}

/** Asserts that every number in `values` is within `tolerance` of `expected`'s entry. */
export function assertClose(
  values: readonly number[],
  expected: readonly number[],
  tolerance = 1e-5,
): void {
  assert.equal(values.length, expected.length, `length ${values.length} != ${expected.length}`);
  values.forEach((v, i) =>
    assert.ok(Math.abs(v - expected[i]!) <= tolerance, `element ${i}: ${v} != ${expected[i]}`),
  );
}
