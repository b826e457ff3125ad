/**
 * Validators for the numeric options of the data helpers; messages name the option and value.
 */
import { DistillTypeError, describeValue } from '../errors.js';

/**
 * Reads an optional limit on a number of examples: a non-negative integer, or undefined.
 *
 * @param value - The value given.
 * @param path - Its option name, for the message.
 */
export function optionalLimit(value: unknown, path: string): number | undefined {
  if (value === undefined) return undefined;
  return nonNegativeInteger(value, path);
}

/**
 * Reads a required non-negative integer.
 *
 * @param value - The value given.
 * @param path - Its option name, for the message.
 */
export function nonNegativeInteger(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected ${path} to be a non-negative integer, but got ${describeValue(value)}.`,
    );
  }
  return value;
}

/**
 * Reads a required positive integer.
 *
 * @param value - The value given.
 * @param path - Its option name, for the message.
 */
export function positiveInt(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected ${path} to be a positive integer, but got ${describeValue(value)}.`,
    );
  }
  return value;
}
