/**
 * Turning a batch from a user's loader (`{ xs, ys }` as tensors, typed arrays or nested arrays)
 * into plain features and class indices, with checks that name the split and batch.
 */
import * as tf from '@tensorflow/tfjs';
import { DistillError, describeValue } from '../../errors.js';

/** Features of a user batch: `[n, ...inputShape]` as a tensor, a flat typed array or rows. */
export type UserFeatures =
  tf.Tensor | Float32Array | Float64Array | Int32Array | Uint8Array | number[][];

/** Labels of a user batch: class indices (`[n]`), or one-hot / score rows (`[n, K]`). */
export type UserLabels = tf.Tensor | ArrayLike<number> | number[][];

/** One batch from a user's loader. */
export interface UserBatch {
  /** Features. */
  readonly xs: UserFeatures;
  /** Labels. */
  readonly ys: UserLabels;
}

/** A user batch as plain values. */
export interface PlainBatch {
  /** Number of examples. */
  readonly rows: number;
  /** Features, row-major. */
  readonly features: Float32Array;
  /** Class index of every example. */
  readonly labels: Int32Array;
}

/** What the shape and classes of a stream are, inferred from one batch. */
export interface Inferred {
  /** Shape of one example. */
  readonly inputShape: number[];
  /** Width of one-hot labels; undefined for class indices. */
  readonly oneHotWidth: number | undefined;
}

function isBatch(value: unknown): value is UserBatch {
  return typeof value === 'object' && value !== null && 'xs' in value && 'ys' in value;
}

/** Checks that a stream element is `{ xs, ys }`. */
export function checkBatch(value: unknown, where: string): UserBatch {
  if (!isBatch(value)) {
    throw new DistillError(
      'INVALID_ARGUMENT',
      `${where} is ${describeValue(value)}, but a loader must yield { xs, ys } (features and labels).`,
    );
  }
  return value;
}

function nestedShape(value: unknown): number[] {
  const shape: number[] = [];
  let v = value;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = v[0];
  }
  return shape;
}

function labelCount(ys: UserLabels): number {
  return ys instanceof tf.Tensor ? (ys.shape[0] ?? 1) : ys.length;
}

/** Infers the example shape and the one-hot width from a batch. */
export function inferFromBatch(batch: UserBatch, where: string): Inferred {
  const { xs, ys } = batch;
  let inputShape: number[];
  if (xs instanceof tf.Tensor) inputShape = xs.shape.slice(1);
  else if (Array.isArray(xs)) inputShape = nestedShape(xs).slice(1);
  else inputShape = [xs.length / Math.max(labelCount(ys), 1)];
  if (inputShape.length === 0 || !inputShape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new DistillError(
      'SHAPE_MISMATCH',
      `${where}: cannot infer the example shape from xs (${describeValue(xs)}); give inputShape.`,
    );
  }
  const ysShape = ys instanceof tf.Tensor ? ys.shape : nestedShape(ys);
  const width = ysShape.length === 2 && ysShape[1]! > 1 ? ysShape[1] : undefined;
  return { inputShape, oneHotWidth: width };
}

/**
 * Reads a user batch into plain arrays and checks it against the source's shape and classes.
 * Tensors in the batch are disposed when `dispose` is true, also when a check fails.
 */
export async function readUserBatch(
  batch: UserBatch,
  inputShape: readonly number[],
  numClasses: number,
  dispose: boolean,
  where: string,
): Promise<PlainBatch> {
  const { xs, ys } = batch;
  try {
    const featureSize = inputShape.reduce((a, b) => a * b, 1);
    let features: Float32Array;
    if (xs instanceof tf.Tensor) {
      const single = xs.rank === inputShape.length;
      const shape = single ? xs.shape : xs.shape.slice(1);
      if (shape.join() !== inputShape.join()) {
        throw new DistillError(
          'SHAPE_MISMATCH',
          `${where}: xs has shape [${xs.shape.join(', ')}], but examples are [${inputShape.join(', ')}]; every batch must be [n, ${inputShape.join(', ')}].`,
        );
      }
      features = Float32Array.from(await xs.data());
    } else if (Array.isArray(xs)) {
      features = Float32Array.from(xs.flat(Infinity) as number[]);
    } else {
      features = Float32Array.from(xs);
    }
    const rows = features.length / featureSize;
    const labels = await readLabels(ys, numClasses, where);
    if (!Number.isInteger(rows) || labels.length !== rows) {
      throw new DistillError(
        'SHAPE_MISMATCH',
        `${where}: xs holds ${features.length} values (${rows} examples of [${inputShape.join(', ')}]) but ys holds ${labels.length} labels; they must agree.`,
      );
    }
    const bad = labels.findIndex((l) => !(l >= 0 && l < numClasses));
    if (bad >= 0) {
      throw new DistillError(
        'INVALID_ARGUMENT',
        `${where}: label ${bad} is ${labels[bad]}, but labels must be class indices in [0, ${numClasses}) (or one-hot rows); check numClasses.`,
      );
    }
    return { rows, features, labels };
  } finally {
    if (dispose) tf.dispose([xs, ys].filter((t): t is tf.Tensor => t instanceof tf.Tensor));
  }
}

async function readLabels(ys: UserLabels, numClasses: number, where: string): Promise<Int32Array> {
  let values: ArrayLike<number>;
  let width = 1;
  if (ys instanceof tf.Tensor) {
    values = await ys.data();
    if (ys.rank === 2) width = ys.shape[1]!;
  } else if (Array.isArray(ys) && Array.isArray(ys[0])) {
    width = ys[0].length;
    values = ys.flat();
  } else {
    values = ys as ArrayLike<number>;
  }
  if (width === 1) {
    const labels = Int32Array.from(values);
    const bad = Array.from(values).findIndex((v, i) => v !== labels[i]);
    if (bad >= 0) {
      throw new DistillError(
        'INVALID_ARGUMENT',
        `${where}: label ${bad} is ${describeValue(values[bad])}, not a class index; give integer labels or one-hot rows.`,
      );
    }
    return labels;
  }
  if (width !== numClasses) {
    throw new DistillError(
      'SHAPE_MISMATCH',
      `${where}: ys has one-hot rows of ${width} classes, but the source has ${numClasses}; they must agree.`,
    );
  }
  const n = values.length / width;
  const labels = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    let best = 0;
    for (let k = 1; k < width; k++)
      if (values[r * width + k]! > values[r * width + best]!) best = k;
    labels[r] = best;
  }
  return labels;
}
