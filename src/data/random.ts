/**
 * A small seeded pseudo-random generator for reproducible shuffles and subsets.
 *
 * `Math.random()` cannot be seeded, and tfjs' own seeded ops produce tensors, which is wasteful
 * for shuffling indices. The generator here is mulberry32: 32 bits of state, fast, and good
 * enough for shuffling datasets (it is not meant for cryptography).
 */
import { DistillTypeError, describeValue } from '../errors.js';

/** A seeded source of uniform random numbers. */
export interface Rng {
  /** The next number, uniform in `[0, 1)`. */
  next(): number;
  /** The next integer, uniform in `[0, n)`; `n` must be a positive integer below 2^32. */
  nextInt(n: number): number;
}

/**
 * Checks that `seed` is an integer and reduces it to 32 bits.
 *
 * @param seed - The seed a user gave.
 * @param path - Its option name, for the message.
 */
export function normalizeSeed(seed: unknown, path = 'seed'): number {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected ${path} to be an integer, but got ${describeValue(seed)}.`,
    );
  }
  // Keep the low 32 bits; negative seeds map to distinct unsigned values.
  return seed >>> 0;
}

/**
 * Creates a mulberry32 generator.
 *
 * @param seed - Any safe integer; equal seeds give equal sequences.
 *
 * @example
 * ```ts
 * const rng = createRng(42);
 * rng.next(); // same value on every run
 * ```
 */
export function createRng(seed: number): Rng {
  let state = normalizeSeed(seed);
  const next = (): number => {
    // Advance by a fixed odd constant (a Weyl sequence), then scramble the state.
    state = (state + 0x6d2b79f5) | 0;
    let z = Math.imul(state ^ (state >>> 15), state | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    nextInt: (n) => Math.floor(next() * n),
  };
}

/**
 * Combines a seed with further integers (an epoch, a purpose tag) into a new 32-bit seed, so
 * that related streams (epoch 0, epoch 1, ...) are unrelated to each other.
 *
 * @param seed - The base seed.
 * @param parts - Integers to mix in, in order.
 */
export function deriveSeed(seed: number, ...parts: number[]): number {
  let h = normalizeSeed(seed) ^ 0x9e3779b9;
  for (const part of parts) {
    h = fmix32(h ^ Math.imul(normalizeSeed(part, 'seed part'), 0x85ebca6b));
  }
  return fmix32(h);
}

/** The final avalanche step of MurmurHash3: every input bit affects every output bit. */
function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Shuffles `array` in place (Fisher-Yates) and returns it.
 *
 * @param array - Any mutable array-like of numbers or values.
 * @param rng - The generator to draw from.
 */
export function shuffleInPlace<T extends { length: number; [index: number]: unknown }>(
  array: T,
  rng: Rng,
): T {
  for (let i = array.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const tmp = array[i];
    array[i] = array[j];
    array[j] = tmp;
  }
  return array;
}

/**
 * A random permutation of `0 .. n-1`.
 *
 * @param n - Its length.
 * @param rng - The generator to draw from.
 */
export function permutation(n: number, rng: Rng): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return shuffleInPlace(order, rng);
}
