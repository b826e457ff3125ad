/**
 * Seeded train/validation splits and labelled subsets of a {@link Dataset}.
 */
import { DistillError, DistillTypeError, describeValue } from '../errors.js';
import { featureSizeOf, selectExamples, type Dataset } from './dataset.js';
import { nonNegativeInteger } from './options.js';
import { createRng, deriveSeed, normalizeSeed, permutation, shuffleInPlace } from './random.js';

/** Options of {@link splitValidation}. */
export interface SplitValidationOptions {
  /**
   * How many examples go to validation: an integer count, or a fraction in `(0, 1)` of the
   * dataset (rounded to the nearest integer).
   */
  readonly validationSize: number;
  /** Seed of the random choice; equal seeds give equal splits. */
  readonly seed: number;
}

/** The two parts of {@link splitValidation}. */
export interface ValidationSplit {
  /** The examples kept for training, in their original order. */
  readonly train: Dataset;
  /** The held-out examples, in their original order. */
  readonly validation: Dataset;
}

/** Options of {@link takeSubset}. */
export interface TakeSubsetOptions {
  /**
   * Take (nearly) the same number of examples from every class (default true). A class with too
   * few examples gives all it has and the others make up the difference.
   */
  readonly balanced?: boolean;
}

// Distinct purpose tags, so a split and a subset drawn with one seed are unrelated.
const SPLIT_STREAM = 1;
const SUBSET_STREAM = 2;

function resolveSize(value: unknown, count: number): number {
  if (typeof value === 'number' && value > 0 && value < 1) return Math.round(value * count);
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected validationSize to be a count (integer) or a fraction in (0, 1), but got ${describeValue(value)}.`,
    );
  }
  if (value > count) {
    throw new DistillError(
      'INVALID_ARGUMENT',
      `validationSize ${value} exceeds the ${count} examples of the dataset; use a smaller count or a fraction.`,
    );
  }
  return value;
}

/**
 * Splits `dataset` at random into training and validation parts, reproducibly from `seed`.
 * Both parts are copies that keep the examples' original relative order.
 *
 * @param dataset - The examples to split (e.g. the MNIST training set).
 * @param options - `validationSize` (count or fraction) and `seed`.
 *
 * @example
 * ```ts
 * const { train, validation } = splitValidation(mnist.train, { validationSize: 5000, seed: 1 });
 * ```
 */
export function splitValidation(
  dataset: Dataset,
  options: SplitValidationOptions,
): ValidationSplit {
  featureSizeOf(dataset);
  const size = resolveSize(options.validationSize, dataset.count);
  const rng = createRng(deriveSeed(normalizeSeed(options.seed), SPLIT_STREAM));
  const order = permutation(dataset.count, rng);
  const validation = order.slice(0, size).sort();
  const train = order.slice(size).sort();
  return { train: selectExamples(dataset, train), validation: selectExamples(dataset, validation) };
}

/**
 * Picks `n` examples at random, reproducibly from `seed`, class-balanced by default — e.g. to
 * study distillation with only 5,000 labelled digits. The result keeps the original order.
 *
 * @param dataset - The examples to choose from.
 * @param n - How many to take, at most `dataset.count`.
 * @param seed - Seed of the random choice.
 * @param options - `balanced` (default true).
 *
 * @example
 * ```ts
 * const few = takeSubset(mnist.train, 5000, 42); // 500 of each digit
 * ```
 */
export function takeSubset(
  dataset: Dataset,
  n: number,
  seed: number,
  options: TakeSubsetOptions = {},
): Dataset {
  featureSizeOf(dataset);
  nonNegativeInteger(n, 'n');
  if (n > dataset.count) {
    throw new DistillError(
      'INVALID_ARGUMENT',
      `Cannot take a subset of ${n} examples from a dataset of ${dataset.count}; use n <= ${dataset.count}.`,
    );
  }
  const rng = createRng(deriveSeed(normalizeSeed(seed), SUBSET_STREAM));
  const chosen =
    options.balanced === false
      ? permutation(dataset.count, rng).slice(0, n)
      : balancedChoice(dataset.labels, n, rng);
  return selectExamples(dataset, chosen.sort());
}

/** Round-robin over shuffled per-class index lists, in a shuffled class order. */
function balancedChoice(
  labels: Uint8Array,
  n: number,
  rng: ReturnType<typeof createRng>,
): Uint32Array {
  const byClass = new Map<number, number[]>();
  labels.forEach((label, index) => {
    const list = byClass.get(label);
    if (list) list.push(index);
    else byClass.set(label, [index]);
  });
  const classes = shuffleInPlace(
    [...byClass.keys()].sort((a, b) => a - b),
    rng,
  );
  const pools = classes.map((label) => shuffleInPlace(byClass.get(label)!, rng));
  const chosen = new Uint32Array(n);
  let taken = 0;
  for (let round = 0; taken < n; round++) {
    for (const pool of pools) {
      if (taken === n) break;
      if (round < pool.length) chosen[taken++] = pool[round]!;
    }
  }
  return chosen;
}
