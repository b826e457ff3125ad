/**
 * Validators and shared types for the model-zoo options; messages name the option and value.
 */
import * as tf from '@tensorflow/tfjs';
import { DistillTypeError, describeValue } from '../errors.js';

/** Name of a tfjs activation function, e.g. `'relu'` or `'tanh'`. */
export type ModelActivation = NonNullable<Parameters<typeof tf.layers.dense>[0]['activation']>;

/**
 * Reads a positive integer option.
 *
 * @param value - The value given.
 * @param path - Its option name, for the message.
 */
export function positiveUnits(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected ${path} to be a positive integer, but got ${describeValue(value)}.`,
    );
  }
  return value;
}

/**
 * Reads an optional dropout rate in `[0, 1)`; 0 or undefined means no dropout layer.
 *
 * @param value - The value given.
 * @param path - Its option name, for the message.
 */
export function dropoutRate(value: unknown, path: string): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected ${path} to be a rate in [0, 1), but got ${describeValue(value)}.`,
    );
  }
  return value;
}

/**
 * Reads an optional integer seed.
 *
 * @param value - The value given.
 */
export function optionalSeed(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected seed to be an integer, but got ${describeValue(value)}.`,
    );
  }
  return value;
}

/**
 * Reads an optional string option (a name or prefix).
 *
 * @param value - The value given.
 * @param path - Its option name, for the message.
 * @param fallback - Used when `value` is undefined.
 */
export function stringOption(value: unknown, path: string, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string') {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected ${path} to be a string, but got ${describeValue(value)}.`,
    );
  }
  return value;
}

/**
 * The kernel initializer of one layer: seeded and distinct per layer when `seed` is given,
 * tfjs' default (Glorot uniform, unseeded) otherwise.
 *
 * Layer `i` gets `seed + i`: tfjs hashes the seed's text, so neighbouring seeds give unrelated
 * streams, and two layers of equal shape still start from different weights.
 *
 * @param seed - The model's seed, or undefined.
 * @param layerIndex - Position of the layer among the model's weighted layers.
 */
export function kernelInitializer(
  seed: number | undefined,
  layerIndex: number,
): ReturnType<typeof tf.initializers.glorotUniform> | undefined {
  return seed === undefined
    ? undefined
    : tf.initializers.glorotUniform({ seed: seed + layerIndex });
}
