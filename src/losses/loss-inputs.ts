/**
 * Checks of what a loss's `forward` receives: the named tensors and their shapes.
 */
import * as tf from '@tensorflow/tfjs';
import { DistillError, DistillTypeError, describeValue } from '../errors.js';
import { closest } from '../config/validate.js';

/** Renders a shape for messages, e.g. `[2, 3]`. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/**
 * Picks the tensors `names` from `inputs`, checking that each is a live tensor and that no
 * other name was passed (an extra name usually is a misspelt one).
 *
 * @param inputs - What the caller passed to `forward`.
 * @param names - The input names the loss requires.
 * @param owner - The loss, for messages (e.g. `"KLDivergence"`).
 * @throws `MISSING_INPUT` for a missing name, `INVALID_ARGUMENT` for an extra name or a
 *   non-tensor, `DISPOSED_TENSOR` for a disposed tensor.
 */
export function readInputs<const K extends string>(
  inputs: unknown,
  names: readonly K[],
  owner: string,
): Record<K, tf.Tensor> {
  if (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs)) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `${owner}.forward expects an object of named tensors (${names.join(', ')}), but got ${describeValue(inputs)}.`,
    );
  }
  const given = inputs as Record<string, unknown>;
  const givenNames = Object.keys(given);
  const picked = {} as Record<K, tf.Tensor>;
  for (const name of names) {
    const value = given[name];
    if (value === undefined) {
      const near = closest(
        name,
        givenNames.filter((g) => !(names as readonly string[]).includes(g)),
      );
      throw new DistillError(
        'MISSING_INPUT',
        `${owner}.forward is missing input "${name}"; it needs ${names.join(', ')} and got ${givenNames.join(', ') || 'none'}.` +
          (near ? ` Perhaps "${near}" was meant to be "${name}"?` : ''),
      );
    }
    if (!(value instanceof tf.Tensor)) {
      throw new DistillTypeError(
        'INVALID_ARGUMENT',
        `${owner}.forward expects input "${name}" to be a tf.Tensor, but got ${describeValue(value)}.`,
      );
    }
    if (value.isDisposed) {
      throw new DistillError(
        'DISPOSED_TENSOR',
        `${owner}.forward got a disposed tensor as input "${name}"; keep it alive (tf.keep or outside tf.tidy) until the loss is computed.`,
      );
    }
    picked[name] = value;
  }
  for (const name of givenNames) {
    if (!(names as readonly string[]).includes(name)) {
      throw new DistillError(
        'INVALID_ARGUMENT',
        `${owner}.forward got unknown input "${name}"; it takes exactly ${names.join(', ')}.`,
      );
    }
  }
  return picked;
}

/**
 * Throws unless `tensor` has rank `rank`.
 *
 * @param layout - The expected layout, for the message (e.g. `"[N, C] logits"`).
 * @throws `SHAPE_MISMATCH`.
 */
export function assertRank(
  owner: string,
  name: string,
  tensor: tf.Tensor,
  rank: number,
  layout: string,
): void {
  if (tensor.rank !== rank) {
    throw new DistillError(
      'SHAPE_MISMATCH',
      `${owner} expects input "${name}" to be ${layout} (rank ${rank}), but got shape ${formatShape(tensor.shape)}.`,
    );
  }
}

/**
 * Throws unless `tensor` has a batch axis and at least one more, i.e. rank 2 or more.
 *
 * @throws `SHAPE_MISMATCH`.
 */
export function assertBatched(owner: string, name: string, tensor: tf.Tensor): void {
  if (tensor.rank < 2) {
    throw new DistillError(
      'SHAPE_MISMATCH',
      `${owner} expects input "${name}" to be batched features [N, ...] (rank 2 or more), but got shape ${formatShape(tensor.shape)}.`,
    );
  }
}

/**
 * Throws unless `a` and `b` have the same shape.
 *
 * @throws `SHAPE_MISMATCH` naming both inputs and shapes.
 */
export function assertSameShape(
  owner: string,
  aName: string,
  a: tf.Tensor,
  bName: string,
  b: tf.Tensor,
): void {
  const same = a.rank === b.rank && a.shape.every((d, i) => d === b.shape[i]);
  if (!same) {
    throw new DistillError(
      'SHAPE_MISMATCH',
      `${owner} needs inputs "${aName}" and "${bName}" of the same shape, but got ${formatShape(a.shape)} and ${formatShape(b.shape)}.`,
    );
  }
}
