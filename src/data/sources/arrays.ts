/**
 * A data source over examples already in memory as typed arrays.
 */
import { DistillError, DistillTypeError, describeValue } from '../../errors.js';
import { nonNegativeInteger, positiveInt } from '../options.js';
import { allRows, indexedSplit, memoryReader } from './indexed-split.js';
import type { DataSource, DataSplit } from './source.js';

/** One split of {@link fromArrays}: `count` examples, row-major. */
export interface ArraySplit {
  /** Features, `count * prod(inputShape)` values, row-major. */
  readonly x: Float32Array;
  /** One class index per example (at least `count` entries; extra ones are ignored). */
  readonly y: ArrayLike<number>;
  /** Number of examples. */
  readonly count: number;
}

/** Options of {@link fromArrays}. */
export interface FromArraysOptions {
  /** The training examples. */
  readonly train: ArraySplit;
  /** The test examples. */
  readonly test: ArraySplit;
  /** Held-out validation examples, if any. */
  readonly validation?: ArraySplit;
  /** Shape of one example, e.g. `[784]` or `[28, 28, 1]`. */
  readonly inputShape: readonly number[];
  /** Number of classes; every label must be in `[0, numClasses)`. */
  readonly numClasses: number;
  /** One name per class (default `"0"`, `"1"`, ...). */
  readonly classNames?: readonly string[];
  /** What the data is, for messages (default `in-memory arrays (N classes)`). */
  readonly description?: string;
}

/**
 * Wraps typed arrays as a {@link DataSource}. The arrays are used as given, not copied: do not
 * change them while the source is in use. Batches follow the seeded permutation of
 * {@link epochOrder}, so for equal `(seed, epoch)` they visit examples in the same order as
 * `batches()` of a `Dataset`.
 *
 * @param options - The splits, shape and classes.
 * @throws DistillError `INVALID_ARGUMENT` when sizes disagree or a label is out of range.
 *
 * @example
 * ```ts
 * const source = fromArrays({ train: { x, y, count: 100 }, test, inputShape: [4], numClasses: 3 });
 * for await (const { x, y } of source.train.batches({ batchSize: 32, seed: 1, epoch: 0 })) { ... }
 * ```
 */
export function fromArrays(options: FromArraysOptions): DataSource {
  if (typeof options !== 'object' || options === null) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected fromArrays options { train, test, inputShape, numClasses }, but got ${describeValue(options)}.`,
    );
  }
  const inputShape = checkShape(options.inputShape, 'inputShape');
  const numClasses = positiveInt(options.numClasses, 'numClasses');
  const classNames = checkClassNames(options.classNames, numClasses);
  const featureSize = inputShape.reduce((a, b) => a * b, 1);
  const split = (s: ArraySplit | undefined, name: string): DataSplit | undefined =>
    s === undefined ? undefined : arraySplit(s, name, inputShape, featureSize, numClasses);
  return {
    inputShape,
    numClasses,
    classNames,
    description: options.description ?? `in-memory arrays (${numClasses} classes)`,
    train: split(options.train, 'train')!,
    test: split(options.test, 'test')!,
    validation: split(options.validation, 'validation'),
  };
}

function arraySplit(
  split: ArraySplit,
  name: string,
  inputShape: readonly number[],
  featureSize: number,
  numClasses: number,
): DataSplit {
  if (typeof split !== 'object' || split === null || !(split.x instanceof Float32Array)) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected ${name} to be { x: Float32Array, y, count }, but got ${describeValue(split)}.`,
    );
  }
  const count = nonNegativeInteger(split.count, `${name}.count`);
  if (split.x.length !== count * featureSize) {
    throw new DistillError(
      'INVALID_ARGUMENT',
      `${name}.x has ${split.x.length} values, but ${count} examples of shape [${inputShape.join(', ')}] need ${count * featureSize}.`,
    );
  }
  if (split.y === null || typeof split.y !== 'object' || !(split.y.length >= count)) {
    throw new DistillError(
      'INVALID_ARGUMENT',
      `${name}.y must hold at least ${count} labels, but got ${describeValue(split.y)}.`,
    );
  }
  for (let i = 0; i < count; i++) {
    const label = split.y[i]!;
    if (!Number.isInteger(label) || label < 0 || label >= numClasses) {
      throw new DistillError(
        'INVALID_ARGUMENT',
        `${name}.y[${i}] is ${describeValue(label)}, but labels must be class indices in [0, ${numClasses}).`,
      );
    }
  }
  return indexedSplit(allRows(count), split.y, inputShape, memoryReader(split.x, featureSize));
}

/** Checks an example shape: a non-empty list of positive integers. */
export function checkShape(shape: unknown, path: string): readonly number[] {
  if (
    !Array.isArray(shape) ||
    shape.length === 0 ||
    !shape.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d > 0)
  ) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected ${path} to be a list of positive integers such as [784] or [28, 28, 1], but got ${describeValue(shape)}.`,
    );
  }
  return Object.freeze([...(shape as number[])]);
}

/** Checks optional class names against the number of classes; defaults to `"0"`, `"1"`, .... */
export function checkClassNames(names: unknown, numClasses: number): readonly string[] {
  if (names === undefined)
    return Object.freeze(Array.from({ length: numClasses }, (_, i) => String(i)));
  if (
    !Array.isArray(names) ||
    names.length !== numClasses ||
    !names.every((n) => typeof n === 'string')
  ) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected classNames to be ${numClasses} strings (one per class), but got ${describeValue(names)}.`,
    );
  }
  return Object.freeze([...names]);
}
