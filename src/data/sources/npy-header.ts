/**
 * The header of a NumPy `.npy` file (format versions 1, 2 and 3): magic, dtype, order and shape.
 * Pure: works on the first bytes of the file.
 */
import { DistillError, describeValue } from '../../errors.js';

/** The element type of an array. */
export interface NpyDtype {
  /** `f` float, `i` signed integer, `u` unsigned integer. */
  readonly kind: 'f' | 'i' | 'u';
  /** Bytes per element. */
  readonly bytes: number;
  /** Byte order of multi-byte elements. */
  readonly littleEndian: boolean;
  /** The dtype as written, e.g. `<f4`. */
  readonly descr: string;
}

/** A parsed `.npy` header. */
export interface NpyHeader {
  /** Element type. */
  readonly dtype: NpyDtype;
  /** The array's shape. */
  readonly shape: readonly number[];
  /** Byte offset where the data starts. */
  readonly dataOffset: number;
}

/** The magic string every `.npy` file starts with. */
export const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

const SUPPORTED: Record<string, number[]> = { f: [4, 8], i: [1, 2, 4, 8], u: [1, 2, 4, 8] };

/**
 * How many bytes of the file the header takes, from its first 12 bytes.
 *
 * @param start - At least the first 12 bytes of the file (fewer means it is too short).
 * @param name - The file's path, for messages.
 */
export function npyHeaderLength(start: Uint8Array, name: string): number {
  if (start.length < 10 || NPY_MAGIC.some((b, i) => start[i] !== b)) {
    throw new DistillError(
      'DATA_CORRUPT',
      `${name} is not a .npy file: it does not start with the magic "\\x93NUMPY". Save arrays with numpy.save.`,
    );
  }
  const major = start[6]!;
  const view = new DataView(start.buffer, start.byteOffset, start.byteLength);
  if (major === 1) return 10 + view.getUint16(8, true);
  if ((major === 2 || major === 3) && start.length >= 12) return 12 + view.getUint32(8, true);
  throw new DistillError(
    'DATA_CORRUPT',
    `${name} is .npy format version ${major}.${start[7]}, which is not supported (versions 1, 2 and 3 are); save it again with numpy.save.`,
  );
}

/**
 * Parses the header of a `.npy` file.
 *
 * @param bytes - The first {@link npyHeaderLength} bytes of the file.
 * @param name - The file's path, for messages.
 * @throws DistillError `DATA_CORRUPT` for a bad magic, an unsupported dtype or Fortran order.
 */
export function parseNpyHeader(bytes: Uint8Array, name: string): NpyHeader {
  const dataOffset = npyHeaderLength(bytes, name);
  const start = bytes[6] === 1 ? 10 : 12;
  const text = new TextDecoder(bytes[6] === 3 ? 'utf-8' : 'latin1').decode(
    bytes.subarray(start, dataOffset),
  );
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new DistillError(
      'DATA_CORRUPT',
      `${name} has a malformed .npy header ${describeValue(text.trim())}; save it again with numpy.save.`,
    );
  }
  if (fortran === 'True') {
    throw new DistillError(
      'DATA_CORRUPT',
      `${name} is stored in Fortran (column-major) order, which is not supported; save numpy.ascontiguousarray(a) instead.`,
    );
  }
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new DistillError('DATA_CORRUPT', `${name} has a malformed shape (${shapeText}).`);
  }
  return { dtype: parseDtype(descr, name), shape, dataOffset };
}

function parseDtype(descr: string, name: string): NpyDtype {
  const m = /^([<>|=])([fiu])(\d+)$/.exec(descr);
  const kind = m?.[2] as NpyDtype['kind'] | undefined;
  const bytes = Number(m?.[3]);
  if (!m || !kind || !SUPPORTED[kind]!.includes(bytes)) {
    throw new DistillError(
      'DATA_CORRUPT',
      `${name} holds dtype ${describeValue(descr)}, which is not supported; use float32/float64 or (u)int8/16/32/64 (e.g. a.astype(numpy.float32)).`,
    );
  }
  return { kind, bytes, littleEndian: m[1] !== '>', descr };
}

/**
 * Decodes `count` elements of `dtype` from `bytes` into `out` at `at`, times `scale`.
 */
export function decodeElements(
  bytes: Uint8Array,
  dtype: NpyDtype,
  count: number,
  out: Float32Array | Float64Array,
  at: number,
  scale = 1,
): void {
  if (dtype.kind === 'u' && dtype.bytes === 1) {
    for (let i = 0; i < count; i++) out[at + i] = bytes[i]! * scale;
    return;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = dtype.littleEndian;
  const get = getter(view, dtype);
  for (let i = 0; i < count; i++) out[at + i] = get(i * dtype.bytes, le) * scale;
}

function getter(view: DataView, dtype: NpyDtype): (offset: number, le: boolean) => number {
  const key = `${dtype.kind}${dtype.bytes}`;
  switch (key) {
    case 'f4':
      return (o, le) => view.getFloat32(o, le);
    case 'f8':
      return (o, le) => view.getFloat64(o, le);
    case 'i1':
      return (o) => view.getInt8(o);
    case 'i2':
      return (o, le) => view.getInt16(o, le);
    case 'i4':
      return (o, le) => view.getInt32(o, le);
    case 'i8':
      return (o, le) => Number(view.getBigInt64(o, le));
    case 'u2':
      return (o, le) => view.getUint16(o, le);
    case 'u4':
      return (o, le) => view.getUint32(o, le);
    default:
      return (o, le) => Number(view.getBigUint64(o, le));
  }
}
