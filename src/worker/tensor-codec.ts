/**
 * Tensors (and arrays or plain objects holding them) as plain messages a worker can receive:
 * each tensor becomes its shape, dtype and a typed array whose buffer is transferred, not copied.
 */
import * as tf from '@tensorflow/tfjs';
import { DistillError, describeValue } from '../errors.js';
import { isTensor } from '../tensor/nested.js';

/** A tensor as a message: the data is a typed array of its dtype. */
export interface EncodedTensor {
  /** Marks the object as an encoded tensor. */
  readonly kind: 'tensor';
  /** The tensor's shape. */
  readonly shape: readonly number[];
  /** The tensor's dtype (`string` tensors are not supported). */
  readonly dtype: 'float32' | 'int32' | 'bool';
  /** The values, in row-major order. */
  readonly data: Float32Array | Int32Array | Uint8Array;
}

/** A value that went through {@link encodeValue}: tensors encoded, everything else as is. */
export type EncodedValue =
  | EncodedTensor
  | readonly EncodedValue[]
  | { readonly kind: 'object'; readonly entries: readonly (readonly [string, EncodedValue])[] }
  | { readonly kind: 'plain'; readonly value: unknown };

/**
 * Encodes a value for `postMessage`, downloading each tensor's data (synchronously, so call it
 * where blocking on the backend is fine). Buffers to transfer are appended to `transfer`.
 *
 * @throws `INVALID_ARGUMENT` for a `string` tensor, which has no typed-array form.
 */
export function encodeValue(value: unknown, transfer: ArrayBuffer[]): EncodedValue {
  if (isTensor(value)) {
    if (value.dtype === 'string' || value.dtype === 'complex64') {
      throw new DistillError(
        'INVALID_ARGUMENT',
        `Cannot send a ${value.dtype} tensor of shape [${value.shape.join(', ')}] between threads; only float32, int32 and bool tensors are supported.`,
      );
    }
    // dataSync may hand out the backend's own storage (the cpu backend does): transfer a copy.
    const copy = value.dataSync<'float32' | 'int32' | 'bool'>().slice();
    transfer.push(copy.buffer);
    return { kind: 'tensor', shape: [...value.shape], dtype: value.dtype, data: copy };
  }
  if (Array.isArray(value)) return value.map((v: unknown) => encodeValue(v, transfer));
  if (
    typeof value === 'object' &&
    value !== null &&
    Object.getPrototypeOf(value) === Object.prototype
  ) {
    return {
      kind: 'object',
      entries: Object.entries(value).map(([k, v]) => [k, encodeValue(v, transfer)] as const),
    };
  }
  return { kind: 'plain', value };
}

function isEncodedTensor(value: EncodedValue): value is EncodedTensor {
  return !Array.isArray(value) && (value as { kind?: unknown }).kind === 'tensor';
}

/**
 * Decodes what {@link encodeValue} made, creating new tensors the caller owns.
 *
 * @throws `DATA_CORRUPT` for a message that is not an encoded value.
 */
export function decodeValue(value: EncodedValue): unknown {
  if (Array.isArray(value)) return (value as readonly EncodedValue[]).map(decodeValue);
  if (isEncodedTensor(value)) return tf.tensor(value.data, [...value.shape], value.dtype);
  const kind = (value as { kind?: unknown } | null)?.kind;
  if (kind === 'object') {
    const { entries } = value as { entries: readonly (readonly [string, EncodedValue])[] };
    return Object.fromEntries(entries.map(([k, v]) => [k, decodeValue(v)]));
  }
  if (kind === 'plain') return (value as { value: unknown }).value;
  throw new DistillError(
    'DATA_CORRUPT',
    `Expected an encoded value from a worker, but got ${describeValue(value)}.`,
  );
}
