/**
 * Seeded, stratified splits of row ids and the ordering of class labels, shared by the file
 * sources (CSV, NPY).
 */
import { DistillTypeError, describeValue } from '../../errors.js';
import { createRng, deriveSeed, normalizeSeed, shuffleInPlace } from '../random.js';

/** Purpose tags, so the test and validation splits drawn with one seed are unrelated. */
export const TEST_STREAM = 11;
/** See {@link TEST_STREAM}. */
export const VALIDATION_STREAM = 12;

/**
 * Reads an optional fraction in `[0, 1)`.
 *
 * @param value - The value given.
 * @param path - Its option name, for the message.
 * @param fallback - The default.
 */
export function checkFraction(value: unknown, path: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected ${path} to be a fraction in [0, 1) such as 0.2, but got ${describeValue(value)}.`,
    );
  }
  return value;
}

/** The two parts of {@link stratifiedSplit}, each in ascending row order. */
export interface RowSplit {
  /** Rows kept. */
  readonly kept: Uint32Array;
  /** Rows held out. */
  readonly held: Uint32Array;
}

/**
 * Holds out about `fraction` of `rows` at random, the same fraction of every class (rounded per
 * class), reproducibly from `(seed, stream)`.
 *
 * @param rows - Row ids to split.
 * @param labels - Class index of every row id.
 * @param fraction - Share to hold out, in `[0, 1)`.
 * @param seed - Seed of the choice.
 * @param stream - Purpose tag ({@link TEST_STREAM}, {@link VALIDATION_STREAM}).
 */
export function stratifiedSplit(
  rows: Uint32Array,
  labels: ArrayLike<number>,
  fraction: number,
  seed: number,
  stream: number,
): RowSplit {
  const rng = createRng(deriveSeed(normalizeSeed(seed), stream));
  const byClass = new Map<number, number[]>();
  for (const row of rows) {
    const label = labels[row]!;
    const list = byClass.get(label);
    if (list) list.push(row);
    else byClass.set(label, [row]);
  }
  const held: number[] = [];
  const kept: number[] = [];
  // Classes in label order, so the draw does not depend on which class the file starts with.
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    const list = shuffleInPlace(byClass.get(label)!, rng);
    const n = Math.round(fraction * list.length);
    held.push(...list.slice(0, n));
    kept.push(...list.slice(n));
  }
  return {
    kept: Uint32Array.from(kept).sort(),
    held: Uint32Array.from(held).sort(),
  };
}

const INTEGER = /^[+-]?\d+$/;

/**
 * Orders distinct class labels: integers numerically (`2` before `10`), anything else by name.
 *
 * @param labels - Distinct labels as they appear in the data.
 */
export function orderClasses(labels: Iterable<string>): string[] {
  const list = [...labels];
  if (list.every((l) => INTEGER.test(l))) return list.sort((a, b) => Number(a) - Number(b));
  return list.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
