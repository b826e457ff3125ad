/**
 * The first pass over a CSV file: checks every row, and keeps per row only its byte extent and
 * label (16 bytes: offset 8, length 4, label 4), plus the features themselves while they fit in `inMemoryLimit`.
 */
import { DistillError, describeValue } from '../../errors.js';
import {
  detectDelimiter,
  parseNumber,
  scanRecords,
  splitFields,
  type CsvRecord,
} from './csv-scan.js';

/** Where the label and features are in a CSV's rows. */
export interface CsvLayout {
  /** Field delimiter. */
  readonly delimiter: string;
  /** Column names, when the file has a header row. */
  readonly header: readonly string[] | undefined;
  /** Number of columns of every row. */
  readonly columns: number;
  /** 0-based index of the label column. */
  readonly labelIndex: number;
  /** 0-based indices of the feature columns, in order. */
  readonly featureIndices: readonly number[];
  /** Feature column names (header names, or `column 0`, `column 1`, ...). */
  readonly featureNames: readonly string[];
}

/** What the first pass keeps of one file. */
export interface CsvIndex {
  /** The file. */
  readonly path: string;
  /** Its layout. */
  readonly layout: CsvLayout;
  /** Number of data rows. */
  readonly rows: number;
  /** Byte offset of every row. */
  readonly starts: Float64Array;
  /** Byte length of every row. */
  readonly lengths: Uint32Array;
  /** Label of every row, as an index into `labelNames`. */
  readonly labelIds: Int32Array;
  /** Distinct labels in order of first appearance. */
  readonly labelNames: readonly string[];
  /** All features row-major, when they fit in `inMemoryLimit` bytes. */
  readonly features: Float32Array | undefined;
}

/** How to read a file's layout. */
export interface CsvLayoutOptions {
  /** Field delimiter (default: detected). */
  readonly delimiter?: string;
  /** Whether the first row is a header (default: detected). */
  readonly header?: boolean;
  /** Label column by name or index (default: a column named like a label, else the last). */
  readonly labelColumn?: string | number;
}

const LABEL_NAMES = ['label', 'class', 'target', 'y'];

/**
 * Indexes one CSV file.
 *
 * @param path - The file.
 * @param options - Layout options (ignored where `layout` is given).
 * @param layout - The layout of the training file, which a test file must share.
 * @param inMemoryLimit - Keep features in memory while they take at most this many bytes.
 * @param classes - Declared class names; a row with another label is an error.
 */
export async function indexCsv(
  path: string,
  options: CsvLayoutOptions,
  layout: CsvLayout | undefined,
  inMemoryLimit: number,
  classes: readonly string[] | undefined,
): Promise<CsvIndex> {
  const starts = new Grow(Float64Array);
  const lengths = new Grow(Uint32Array);
  const labelIds = new Grow(Int32Array);
  let features: Grow<Float32Array> | undefined = new Grow(Float32Array);
  const labelMap = new Map<string, number>();
  let first = true;
  for await (const record of scanRecords(path)) {
    if (first) {
      first = false;
      const own = layout === undefined;
      layout ??= resolveLayout(path, record, options);
      const header = own ? layout.header !== undefined : isHeader(record, layout, options.header);
      if (!own && header) checkSameHeader(path, record, layout);
      if (header) continue;
    }
    const fields = splitFields(record.text, layout!.delimiter);
    checkColumns(path, record, fields, layout!);
    const label = fields[layout!.labelIndex]!.trim();
    if (label === '') {
      throw new DistillError(
        'DATA_CORRUPT',
        `${path}:${record.line}: the label (column ${describeColumn(layout!, layout!.labelIndex)}) is empty; every row needs a label.`,
      );
    }
    let id = labelMap.get(label);
    if (id === undefined) {
      if (classes && !classes.includes(label)) {
        throw new DistillError(
          'DATA_CORRUPT',
          `${path}:${record.line}: label ${describeValue(label)} is not one of the declared classes (${classes.join(', ')}); add it to classes or fix the row.`,
        );
      }
      labelMap.set(label, (id = labelMap.size));
    }
    if (features && (features.length + layout!.featureIndices.length) * 4 > inMemoryLimit) {
      features = undefined;
    }
    for (const column of layout!.featureIndices) {
      const value = parseNumber(fields[column]!);
      if (Number.isNaN(value))
        throw notNumeric(path, record.line, layout!, column, fields[column]!);
      features?.push(value);
    }
    starts.push(record.start);
    lengths.push(record.length);
    labelIds.push(id);
  }
  if (layout === undefined) {
    throw new DistillError(
      'DATA_CORRUPT',
      `${path}:1: the file is empty; a CSV source needs rows of numeric features and a label.`,
    );
  }
  if (starts.length === 0) {
    throw new DistillError(
      'DATA_CORRUPT',
      `${path}:2: the file has a header but no data rows; add rows or choose another file.`,
    );
  }
  return {
    path,
    layout,
    rows: starts.length,
    starts: starts.done(),
    lengths: lengths.done(),
    labelIds: labelIds.done(),
    labelNames: [...labelMap.keys()],
    features: features?.done(),
  };
}

/** The error for a feature field that is not a number. */
export function notNumeric(
  path: string,
  line: number,
  layout: CsvLayout,
  column: number,
  value: string,
): DistillError {
  return new DistillError(
    'DATA_CORRUPT',
    `${path}:${line}: column ${describeColumn(layout, column)} holds ${describeValue(value)}, which is not a number; feature columns must be numeric (fill in or drop missing values, or choose the label column with labelColumn).`,
  );
}

/** Checks a row's column count. */
export function checkColumns(
  path: string,
  record: CsvRecord,
  fields: readonly string[],
  layout: CsvLayout,
): void {
  if (fields.length !== layout.columns) {
    throw new DistillError(
      'DATA_CORRUPT',
      `${path}:${record.line}: expected ${layout.columns} columns (as in the ${layout.header ? 'header' : 'first row'}), got ${fields.length}; fix the row, or set delimiter if ${describeValue(layout.delimiter)} is not the file's delimiter.`,
    );
  }
}

function describeColumn(layout: CsvLayout, column: number): string {
  const name = layout.header?.[column];
  return name === undefined ? `${column}` : `${column} ${describeValue(name)}`;
}

function resolveLayout(path: string, first: CsvRecord, options: CsvLayoutOptions): CsvLayout {
  const delimiter = options.delimiter ?? detectDelimiter(first.text);
  const fields = splitFields(first.text, delimiter);
  const columns = fields.length;
  if (columns < 2) {
    throw new DistillError(
      'DATA_CORRUPT',
      `${path}:${first.line}: found 1 column with delimiter ${describeValue(delimiter)}; a CSV source needs at least one feature column and a label column (set delimiter if the file uses another).`,
    );
  }
  const { labelColumn } = options;
  const numericOutside = (label: number): boolean =>
    fields.some((f, i) => i !== label && Number.isNaN(parseNumber(f)));
  const header =
    options.header ??
    (typeof labelColumn === 'string' ||
      numericOutside(typeof labelColumn === 'number' ? labelColumn : columns - 1));
  const names = header ? fields.map((f) => f.trim()) : undefined;
  let labelIndex: number;
  if (typeof labelColumn === 'string') {
    labelIndex = names?.indexOf(labelColumn) ?? -1;
    if (labelIndex < 0) {
      throw new DistillError(
        'INVALID_ARGUMENT',
        `${path}:${first.line}: labelColumn ${describeValue(labelColumn)} is not a column; the ${names ? `header has: ${names.join(', ')}` : 'file has no header (set header: true if its first row names the columns)'}.`,
      );
    }
  } else if (typeof labelColumn === 'number') {
    if (!Number.isSafeInteger(labelColumn) || labelColumn < 0 || labelColumn >= columns) {
      throw new DistillError(
        'INVALID_ARGUMENT',
        `${path}:${first.line}: labelColumn ${describeValue(labelColumn)} is not a column index; the file has ${columns} columns (0 to ${columns - 1})${names ? `: ${names.join(', ')}` : ''}.`,
      );
    }
    labelIndex = labelColumn;
  } else {
    const named = names?.findIndex((n) => LABEL_NAMES.includes(n.toLowerCase())) ?? -1;
    labelIndex = named >= 0 ? named : columns - 1;
  }
  const featureIndices = fields.map((_, i) => i).filter((i) => i !== labelIndex);
  return {
    delimiter,
    header: names,
    columns,
    labelIndex,
    featureIndices,
    featureNames: featureIndices.map((i) => names?.[i] ?? `column ${i}`),
  };
}

function isHeader(record: CsvRecord, layout: CsvLayout, header: boolean | undefined): boolean {
  if (header !== undefined) return header;
  const fields = splitFields(record.text, layout.delimiter);
  return layout.featureIndices.some(
    (i) => fields[i] !== undefined && Number.isNaN(parseNumber(fields[i])),
  );
}

function checkSameHeader(path: string, record: CsvRecord, layout: CsvLayout): void {
  const names = splitFields(record.text, layout.delimiter).map((f) => f.trim());
  const expected = layout.header;
  if (expected && names.join('\u0000') !== expected.join('\u0000')) {
    throw new DistillError(
      'DATA_CORRUPT',
      `${path}:${record.line}: the header (${names.join(', ')}) differs from the training file's (${expected.join(', ')}); both files need the same columns in the same order.`,
    );
  }
}

type Typed = Float64Array | Float32Array | Uint32Array | Int32Array;

/** A typed array that grows by doubling. */
class Grow<T extends Typed> {
  private data: T;
  length = 0;

  constructor(private readonly Ctor: new (n: number) => T) {
    this.data = new Ctor(1024);
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new this.Ctor(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  done(): T {
    return this.data.slice(0, this.length) as T;
  }
}
