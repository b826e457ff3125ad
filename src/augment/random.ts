/**
 * A small seeded pseudo-random number generator for reproducible augmentation.
 *
 * The core is sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, 128 bits of state):
 * fast in plain 32-bit JavaScript arithmetic and good enough for sampling mixing coefficients
 * and permutations. Its state is filled from the seed by a splitmix-style hash so that nearby
 * seeds (0, 1, 2, ...) give unrelated streams.
 */
import { DistillError, describeValue } from '../errors.js';

const TWO_POW_32 = 4294967296;

/** A finalising hash (murmur3's fmix32) over a Weyl sequence: one well-mixed word per call. */
function splitmix32(state: { value: number }): number {
  state.value = (state.value + 0x9e3779b9) | 0;
  let z = state.value;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * Checks a user-given seed and returns it.
 *
 * @param value - The seed given.
 * @param path - Its key path, for the message.
 * @throws `INVALID_CONFIG` unless `value` is a safe integer.
 */
export function checkSeed(value: unknown, path = 'seed'): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new DistillError(
      'INVALID_CONFIG',
      `Expected ${path} to be an integer (a safe integer such as 42), but got ${describeValue(value)}.`,
    );
  }
  return value;
}

/** A seed drawn from `Math.random`, for generators built without one. */
export function randomSeed(): number {
  return Math.floor(Math.random() * TWO_POW_32);
}

/**
 * A seeded stream of random numbers: uniform, integer, normal, gamma and beta variates and
 * permutations. Two generators built with the same seed produce the same stream.
 *
 * @example
 * ```ts
 * const random = new SeededRandom(42);
 * const lambda = random.beta(0.2, 0.2);
 * const perm = random.permutation(8);
 * ```
 */
export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /**
   * @param seed - Any safe integer; omitted, a seed is drawn from `Math.random`.
   * @throws `INVALID_CONFIG` if `seed` is not a safe integer.
   */
  constructor(seed: number = randomSeed()) {
    checkSeed(seed);
    // Fold both halves of the (up to 53-bit) seed into the hash state so that large seeds such
    // as Date.now() values differ in all their bits, not just the low 32.
    const high = Math.floor(seed / TWO_POW_32);
    const state = { value: (seed ^ Math.imul(high, 0x27d4eb2d)) | 0 };
    this.a = splitmix32(state);
    this.b = splitmix32(state);
    this.c = splitmix32(state);
    this.d = splitmix32(state);
    // sfc32's authors advise discarding the first outputs so the state is fully mixed.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** The next raw 32-bit output, an integer in [0, 2^32). */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A uniform number in [low, high), default [0, 1). */
  uniform(low = 0, high = 1): number {
    return low + (high - low) * (this.nextUint32() / TWO_POW_32);
  }

  /**
   * A uniform integer in [0, n), without the modulo bias of `floor(uniform() * n)`.
   *
   * @param n - The number of outcomes, a positive integer up to 2^32.
   */
  integer(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) {
      throw new DistillError(
        'INVALID_ARGUMENT',
        `Expected n to be an integer in [1, 2^32], but got ${describeValue(n)}.`,
      );
    }
    // Reject the top partial block of 32-bit values so every outcome is equally likely.
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % n;
  }

  /** A normal variate (Box–Muller transform). */
  normal(mean = 0, std = 1): number {
    // 1 - uniform() lies in (0, 1], so the logarithm is finite.
    const u1 = 1 - this.uniform();
    const u2 = this.uniform();
    return mean + std * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /**
   * A gamma variate with the given shape and scale (Marsaglia and Tsang's method).
   *
   * @param shape - The shape k > 0.
   * @param scale - The scale θ > 0. The mean is k·θ.
   */
  gamma(shape: number, scale = 1): number {
    return Math.exp(this.logGamma(shape)) * scale;
  }

  /**
   * A beta variate, from two gamma variates: X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b).
   *
   * Works in log space so that very small shapes (say 0.01, where the gamma variates underflow
   * to 0) still give a number in [0, 1] rather than NaN.
   */
  beta(a: number, b: number): number {
    const logX = this.logGamma(a);
    const logY = this.logGamma(b);
    return 1 / (1 + Math.exp(logY - logX));
  }

  /** A uniformly random permutation of 0, ..., n - 1 (Fisher–Yates shuffle). */
  permutation(n: number): number[] {
    const perm = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = this.integer(i + 1);
      const tmp = perm[i]!;
      perm[i] = perm[j]!;
      perm[j] = tmp;
    }
    return perm;
  }

  /** A new generator seeded from this stream, for handing independent streams to parts. */
  fork(): SeededRandom {
    return new SeededRandom(this.nextUint32());
  }

  /** The logarithm of a Gamma(shape, 1) variate. */
  private logGamma(shape: number): number {
    if (!(shape > 0) || !Number.isFinite(shape)) {
      throw new DistillError(
        'INVALID_ARGUMENT',
        `Expected shape to be a positive number, but got ${describeValue(shape)}.`,
      );
    }
    if (shape < 1) {
      // Gamma(k) = Gamma(k + 1) · U^(1/k); taking logs keeps tiny values representable.
      const u = 1 - this.uniform();
      return this.logGamma(shape + 1) + Math.log(u) / shape;
    }
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = this.normal();
      const t = 1 + c * x;
      if (t <= 0) continue;
      const v = t * t * t;
      const u = 1 - this.uniform();
      const x2 = x * x;
      // The cheap squeeze test accepts most samples without a logarithm.
      if (u < 1 - 0.0331 * x2 * x2) return Math.log(d * v);
      if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return Math.log(d * v);
    }
  }
}
