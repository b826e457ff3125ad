/**
 * Walking values that hold tfjs tensors at any depth of arrays and plain objects.
 */
import * as tf from '@tensorflow/tfjs';
import { isPlainObject } from '../config/validate.js';

/** Is `value` a (concrete) tfjs tensor? */
export function isTensor(value: unknown): value is tf.Tensor {
  return value instanceof tf.Tensor;
}

/**
 * Returns a copy of `value` in which every tensor is replaced by `fn(tensor)`. Arrays and plain
 * objects are copied; anything else (numbers, strings, class instances) is kept as is.
 * Returns `value` itself when it holds no tensor.
 */
export function mapTensors(value: unknown, fn: (t: tf.Tensor) => tf.Tensor): unknown {
  if (isTensor(value)) return fn(value);
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v: unknown) => {
      const m = mapTensors(v, fn);
      if (m !== v) changed = true;
      return m;
    });
    return changed ? out : value;
  }
  if (isPlainObject(value)) {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const m = mapTensors(v, fn);
      if (m !== v) changed = true;
      out[k] = m;
    }
    return changed ? out : value;
  }
  return value;
}

/** Calls `fn` for every tensor held at any depth of arrays and plain objects in `value`. */
export function forEachTensor(value: unknown, fn: (t: tf.Tensor) => void): void {
  if (isTensor(value)) fn(value);
  else if (Array.isArray(value)) for (const v of value as unknown[]) forEachTensor(v, fn);
  else if (isPlainObject(value)) for (const v of Object.values(value)) forEachTensor(v, fn);
}

/** Does `value` hold a symbolic tensor (a layer called while building a model)? */
export function holdsSymbolicTensor(value: unknown): boolean {
  if (value instanceof tf.SymbolicTensor) return true;
  if (Array.isArray(value)) return value.some(holdsSymbolicTensor);
  if (isPlainObject(value)) return Object.values(value).some(holdsSymbolicTensor);
  return false;
}
