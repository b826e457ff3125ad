/**
 * Weight quantization as tfjs-converter writes it into a weights manifest, so that a stock
 * `tf.loadLayersModel` dequantizes the weights itself: float16 (half-precision bits), or affine
 * uint8/uint16 with a `scale` and a `min` per tensor (`value = q * scale + min`).
 */
import type * as tf from '@tensorflow/tfjs';
import { DistillError, describeValue } from '../errors.js';
import { FLOAT16_MAX, encodeFloat16 } from './float16.js';

/** The quantizations an export can apply, besides none (`float32`). */
export const QUANTIZE_DTYPES = ['float16', 'uint8', 'uint16'] as const;

/** One of {@link QUANTIZE_DTYPES}. */
export type QuantizeDtype = (typeof QUANTIZE_DTYPES)[number];

/** A weight's entry in the manifest and its bytes, quantized or not. */
export interface EncodedWeight {
  /** The manifest entry (with a `quantization` field when quantized). */
  readonly spec: tf.io.WeightsManifestEntry;
  /** The weight's bytes as stored. */
  readonly bytes: Uint8Array;
}

/**
 * Checks a quantization name from a user.
 *
 * @param value - What the user gave (`--quantize`, `quantize`).
 * @param path - Where it came from, for the message.
 * @returns The dtype, or undefined for `float32` / undefined (no quantization).
 * @throws DistillError `INVALID_ARGUMENT` naming the value and the choices.
 */
export function checkQuantize(value: unknown, path: string): QuantizeDtype | undefined {
  if (value === undefined || value === 'float32') return undefined;
  if (typeof value === 'string' && (QUANTIZE_DTYPES as readonly string[]).includes(value)) {
    return value as QuantizeDtype;
  }
  throw new DistillError(
    'INVALID_ARGUMENT',
    `${path} must be float16, uint8 or uint16 (or float32 for none), but got ${describeValue(value)}.`,
  );
}

/** The affine parameters of one tensor: zero maps to an integer exactly, as tfjs-converter does. */
function affineRange(values: Float32Array, levels: number): { scale: number; min: number } {
  let lo = 0;
  let hi = 0;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (hi === lo) return { scale: 1, min: 0 };
  const scale = (hi - lo) / levels;
  // Nudge min onto the grid so that 0 (biases, ReLU zeros, padding) is stored without error.
  const zeroPoint = Math.round(-lo / scale);
  return { scale, min: -zeroPoint * scale };
}

function affine(
  values: Float32Array,
  dtype: 'uint8' | 'uint16',
): { bytes: Uint8Array; scale: number; min: number } {
  const levels = dtype === 'uint8' ? 255 : 65535;
  const { scale, min } = affineRange(values, levels);
  const q = dtype === 'uint8' ? new Uint8Array(values.length) : new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    q[i] = Math.min(levels, Math.max(0, Math.round((values[i]! - min) / scale)));
  }
  return { bytes: new Uint8Array(q.buffer), scale, min };
}

/**
 * Encodes one weight for the manifest: float32 weights are quantized to `dtype`, other dtypes
 * (int32 step counters, say) are stored as they are.
 *
 * @param spec - The weight's manifest entry as `model.save` wrote it.
 * @param bytes - Its float32 (or other) bytes.
 * @param dtype - The quantization, or undefined for none.
 * @throws DistillError `INVALID_ARGUMENT` for float16 of a weight beyond ±65504, naming it.
 */
export function encodeWeight(
  spec: tf.io.WeightsManifestEntry,
  bytes: Uint8Array,
  dtype: QuantizeDtype | undefined,
): EncodedWeight {
  if (dtype === undefined || spec.dtype !== 'float32') return { spec, bytes };
  // Copy into an aligned buffer: the slice of a concatenated weights file may be unaligned.
  const values = new Float32Array(bytes.slice().buffer);
  if (dtype === 'float16') {
    const big = values.findIndex((v) => Math.abs(v) > FLOAT16_MAX && Number.isFinite(v));
    if (big >= 0) {
      throw new DistillError(
        'INVALID_ARGUMENT',
        `Weight ${spec.name} holds ${values[big]}, beyond float16's range of ±${FLOAT16_MAX}: export it with --quantize uint16 or without quantization.`,
      );
    }
    const bits = encodeFloat16(values);
    return {
      spec: { ...spec, quantization: { dtype: 'float16' } },
      bytes: new Uint8Array(bits.buffer),
    };
  }
  const q = affine(values, dtype);
  return {
    spec: { ...spec, quantization: { dtype, scale: q.scale, min: q.min } },
    bytes: q.bytes,
  };
}

/**
 * Splits the concatenated weight bytes of `model.save` into one {@link EncodedWeight} per spec,
 * quantizing float32 weights to `dtype`.
 *
 * @param specs - The weights manifest entries, in the order of `data`.
 * @param data - All weights, concatenated.
 * @param dtype - The quantization, or undefined for none.
 * @throws DistillError `DATA_CORRUPT` when `data` is shorter than the specs need.
 */
export function encodeWeights(
  specs: readonly tf.io.WeightsManifestEntry[],
  data: Uint8Array,
  dtype: QuantizeDtype | undefined,
): EncodedWeight[] {
  let offset = 0;
  return specs.map((spec) => {
    if (spec.dtype !== 'float32' && spec.dtype !== 'int32') {
      throw new DistillError(
        'INVALID_ARGUMENT',
        `Weight ${spec.name} has dtype ${spec.dtype}; an export writes float32 and int32 weights only.`,
      );
    }
    const length = spec.shape.reduce((a, b) => a * b, 1) * 4;
    if (offset + length > data.length) {
      throw new DistillError(
        'DATA_CORRUPT',
        `The weights end before weight ${spec.name}: ${data.length} bytes for specs that need more. Save the model again.`,
      );
    }
    const encoded = encodeWeight(spec, data.subarray(offset, offset + length), dtype);
    offset += length;
    return encoded;
  });
}
