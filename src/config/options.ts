/**
 * Validators for the options objects of losses and connectors. Each error names the option and
 * the value given, e.g. "Expected tau to be a positive number, but got -1.".
 */
import { DistillError, DistillTypeError, describeValue } from '../errors.js';
import { closest, isPlainObject, rejectUnknownKeys } from './validate.js';

/**
 * Checks that `options` is undefined or a plain object with only `allowed` keys.
 *
 * @param options - What the caller passed.
 * @param allowed - The option names the owner accepts.
 * @param owner - Who takes the options, for messages (e.g. `"KLDivergence options"`).
 * @returns The options as a record (`{}` for undefined).
 * @throws `INVALID_CONFIG` for a non-object or an unknown key.
 */
export function readOptions(
  options: unknown,
  allowed: readonly string[],
  owner: string,
): Readonly<Record<string, unknown>> {
  if (options === undefined) return {};
  if (!isPlainObject(options)) {
    throw new DistillTypeError(
      'INVALID_CONFIG',
      `Expected ${owner} to be an object, but got ${describeValue(options)}.`,
    );
  }
  rejectUnknownKeys(options, allowed, owner);
  return options;
}

function expectNumber(value: unknown, key: string, what: string): number {
  if (typeof value !== 'number') {
    throw new DistillTypeError(
      'INVALID_CONFIG',
      `Expected ${key} to be ${what}, but got ${describeValue(value)}.`,
    );
  }
  return value;
}

/** Reads an optional finite number greater than zero (e.g. a temperature). */
export function positiveNumber(value: unknown, key: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = expectNumber(value, key, 'a positive number');
  if (!Number.isFinite(n) || n <= 0) {
    throw new DistillError(
      'INVALID_CONFIG',
      `Expected ${key} to be a positive number, but got ${describeValue(n)}.`,
    );
  }
  return n;
}

/** Reads an optional finite number that is zero or more (e.g. a loss weight). */
export function nonNegativeNumber(value: unknown, key: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = expectNumber(value, key, 'a non-negative number');
  if (!Number.isFinite(n) || n < 0) {
    throw new DistillError(
      'INVALID_CONFIG',
      `Expected ${key} to be a non-negative number, but got ${describeValue(n)}.`,
    );
  }
  return n;
}

/** Reads an optional positive safe integer (e.g. a channel count); `undefined` stays undefined. */
export function optionalPositiveInteger(value: unknown, key: string): number | undefined {
  if (value === undefined) return undefined;
  const n = expectNumber(value, key, 'a positive integer');
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new DistillError(
      'INVALID_CONFIG',
      `Expected ${key} to be a positive integer, but got ${describeValue(n)}.`,
    );
  }
  return n;
}

/** Reads a required positive safe integer. */
export function requiredPositiveInteger(value: unknown, key: string): number {
  if (value === undefined) {
    throw new DistillError(
      'INVALID_CONFIG',
      `Expected ${key} to be a positive integer, but it is missing.`,
    );
  }
  return optionalPositiveInteger(value, key)!;
}

/** Reads an optional integer seed (any safe integer). */
export function optionalSeed(value: unknown, key: string): number | undefined {
  if (value === undefined) return undefined;
  const n = expectNumber(value, key, 'an integer');
  if (!Number.isSafeInteger(n)) {
    throw new DistillError(
      'INVALID_CONFIG',
      `Expected ${key} to be an integer, but got ${describeValue(n)}.`,
    );
  }
  return n;
}

/** Reads an optional boolean. */
export function optionalBoolean(value: unknown, key: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new DistillTypeError(
      'INVALID_CONFIG',
      `Expected ${key} to be true or false, but got ${describeValue(value)}.`,
    );
  }
  return value;
}

/**
 * Reads an optional string that must be one of `allowed`.
 *
 * @throws `INVALID_CONFIG` naming the key, the value and every allowed value.
 */
export function oneOf<const T extends string>(
  value: unknown,
  key: string,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new DistillError(
      'INVALID_CONFIG',
      `Expected ${key} to be one of ${allowed.map((a) => `"${a}"`).join(', ')}, but got ${describeValue(value)}.`,
    );
  }
  return value as T;
}

/** Reads a required finite number greater than zero (e.g. a learning rate with no default). */
export function requiredPositiveNumber(value: unknown, key: string): number {
  if (value === undefined) {
    throw new DistillError(
      'INVALID_CONFIG',
      `Expected ${key} to be a positive number, but it is missing.`,
    );
  }
  return positiveNumber(value, key, Number.NaN);
}

/** Reads an optional number in `[0, 1)` (e.g. a momentum or a decay factor). */
export function fractionBelowOne(value: unknown, key: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = expectNumber(value, key, 'a number in [0, 1)');
  if (!(n >= 0 && n < 1)) {
    throw new DistillError(
      'INVALID_CONFIG',
      `Expected ${key} to be a number in [0, 1), but got ${describeValue(n)}.`,
    );
  }
  return n;
}

/**
 * Reads the required `type` of a config object that has several kinds.
 *
 * @param value - The value of the `type` key.
 * @param key - Its key path (e.g. `optimizer.type`).
 * @param allowed - The known kinds.
 * @throws `INVALID_CONFIG` naming the key, the value and every kind (and the closest one).
 */
export function requiredKind<const T extends string>(
  value: unknown,
  key: string,
  allowed: readonly T[],
): T {
  if (value === undefined) {
    throw new DistillError(
      'INVALID_CONFIG',
      `Expected ${key} to be one of ${allowed.map((a) => `"${a}"`).join(', ')}, but it is missing.`,
    );
  }
  if (typeof value === 'string' && !(allowed as readonly string[]).includes(value)) {
    const near = closest(value, allowed);
    if (near !== undefined) {
      throw new DistillError(
        'INVALID_CONFIG',
        `Expected ${key} to be one of ${allowed.map((a) => `"${a}"`).join(', ')}, but got ${describeValue(value)}. Perhaps you meant "${near}"?`,
      );
    }
  }
  return oneOf(value, key, allowed, allowed[0]!);
}
