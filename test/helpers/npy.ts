/**
 * Synthetic NumPy `.npy` files for data tests.
 */

/** What {@link npyBytes} writes. */
export interface NpySpec {
  /** dtype, e.g. `<f4`, `<f8`, `|u1`, `<i8`. */
  readonly descr: string;
  readonly shape: readonly number[];
  readonly values: ArrayLike<number>;
  /** Format version (default 1). */
  readonly version?: 1 | 2 | 3;
  /** Write `fortran_order: True` (default false). */
  readonly fortran?: boolean;
}

/** The bytes of a `.npy` file holding `values` (row-major) as `descr`. */
export function npyBytes(spec: NpySpec): Uint8Array {
  const { descr, shape, values } = spec;
  const version = spec.version ?? 1;
  const shapeText = `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;
  const dict = `{'descr': '${descr}', 'fortran_order': ${spec.fortran ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  const prefix = version === 1 ? 10 : 12;
  const pad = (64 - ((prefix + dict.length + 1) % 64)) % 64;
  const text = new TextEncoder().encode(`${dict}${' '.repeat(pad)}\n`);
  const size = Number(/\d+/.exec(descr)![0]);
  const body = new Uint8Array(values.length * size);
  const view = new DataView(body.buffer);
  const le = !descr.startsWith('>');
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const o = i * size;
    switch (descr.slice(1)) {
      case 'f4':
        view.setFloat32(o, v, le);
        break;
      case 'f8':
        view.setFloat64(o, v, le);
        break;
      case 'u1':
        view.setUint8(o, v);
        break;
      case 'i1':
        view.setInt8(o, v);
        break;
      case 'i2':
        view.setInt16(o, v, le);
        break;
      case 'i4':
        view.setInt32(o, v, le);
        break;
      case 'i8':
        view.setBigInt64(o, BigInt(v), le);
        break;
      case 'u8':
        view.setBigUint64(o, BigInt(v), le);
        break;
      default:
        break; // unsupported dtypes get zero bytes: enough to test their rejection
    }
  }
  const out = new Uint8Array(prefix + text.length + body.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const head = new DataView(out.buffer);
  if (version === 1) head.setUint16(8, text.length, true);
  else head.setUint32(8, text.length, true);
  out.set(text, prefix);
  out.set(body, prefix + text.length);
  return out;
}
