/**
 * CSV files as a {@link DataSource}: numeric feature columns and one label column. Node.js only.
 *
 * Memory: a first pass checks every row and keeps 16 bytes per row (byte offset, length,
 * label). When all features fit in `inMemoryLimit` bytes (default 64 MiB) they are kept too, as
 * one Float32Array; otherwise each batch reads its rows back from the file by random access, so
 * a file larger than memory trains.
 */
import { DistillError, DistillTypeError, describeValue } from '../../errors.js';
import { nonNegativeInteger } from '../options.js';
import { normalizeSeed } from '../random.js';
import { allRows, indexedSplit, memoryReader, type RowReader } from './indexed-split.js';
import { indexCsv, type CsvIndex, type CsvLayoutOptions } from './csv-index.js';
import { decodeRecord, parseNumber, splitFields } from './csv-scan.js';
import { openLocalFile, readRanges, type OpenFile } from './random-access.js';
import type { DataSource, DataSplit } from './source.js';
import { standardized, trainStatistics, type Standardization } from './standardize.js';
import {
  TEST_STREAM,
  VALIDATION_STREAM,
  checkFraction,
  orderClasses,
  stratifiedSplit,
} from './stratify.js';

/** Options of {@link openCsv}. Give `path`, or `train` and `test`. */
export interface CsvOptions {
  /** One CSV file, split into training and test rows by `testFraction`. */
  readonly path?: string;
  /** The training file (with `test`). */
  readonly train?: string;
  /** The test file (with `train`); it must have the training file's columns. */
  readonly test?: string;
  /**
   * The label column: a header name or a 0-based index. Default: a column named `label`,
   * `class`, `target` or `y` (any case) if the header has one, else the last column.
   */
  readonly labelColumn?: string | number;
  /**
   * Whether the first row names the columns. Default: detected — it does when a field outside
   * the label column is not a number.
   */
  readonly header?: boolean;
  /** Field delimiter. Default: detected from the first row (`,`, `;` or tab). */
  readonly delimiter?: string;
  /** Share of the rows of `path` held out for testing, stratified by class (default 0.2). */
  readonly testFraction?: number;
  /** Share of the training rows held out for validation, stratified (default 0: none). */
  readonly validationFraction?: number;
  /** Seed of the test and validation splits (default 0). */
  readonly seed?: number;
  /**
   * The class names, in label-index order; any other label is an error. Default: the distinct
   * labels, integers in numeric order (`0`..`k-1` keep their values), names sorted by name.
   */
  readonly classes?: readonly string[];
  /** Z-score every feature column with the training rows' mean and deviation (default false). */
  readonly standardize?: boolean;
  /** Keep features in memory when they take at most this many bytes (default 64 MiB; 0: never). */
  readonly inMemoryLimit?: number;
  /** Opens a file for random-access reads (default: the local file system). */
  readonly openFile?: OpenFile;
}

/** A CSV {@link DataSource}, with what was learned about its columns. */
export interface CsvSource extends DataSource {
  /** Feature column names (header names, or `column 0`, ...), in input order. */
  readonly featureNames: readonly string[];
  /** The label column's name (or `column N` without a header). */
  readonly labelColumn: string;
  /** Mean and deviation applied to features, when `standardize` is set: apply them at inference. */
  readonly standardization: Standardization | undefined;
  /** Whether the features are held in memory (else read from the file for every batch). */
  readonly inMemory: boolean;
}

const DEFAULT_IN_MEMORY_LIMIT = 64 * 1024 * 1024;

/**
 * Opens CSV data as a {@link DataSource}: every row is checked once, then batches are read
 * lazily, in the seeded order of each epoch.
 *
 * @param options - The file(s), columns, splits and classes.
 * @throws DistillError naming `file:line` for a malformed row, a non-numeric feature, an unknown
 *   label or an empty file; `INVALID_ARGUMENT` for bad options or fewer than 2 classes.
 *
 * @example
 * ```ts
 * const data = await openCsv({ path: 'iris.csv', labelColumn: 'species', validationFraction: 0.1 });
 * data.classNames; // ['setosa', 'versicolor', 'virginica']
 * ```
 */
export async function openCsv(options: CsvOptions): Promise<CsvSource> {
  const o = checkOptions(options);
  const layoutOptions: CsvLayoutOptions = o;
  const limit = o.inMemoryLimit ?? DEFAULT_IN_MEMORY_LIMIT;
  const trainPath = (o.path ?? o.train)!;
  const trainIndex = await indexCsv(trainPath, layoutOptions, undefined, limit, o.classes);
  const testIndex =
    o.test === undefined
      ? undefined
      : await indexCsv(o.test, layoutOptions, trainIndex.layout, limit, o.classes);
  const files = testIndex ? [trainIndex, testIndex] : [trainIndex];
  const classNames = o.classes ?? orderClasses(new Set(files.flatMap((f) => f.labelNames)));
  if (classNames.length < 2) {
    throw new DistillError(
      'INVALID_ARGUMENT',
      `${files.map((f) => f.path).join(' and ')} ${o.classes ? 'declare' : 'hold'} ${classNames.length} class${classNames.length === 1 ? ` (${describeValue(classNames[0])})` : 'es'}; classification needs at least 2. Is labelColumn the right column?`,
    );
  }
  const labels = files.map((f) => classIndices(f, classNames));
  const seed = o.seed ?? 0;
  let trainRows: Uint32Array;
  let testRows: Uint32Array;
  if (testIndex) {
    trainRows = allRows(trainIndex.rows);
    testRows = allRows(testIndex.rows);
  } else {
    const split = stratifiedSplit(
      allRows(trainIndex.rows),
      labels[0]!,
      o.testFraction ?? 0.2,
      seed,
      TEST_STREAM,
    );
    trainRows = split.kept;
    testRows = split.held;
  }
  let validationRows: Uint32Array | undefined;
  if ((o.validationFraction ?? 0) > 0) {
    const split = stratifiedSplit(
      trainRows,
      labels[0]!,
      o.validationFraction!,
      seed,
      VALIDATION_STREAM,
    );
    trainRows = split.kept;
    validationRows = split.held;
  }
  const featureSize = trainIndex.layout.featureIndices.length;
  const readers: RowReader[] = files.map((f) => csvReader(f, o.openFile ?? openLocalFile));
  let standardization: Standardization | undefined;
  if (o.standardize === true) {
    standardization = await trainStatistics(readers[0]!, trainRows, featureSize);
    for (let i = 0; i < readers.length; i++) {
      readers[i] = standardized(readers[i]!, standardization);
    }
  }
  const inputShape = Object.freeze([featureSize]);
  const split = (rows: Uint32Array, file: number): DataSplit =>
    indexedSplit(rows, labels[file]!, inputShape, readers[file]!);
  const layout = trainIndex.layout;
  return {
    inputShape,
    numClasses: classNames.length,
    classNames: Object.freeze([...classNames]),
    description: `CSV ${files.map((f) => f.path).join(' + ')} (${featureSize} features, ${classNames.length} classes)`,
    train: split(trainRows, 0),
    test: split(testRows, testIndex ? 1 : 0),
    validation: validationRows && split(validationRows, 0),
    featureNames: layout.featureNames,
    labelColumn: layout.header?.[layout.labelIndex] ?? `column ${layout.labelIndex}`,
    standardization,
    inMemory: files.every((f) => f.features !== undefined),
  };
}

/** Every row's class index in `classNames`, written over the index's label ids (no copy). */
function classIndices(index: CsvIndex, classNames: readonly string[]): Int32Array {
  const map = index.labelNames.map((name) => classNames.indexOf(name));
  const labels = index.labelIds;
  for (let i = 0; i < labels.length; i++) labels[i] = map[labels[i]!]!;
  return labels;
}

/** Reads rows from memory when the first pass kept them, else from the file. */
function csvReader(index: CsvIndex, openFile: OpenFile): RowReader {
  const { layout } = index;
  const featureSize = layout.featureIndices.length;
  if (index.features) return memoryReader(index.features, featureSize);
  return {
    open: async () => {
      const file = await openFile(index.path);
      return {
        read: async (ids) => {
          const ranges = Array.from(ids, (id) => ({
            start: index.starts[id]!,
            end: index.starts[id]! + index.lengths[id]!,
          }));
          const rows = await readRanges(file, ranges, index.path);
          const out = new Float32Array(ids.length * featureSize);
          rows.forEach((bytes, r) => {
            const fields = splitFields(decodeRecord(bytes), layout.delimiter);
            layout.featureIndices.forEach((column, k) => {
              const value = fields.length === layout.columns ? parseNumber(fields[column]!) : NaN;
              if (Number.isNaN(value)) throw changedFile(index.path, ids[r]!);
              out[r * featureSize + k] = value;
            });
          });
          return out;
        },
        close: () => file.close(),
      };
    },
  };
}

function changedFile(path: string, row: number): DistillError {
  return new DistillError(
    'DATA_CORRUPT',
    `${path}: data row ${row + 1} no longer reads as it did when the file was opened; was the file changed? Open it again with openCsv.`,
  );
}

function checkOptions(options: CsvOptions): CsvOptions {
  if (typeof options !== 'object' || options === null) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected openCsv options { path } or { train, test }, but got ${describeValue(options)}.`,
    );
  }
  const { path, train, test } = options;
  const isPath = (v: unknown): boolean => typeof v === 'string' && v !== '';
  const single = path !== undefined;
  if (
    single
      ? !isPath(path) || train !== undefined || test !== undefined
      : !isPath(train) || !isPath(test)
  ) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected openCsv options to give path (one file, split by testFraction) or both train and test, but got path ${describeValue(path)}, train ${describeValue(train)}, test ${describeValue(test)}.`,
    );
  }
  const testFraction = checkFraction(options.testFraction, 'testFraction', 0.2);
  if (single && testFraction === 0) {
    throw new DistillError(
      'INVALID_ARGUMENT',
      `testFraction 0 leaves ${path} no test rows; use a fraction such as 0.2, or give train and test files.`,
    );
  }
  checkFraction(options.validationFraction, 'validationFraction', 0);
  if (options.seed !== undefined) normalizeSeed(options.seed);
  const { labelColumn, delimiter, header, classes } = options;
  if (
    labelColumn !== undefined &&
    typeof labelColumn !== 'string' &&
    typeof labelColumn !== 'number'
  ) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected labelColumn to be a column name or a 0-based index, but got ${describeValue(labelColumn)}.`,
    );
  }
  if (
    delimiter !== undefined &&
    (typeof delimiter !== 'string' || delimiter.length !== 1 || delimiter === '"')
  ) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected delimiter to be one character such as "," ";" or "\\t", but got ${describeValue(delimiter)}.`,
    );
  }
  if (header !== undefined && typeof header !== 'boolean') {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected header to be true or false, but got ${describeValue(header)}.`,
    );
  }
  if (
    classes !== undefined &&
    (!Array.isArray(classes) ||
      !classes.every((c) => typeof c === 'string' && c.trim() === c && c !== '') ||
      new Set(classes).size !== classes.length)
  ) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected classes to be distinct, non-empty label names such as ["setosa", "versicolor"], but got ${describeValue(classes)}.`,
    );
  }
  if (options.inMemoryLimit !== undefined)
    nonNegativeInteger(options.inMemoryLimit, 'inMemoryLimit');
  if (options.openFile !== undefined && typeof options.openFile !== 'function') {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected openFile to be a function, but got ${describeValue(options.openFile)}.`,
    );
  }
  return options;
}
