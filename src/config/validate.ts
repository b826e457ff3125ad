/**
 * Small validators for options and config values. Each names the offending key path and value.
 */
import { DistillError, DistillTypeError, describeValue } from '../errors.js';

/** Is `value` a plain object (not null, not an array)? */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Reads an optional positive integer.
 *
 * @param value - The value given.
 * @param path - Its key path, for the message (e.g. `deliveries.mix.maxKeepData`).
 * @param fallback - Used when `value` is undefined.
 */
export function positiveInteger(value: unknown, path: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new DistillError(
      'INVALID_CONFIG',
      `Expected ${path} to be a positive integer, but got ${describeValue(value)}.`,
    );
  }
  return value;
}

/**
 * Throws a `TypeError` unless `options` is a (non-array) object.
 *
 * @param options - What the constructor received.
 * @param cls - The class taking the options, for the message.
 * @param example - An example of valid options, shown in the message.
 */
export function checkOptionsObject(options: unknown, cls: string, example?: string): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `new ${cls}(options) expects an options object${example ? ` such as ${example}` : ''}, but got ${describeValue(options)}.`,
    );
  }
}

/** Reads a required boolean. */
export function booleanValue(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected ${path} to be true or false, but got ${describeValue(value)}.`,
    );
  }
  return value;
}

/**
 * Throws if `config` has keys outside `allowed`, suggesting the closest allowed key.
 */
export function rejectUnknownKeys(
  config: Record<string, unknown>,
  allowed: readonly string[],
  path: string,
): void {
  for (const key of Object.keys(config)) {
    if (!allowed.includes(key)) {
      const near = closest(key, allowed);
      throw new DistillError(
        'INVALID_CONFIG',
        `Unknown key ${describeValue(key)} at ${path}; allowed keys are ${allowed.join(', ')}.` +
          (near ? ` Perhaps you meant ${describeValue(near)}?` : ''),
      );
    }
  }
}

/** The entry of `candidates` closest to `word` by edit distance, if reasonably close. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  // A truncated key ("maxKeep") is a likelier slip than the edit distance suggests.
  const prefixed = candidates.find(
    (c) =>
      lower.length >= 3 && (c.toLowerCase().startsWith(lower) || lower.startsWith(c.toLowerCase())),
  );
  if (prefixed !== undefined) return prefixed;
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        prev[j]! + 1,
        row[j - 1]! + 1,
        prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * Runs `fn`; a `DistillError` it throws is rethrown with ` (at <path>)` appended, same code and
 * class, the original kept as `cause`.
 */
export function atPath<R>(path: string, fn: () => R): R {
  try {
    return fn();
  } catch (error) {
    if (error instanceof DistillTypeError) {
      throw new DistillTypeError(error.code, `${error.message} (at ${path})`, { cause: error });
    }
    if (error instanceof DistillError) {
      throw new DistillError(error.code, `${error.message} (at ${path})`, { cause: error });
    }
    throw error;
  }
}
