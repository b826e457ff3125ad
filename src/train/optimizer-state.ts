/**
 * Saving and restoring an optimizer's state (Adam's moments, the step count, ...) through
 * `optimizer.getWeights()` / `setWeights()`, so a resumed run continues where it stopped.
 */
import * as tf from '@tensorflow/tfjs';
import { DistillError } from '../errors.js';
import { manifestByteLength } from './model-files.js';

/** One named tensor of an optimizer's state, as `getWeights()` returns it. */
type NamedTensor = Awaited<ReturnType<tf.Optimizer['getWeights']>>[number];

/** An optimizer's state as bytes plus the manifest that describes them. */
export interface EncodedOptimizerState {
  /** The optimizer's class name, e.g. `'Adam'`. */
  readonly className: string;
  /** One entry per state tensor, in `getWeights()` order. */
  readonly specs: tf.io.WeightsManifestEntry[];
  /** The tensors' values, concatenated in `specs` order. */
  readonly data: Uint8Array;
}

async function stateOf(optimizer: tf.Optimizer, action: string): Promise<NamedTensor[]> {
  try {
    return await optimizer.getWeights();
  } catch (error) {
    throw new DistillError(
      'INVALID_ARGUMENT',
      `Cannot ${action} the state of optimizer ${optimizer.getClassName()}: it does not implement getWeights() in tfjs. ` +
        'Checkpoint without { optimizer } and let it start fresh on resume.',
      { cause: error },
    );
  }
}

/** getWeights() returns the optimizer's own variables plus fresh tensors (the step count). */
function disposeFresh(state: readonly NamedTensor[]): void {
  for (const { tensor } of state) if (!(tensor instanceof tf.Variable)) tensor.dispose();
}

/**
 * Encodes an optimizer's current state.
 *
 * @param optimizer - Any tfjs optimizer that implements `getWeights()` (all built-in ones do).
 */
export async function encodeOptimizerState(
  optimizer: tf.Optimizer,
): Promise<EncodedOptimizerState> {
  const state = await stateOf(optimizer, 'save');
  try {
    const { data, specs } = await tf.io.encodeWeights(state, 'optimizer');
    return { className: optimizer.getClassName(), specs, data: new Uint8Array(data) };
  } finally {
    disposeFresh(state);
  }
}

/**
 * Restores a state saved by {@link encodeOptimizerState} into a newly created optimizer of the
 * same class.
 *
 * The optimizer must not have taken a step yet: tfjs' `setWeights` replaces the optimizer's
 * variables without disposing the old ones. Adam and friends match their state to variables by
 * position, so train the same model with the same variable order (e.g.
 * `model.trainableWeights`) after restoring.
 *
 * @param optimizer - A fresh optimizer of class `state.className`.
 * @param state - The saved state.
 * @param source - Where the state came from, for messages.
 * @throws DistillError `INVALID_ARGUMENT` (wrong class, optimizer already used) or
 *   `DATA_CORRUPT` (bytes do not match the specs).
 */
export async function restoreOptimizerState(
  optimizer: tf.Optimizer,
  state: EncodedOptimizerState,
  source: string,
): Promise<void> {
  if (optimizer.getClassName() !== state.className) {
    throw new DistillError(
      'INVALID_ARGUMENT',
      `${source} holds the state of a ${state.className} optimizer, but the optimizer given is ${optimizer.getClassName()}; create a ${state.className} optimizer to resume.`,
    );
  }
  const current = await stateOf(optimizer, 'restore');
  disposeFresh(current);
  if (current.length > 1) {
    throw new DistillError(
      'INVALID_ARGUMENT',
      `Cannot restore ${source} into an optimizer that already holds state (${current.length} tensors); pass a newly created ${state.className} optimizer.`,
    );
  }
  const expected = manifestByteLength(state.specs);
  if (expected !== state.data.length) {
    throw new DistillError(
      'DATA_CORRUPT',
      `${source} is truncated or corrupt: expected ${expected ?? 'a fixed number of'} bytes for ${state.specs.length} optimizer tensors, got ${state.data.length}. Start the optimizer fresh or use another checkpoint.`,
    );
  }
  const tensors = decodeInOrder(state);
  try {
    await optimizer.setWeights(tensors);
  } finally {
    // setWeights wraps the values in new variables that hold their own reference to the data.
    for (const { tensor } of tensors) tensor.dispose();
  }
}

/** Decodes each tensor from its own byte range, so duplicate names cannot collide in a map. */
function decodeInOrder(state: EncodedOptimizerState): NamedTensor[] {
  const out: NamedTensor[] = [];
  let offset = 0;
  try {
    for (const spec of state.specs) {
      const length = manifestByteLength([spec])!;
      const bytes = state.data.slice(offset, offset + length).buffer;
      offset += length;
      const decoded = tf.io.decodeWeights(bytes, [spec]);
      out.push({ name: spec.name, tensor: decoded[spec.name]! });
    }
  } catch (error) {
    for (const { tensor } of out) tensor.dispose();
    throw error;
  }
  return out;
}
