/**
 * Saving and restoring an optimizer's state (Adam's moments, the step count, ...) through
 * `optimizer.getWeights()` / `setWeights()`, so a resumed run continues where it stopped.
 */
import * as tf from '@tensorflow/tfjs';
import { DistillError } from '../errors.js';
import { manifestByteLength } from './model-files.js';
import { decodeTensorsInOrder, type NamedTensor } from './tensor-bytes.js';

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
 * `model.trainableWeights`) after restoring; pass that list as `variables` to have the state
 * checked against it first.
 *
 * @param optimizer - A fresh optimizer of class `state.className`.
 * @param state - The saved state.
 * @param source - Where the state came from, for messages.
 * @param variables - The variables the optimizer will update, in `minimize` order. When given,
 *   the saved per-variable state must have their shapes, position by position.
 * @throws DistillError `INVALID_ARGUMENT` (wrong class, optimizer already used),
 *   `SHAPE_MISMATCH` (the state does not fit `variables`) or `DATA_CORRUPT` (bytes do not
 *   match the specs).
 */
export async function restoreOptimizerState(
  optimizer: tf.Optimizer,
  state: EncodedOptimizerState,
  source: string,
  variables?: readonly tf.Variable[],
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
  if (variables !== undefined) checkFitsVariables(state, variables, source);
  const tensors = decodeTensorsInOrder(state.specs, state.data);
  try {
    await optimizer.setWeights(tensors);
  } finally {
    // setWeights wraps the values in new variables that hold their own reference to the data.
    for (const { tensor } of tensors) tensor.dispose();
  }
}

const ITERATIONS = 'iter';

/**
 * Checks that the saved state lines up with `variables`. Every built-in tfjs optimizer saves
 * the step count (`iter`) and then one or more groups of tensors with one tensor per variable,
 * in variable order (Adam: first moments, then second moments). tfjs would apply a misaligned
 * state silently or fail deep inside a step, so a changed model or connector is caught here.
 */
function checkFitsVariables(
  state: EncodedOptimizerState,
  variables: readonly tf.Variable[],
  source: string,
): void {
  const specs = state.specs[0]?.name === ITERATIONS ? state.specs.slice(1) : state.specs;
  if (specs.length === 0) return;
  const n = variables.length;
  const shape = (s: readonly number[]): string => `[${s.join(', ')}]`;
  let problem: string | undefined;
  if (n === 0 || specs.length % n !== 0) {
    problem = `its ${specs.length} per-variable tensors cannot belong to the ${n} variables being trained`;
  } else {
    const index = specs.findIndex(
      (spec, i) => shape(spec.shape) !== shape(variables[i % n]!.shape),
    );
    if (index >= 0) {
      problem = `its tensor for variable ${index % n} of ${n} has shape ${shape(specs[index]!.shape)}, but that variable has shape ${shape(variables[index % n]!.shape)}`;
    }
  }
  if (problem !== undefined) {
    throw new DistillError(
      'SHAPE_MISMATCH',
      `${source} does not fit the variables being trained: ${problem}. ${state.className} matches its state to variables by position, so the model or the connectors changed since it was saved; train the variables it was saved with, or start the optimizer fresh.`,
    );
  }
}
