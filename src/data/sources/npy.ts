/**
 * NumPy `.npy` pairs (features `x`, labels `y`) as a {@link DataSource}. Node.js only.
 *
 * Memory: labels are read once into an Int32Array (4 bytes per example); features are never
 * read whole — each batch reads its rows from `x.npy` by random access.
 */
import type * as NodeFs from 'node:fs';
import type * as NodePath from 'node:path';
import { DistillError, DistillTypeError, describeValue } from '../../errors.js';
import { requireNodeBuiltin } from '../../node-builtins.js';
import { normalizeSeed } from '../random.js';
import { checkClassNames } from './arrays.js';
import { allRows, indexedSplit, type RowReader } from './indexed-split.js';
import { decodeElements } from './npy-header.js';
import { checkRange, openPair, type NpyPair, type OpenedPair } from './npy-pairs.js';
import { openLocalFile, readRanges, type OpenFile } from './random-access.js';
import type { DataSource, DataSplit } from './source.js';
import { TEST_STREAM, VALIDATION_STREAM, checkFraction, stratifiedSplit } from './stratify.js';

export type { NpyPair } from './npy-pairs.js';

/**
 * Options of {@link openNpy}. Give exactly one of: `x` and `y`; `train` and `test`; or `dir`.
 * A `dir` holds either `train/x.npy`, `train/y.npy`, `test/x.npy`, `test/y.npy`, or just
 * `x.npy` and `y.npy` (then split by `testFraction`).
 */
export interface NpyOptions {
  /** Features of one set, split into training and test by `testFraction`. */
  readonly x?: string;
  /** Labels of `x`. */
  readonly y?: string;
  /** The training pair (with `test`). */
  readonly train?: NpyPair;
  /** The test pair (with `train`). */
  readonly test?: NpyPair;
  /** A folder in one of the two layouts above. */
  readonly dir?: string;
  /** Share of a single set held out for testing, stratified (default 0.2). */
  readonly testFraction?: number;
  /** Share of the training examples held out for validation, stratified (default 0). */
  readonly validationFraction?: number;
  /** Seed of the splits (default 0). */
  readonly seed?: number;
  /** Class names; their number is the number of classes (default: from the labels). */
  readonly classNames?: readonly string[];
  /** Multiply features by this as they are read, e.g. `1 / 255` for uint8 pixels (default 1). */
  readonly scale?: number;
  /** Opens a file for random-access reads (default: the local file system). */
  readonly openFile?: OpenFile;
}

/**
 * Opens `.npy` features and labels as a {@link DataSource}.
 *
 * @param options - The files, splits, classes and scale.
 * @throws DistillError `DATA_CORRUPT` naming the file for a bad magic, an unsupported dtype,
 *   Fortran order, a truncated file, mismatched counts or bad labels; `INVALID_ARGUMENT` for bad
 *   options.
 *
 * @example
 * ```ts
 * const data = await openNpy({ dir: 'data/digits', scale: 1 / 255 });
 * ```
 */
export async function openNpy(options: NpyOptions): Promise<DataSource> {
  const pairs = resolvePairs(options);
  const testFraction = checkFraction(options.testFraction, 'testFraction', 0.2);
  const validationFraction = checkFraction(options.validationFraction, 'validationFraction', 0);
  const seed = options.seed === undefined ? 0 : normalizeSeed(options.seed);
  const scale = options.scale ?? 1;
  if (typeof scale !== 'number' || !Number.isFinite(scale)) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected scale to be a finite number, but got ${describeValue(scale)}.`,
    );
  }
  const openFile = options.openFile ?? openLocalFile;
  const opened: OpenedPair[] = [];
  for (const pair of pairs) opened.push(await openPair(pair, openFile));
  const [first, second] = opened as [OpenedPair, OpenedPair | undefined];
  const inputShape = Object.freeze(first.x.shape.length === 1 ? [1] : first.x.shape.slice(1));
  if (second && second.x.shape.slice(1).join() !== first.x.shape.slice(1).join()) {
    throw new DistillError(
      'SHAPE_MISMATCH',
      `${second.pair.x} has examples of shape [${second.x.shape.slice(1).join(', ')}] but ${first.pair.x} has [${inputShape.join(', ')}]; both splits need one shape.`,
    );
  }
  const numClasses = options.classNames?.length ?? Math.max(...opened.map((p) => p.classes));
  const classNames = checkClassNames(options.classNames, numClasses);
  for (const p of opened) checkRange(p, numClasses, options.classNames !== undefined);
  if (numClasses < 2) {
    throw new DistillError(
      'INVALID_ARGUMENT',
      `${pairs.map((p) => p.y).join(' and ')} hold ${numClasses} class; classification needs at least 2.`,
    );
  }
  let trainRows = allRows(first.labels.length);
  let testRows: Uint32Array;
  if (second) testRows = allRows(second.labels.length);
  else {
    if (testFraction === 0) {
      throw new DistillError(
        'INVALID_ARGUMENT',
        `testFraction 0 leaves ${first.pair.x} no test examples; use a fraction such as 0.2, or give a test pair.`,
      );
    }
    ({ kept: trainRows, held: testRows } = stratifiedSplit(
      trainRows,
      first.labels,
      testFraction,
      seed,
      TEST_STREAM,
    ));
  }
  let validationRows: Uint32Array | undefined;
  if (validationFraction > 0) {
    ({ kept: trainRows, held: validationRows } = stratifiedSplit(
      trainRows,
      first.labels,
      validationFraction,
      seed,
      VALIDATION_STREAM,
    ));
  }
  const split = (p: OpenedPair, rows: Uint32Array): DataSplit =>
    indexedSplit(rows, p.labels, inputShape, npyReader(p, openFile, scale));
  return {
    inputShape,
    numClasses,
    classNames,
    description: `NPY ${pairs.map((p) => p.x).join(' + ')} (${first.x.dtype.descr}, [${inputShape.join(', ')}], ${numClasses} classes)`,
    train: split(first, trainRows),
    test: split(second ?? first, testRows),
    validation: validationRows && split(first, validationRows),
  };
}

function resolvePairs(options: NpyOptions): NpyPair[] {
  if (typeof options !== 'object' || options === null) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected openNpy options { x, y }, { train, test } or { dir }, but got ${describeValue(options)}.`,
    );
  }
  const { x, y, train, test, dir } = options;
  const given = [
    x !== undefined || y !== undefined,
    train !== undefined || test !== undefined,
    dir !== undefined,
  ];
  const isPath = (v: unknown): v is string => typeof v === 'string' && v !== '';
  const isPair = (v: unknown): v is NpyPair =>
    typeof v === 'object' && v !== null && isPath((v as NpyPair).x) && isPath((v as NpyPair).y);
  if (given.filter(Boolean).length !== 1) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      'openNpy needs exactly one of { x, y }, { train: { x, y }, test: { x, y } } or { dir }.',
    );
  }
  if (given[0]) {
    if (!isPath(x) || !isPath(y)) {
      throw new DistillTypeError(
        'INVALID_ARGUMENT',
        `Expected x and y to be .npy file paths, but got x ${describeValue(x)}, y ${describeValue(y)}.`,
      );
    }
    return [{ x, y }];
  }
  if (given[1]) {
    if (!isPair(train) || !isPair(test)) {
      throw new DistillTypeError(
        'INVALID_ARGUMENT',
        `Expected train and test to be { x, y } pairs of .npy paths, but got train ${describeValue(train)}, test ${describeValue(test)}.`,
      );
    }
    return [train, test];
  }
  if (!isPath(dir)) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected dir to be a folder path, but got ${describeValue(dir)}.`,
    );
  }
  const fs = requireNodeBuiltin<typeof NodeFs>('node:fs', 'openNpy');
  const path = requireNodeBuiltin<typeof NodePath>('node:path', 'openNpy');
  const inDir = (...parts: string[]): NpyPair => ({
    x: path.join(dir, ...parts, 'x.npy'),
    y: path.join(dir, ...parts, 'y.npy'),
  });
  if (fs.existsSync(path.join(dir, 'train', 'x.npy'))) return [inDir('train'), inDir('test')];
  if (fs.existsSync(path.join(dir, 'x.npy'))) return [inDir()];
  throw new DistillError(
    'FILE_NOT_FOUND',
    `${dir} holds neither x.npy and y.npy nor train/x.npy (with train/y.npy, test/x.npy, test/y.npy); save your arrays in one of these layouts.`,
  );
}

function npyReader(p: OpenedPair, openFile: OpenFile, scale: number): RowReader {
  const { dtype, dataOffset, shape } = p.x;
  const featureSize = shape.slice(1).reduce((a, b) => a * b, 1);
  const rowBytes = featureSize * dtype.bytes;
  return {
    open: async () => {
      const file = await openFile(p.pair.x);
      return {
        read: async (ids) => {
          const ranges = Array.from(ids, (id) => ({
            start: dataOffset + id * rowBytes,
            end: dataOffset + (id + 1) * rowBytes,
          }));
          const rows = await readRanges(file, ranges, p.pair.x);
          const out = new Float32Array(ids.length * featureSize);
          rows.forEach((bytes, r) =>
            decodeElements(bytes, dtype, featureSize, out, r * featureSize, scale),
          );
          return out;
        },
        close: () => file.close(),
      };
    },
  };
}
