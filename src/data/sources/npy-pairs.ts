/**
 * Opening the `.npy` pairs of `openNpy`: headers checked, labels read in chunks and validated.
 */
import { DistillError } from '../../errors.js';
import { decodeElements, npyHeaderLength, parseNpyHeader, type NpyHeader } from './npy-header.js';
import { readExactly, type OpenFile, type RandomAccessFile } from './random-access.js';

/** The two files of one split. */
export interface NpyPair {
  /** Features: shape `[N, ...]`, float32/float64/(u)int8-64. */
  readonly x: string;
  /** Labels: integers of shape `[N]` (or `[N, 1]`), or one-hot / scores `[N, K]` (argmax). */
  readonly y: string;
}

/** A pair whose headers and labels have been read. */
export interface OpenedPair {
  /** The files. */
  readonly pair: NpyPair;
  /** The header of `x`. */
  readonly x: NpyHeader;
  /** Class index of every example. */
  readonly labels: Int32Array;
  /** K of one-hot labels, else the largest label + 1. */
  readonly classes: number;
  /** Whether `y` holds one-hot rows. */
  readonly oneHot: boolean;
}

async function readHeader(file: RandomAccessFile, name: string): Promise<NpyHeader> {
  const size = await file.size();
  const start = await readExactly(file, 0, Math.min(12, size), name);
  const length = npyHeaderLength(start, name);
  const header = parseNpyHeader(await readExactly(file, 0, Math.min(length, size), name), name);
  const elements = header.shape.reduce((a, b) => a * b, 1);
  const expected = header.dataOffset + elements * header.dtype.bytes;
  if (size < expected) {
    throw new DistillError(
      'DATA_CORRUPT',
      `${name} is truncated: shape [${header.shape.join(', ')}] of ${header.dtype.descr} needs ${expected} bytes, the file has ${size}.`,
    );
  }
  return header;
}

async function withFile<T>(
  openFile: OpenFile,
  name: string,
  fn: (f: RandomAccessFile) => Promise<T>,
): Promise<T> {
  const file = await openFile(name);
  try {
    return await fn(file);
  } finally {
    await file.close();
  }
}

// Labels are read this many at a time, so a large one-hot y.npy is never whole in memory.
const LABEL_CHUNK = 65536;

/** Reads the headers of a pair and all its labels. */
export async function openPair(pair: NpyPair, openFile: OpenFile): Promise<OpenedPair> {
  const x = await withFile(openFile, pair.x, (f) => readHeader(f, pair.x));
  if (x.shape.length === 0 || x.shape[0] === 0) {
    throw new DistillError(
      'DATA_CORRUPT',
      `${pair.x} holds no examples (shape [${x.shape.join(', ')}]); its first axis counts examples.`,
    );
  }
  return withFile(openFile, pair.y, async (file) => {
    const y = await readHeader(file, pair.y);
    const n = x.shape[0]!;
    if (y.shape[0] !== n || y.shape.length > 2) {
      throw new DistillError(
        'SHAPE_MISMATCH',
        `${pair.y} has shape [${y.shape.join(', ')}], but ${pair.x} holds ${n} examples; labels must be [${n}] class indices or [${n}, K] one-hot rows.`,
      );
    }
    const width = y.shape[1] ?? 1;
    const oneHot = width > 1;
    const labels = new Int32Array(n);
    const values = new Float64Array(Math.min(n, LABEL_CHUNK) * width);
    let max = 0;
    for (let start = 0; start < n; start += LABEL_CHUNK) {
      const rows = Math.min(LABEL_CHUNK, n - start);
      const bytes = await readExactly(
        file,
        y.dataOffset + start * width * y.dtype.bytes,
        rows * width * y.dtype.bytes,
        pair.y,
      );
      decodeElements(bytes, y.dtype, rows * width, values, 0);
      for (let r = 0; r < rows; r++) {
        let label: number;
        if (oneHot) {
          label = 0;
          for (let k = 1; k < width; k++)
            if (values[r * width + k]! > values[r * width + label]!) label = k;
        } else {
          label = values[r]!;
          if (!Number.isInteger(label) || label < 0) {
            throw new DistillError(
              'DATA_CORRUPT',
              `${pair.y}: row ${start + r} has label ${label}, but labels must be class indices 0, 1, 2, ... (or one-hot rows).`,
            );
          }
        }
        labels[start + r] = label;
        if (label > max) max = label;
      }
    }
    return { pair, x, labels, classes: oneHot ? width : max + 1, oneHot };
  });
}

/** Checks the labels of a pair against the number of classes. */
export function checkRange(p: OpenedPair, numClasses: number, declared: boolean): void {
  if (p.oneHot && p.classes !== numClasses) {
    throw new DistillError(
      'SHAPE_MISMATCH',
      `${p.pair.y} has one-hot rows of ${p.classes} classes, but there are ${numClasses} classes${declared ? ' in classNames' : ''}; they must agree.`,
    );
  }
  const row = p.labels.findIndex((l) => l >= numClasses);
  if (row >= 0) {
    throw new DistillError(
      'DATA_CORRUPT',
      `${p.pair.y}: row ${row} has label ${p.labels[row]}, out of range for the ${numClasses} classes of classNames; add class names or fix the label.`,
    );
  }
}
