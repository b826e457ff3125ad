/**
 * Partial override: replay only chosen elements or keys of a recorded output and keep the rest
 * of the student's own output.
 */
import { DistillError, DistillTypeError, describeValue } from '../errors.js';
import { isPlainObject } from '../config/validate.js';

/** An array index or an object key of a delivered output. */
export type OverrideKey = string | number;

/**
 * Validates the `overrideKeys` option.
 *
 * @param keys - The option's value.
 * @param path - Its key path for messages.
 */
export function checkOverrideKeys(keys: unknown, path: string): readonly OverrideKey[] | undefined {
  if (keys === undefined) return undefined;
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected ${path} to be a non-empty array of indices or keys (e.g. [0] or ['imgs']), but got ${describeValue(keys)}.`,
    );
  }
  for (const key of keys as unknown[]) {
    const ok =
      (typeof key === 'number' && Number.isSafeInteger(key) && key >= 0) || typeof key === 'string';
    if (!ok) {
      throw new DistillTypeError(
        'INVALID_ARGUMENT',
        `Expected every entry of ${path} to be a non-negative integer index or a string key, but got ${describeValue(key)}.`,
      );
    }
  }
  return Object.freeze([...(keys as OverrideKey[])]);
}

function container(value: unknown): 'array' | 'object' | undefined {
  if (Array.isArray(value)) return 'array';
  if (isPlainObject(value)) return 'object';
  return undefined;
}

/**
 * Returns a copy of `own` (the student's output) with `keys` taken from `recorded`, and the
 * parts of `recorded` that were not used, so the caller can release them.
 *
 * @param recorded - The queued (teacher's) output.
 * @param own - The student's own output.
 * @param keys - Which indices or keys to take from `recorded`.
 * @param label - The delivery's target, for messages.
 */
export function mergeOverride(
  recorded: unknown,
  own: unknown,
  keys: readonly OverrideKey[],
  label: string,
): { merged: unknown; unused: unknown[] } {
  const kind = container(recorded);
  if (kind === undefined || container(own) !== kind) {
    throw new DistillError(
      'OVERRIDE_MISMATCH',
      `Partial override of ${label} needs the recorded and the new output to both be arrays or both plain objects, ` +
        `but got ${describeValue(recorded)} and ${describeValue(own)}. Remove overrideKeys to replay whole outputs.`,
    );
  }
  const source = recorded as Record<OverrideKey, unknown>;
  for (const key of keys) {
    if (!(key in source)) {
      throw new DistillError(
        'OVERRIDE_MISMATCH',
        `Partial override of ${label}: the recorded output has no ${typeof key === 'number' ? 'index' : 'key'} ${describeValue(key)} ` +
          `(it is ${describeValue(recorded)}). Fix overrideKeys.`,
      );
    }
  }
  const merged = (kind === 'array' ? [...(own as unknown[])] : { ...(own as object) }) as Record<
    OverrideKey,
    unknown
  >;
  const taken = new Set<string>(keys.map(String));
  const unused: unknown[] = [];
  for (const key of Object.keys(source)) {
    if (taken.has(key)) merged[key] = source[key];
    else unused.push(source[key]);
  }
  return { merged, unused };
}
