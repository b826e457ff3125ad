/**
 * Synthetic IDX files for data tests.
 */

/** Builds an IDX file of unsigned bytes with the given dimensions and values. */
export function idxBytes(dims: number[], values: ArrayLike<number>, type = 0x08): Uint8Array {
  const header = 4 + 4 * dims.length;
  const bytes = new Uint8Array(header + values.length);
  const view = new DataView(bytes.buffer);
  bytes[2] = type;
  bytes[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  bytes.set(values, header);
  return bytes;
}
