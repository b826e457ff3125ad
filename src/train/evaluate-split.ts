/**
 * Accuracy and cross-entropy of any classifier over a split of a data source, read in batches:
 * a LayersModel, a model behind a view, or a teacher that predicts asynchronously.
 */
import * as tf from '@tensorflow/tfjs';
import type { DataSplit } from '../data/sources/source.js';
import { positiveInt } from '../data/options.js';
import { DistillError } from '../errors.js';
import { batchSums, type EvaluationResult } from './evaluate.js';

/** Logits `[N, classes]` of a batch; the caller owns the result. */
export type PredictLogits = (x: tf.Tensor) => tf.Tensor | Promise<tf.Tensor>;

/** Options of {@link evaluateSplit}. */
export interface EvaluateSplitOptions {
  /** Number of classes of the data; a label at or above it is an error. */
  readonly numClasses: number;
  /** Examples per forward pass (default 1000); lower it to save memory. */
  readonly batchSize?: number;
  /** The model's name, for messages. */
  readonly name?: string;
}

/** What {@link evaluateSplit} measures, with each example's predicted class. */
export interface SplitEvaluation extends EvaluationResult {
  /** The predicted class of each example, in the split's order. */
  readonly predictions: Int32Array;
}

/**
 * Predicts every example of `split`, in order and in batches, and measures accuracy and mean
 * cross-entropy. No tensor outlives a batch.
 *
 * @param predict - Logits of a batch (inference mode).
 * @param split - The examples.
 * @param options - `numClasses`, `batchSize`, `name`.
 * @throws DistillError `SHAPE_MISMATCH` when the logits are not `[batch, numClasses]`;
 *   `INVALID_ARGUMENT` for an empty split.
 *
 * @example
 * ```ts
 * const r = await evaluateSplit((x) => model.predict(x) as tf.Tensor, source.test, { numClasses: 3 });
 * console.log(`${r.errors} errors of ${r.count}`);
 * ```
 */
export async function evaluateSplit(
  predict: PredictLogits,
  split: DataSplit,
  options: EvaluateSplitOptions,
): Promise<SplitEvaluation> {
  const batchSize = positiveInt(options.batchSize ?? 1000, 'batchSize');
  const classes = options.numClasses;
  const name = options.name ?? 'the model';
  let lossSum = 0;
  let correct = 0;
  let count = 0;
  const predicted: Int32Array[] = [];
  for await (const batch of split.batches({ batchSize, seed: 0, epoch: 0, shuffle: false })) {
    let logits: tf.Tensor | undefined;
    let sums: tf.Tensor | undefined;
    let argMax: tf.Tensor | undefined;
    try {
      logits = await predict(batch.x);
      if (logits.rank !== 2 || logits.shape[0] !== batch.size || logits.shape[1] !== classes) {
        throw new DistillError(
          'SHAPE_MISMATCH',
          `${name} outputs [${logits.shape.join(', ')}] for a batch of ${batch.size}, but the data has ${classes} classes: it must output [${batch.size}, ${classes}] logits.`,
        );
      }
      const l = logits as tf.Tensor2D;
      sums = batchSums(l, batch.y, classes);
      argMax = tf.argMax(l, 1);
      const [batchLoss, batchCorrect] = await sums.data();
      lossSum += batchLoss!;
      correct += Math.round(batchCorrect!);
      predicted.push((await argMax.data()) as Int32Array);
      count += batch.size;
    } finally {
      tf.dispose([batch.x, batch.y, ...[logits, sums, argMax].filter((t) => t !== undefined)]);
    }
  }
  if (count === 0) {
    throw new DistillError(
      'INVALID_ARGUMENT',
      `evaluating ${name} needs at least one example, but the split is empty.`,
    );
  }
  const predictions = new Int32Array(count);
  let at = 0;
  for (const p of predicted) {
    predictions.set(p, at);
    at += p.length;
  }
  return {
    accuracy: correct / count,
    errors: count - correct,
    loss: lossSum / count,
    count,
    predictions,
  };
}

/** The fraction of examples on which two sets of predictions agree (top-1 agreement). */
export function agreement(a: Int32Array, b: Int32Array): number {
  if (a.length !== b.length || a.length === 0) {
    throw new DistillError(
      'INVALID_ARGUMENT',
      `agreement needs two equally long, non-empty sets of predictions, but got ${a.length} and ${b.length}.`,
    );
  }
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}
