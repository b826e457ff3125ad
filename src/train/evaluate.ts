/**
 * Accuracy and cross-entropy of a classifier that outputs logits, over a whole dataset.
 */
import * as tf from '@tensorflow/tfjs';
import { batches } from '../data/batches.js';
import { featureSizeOf, type Dataset } from '../data/dataset.js';
import { positiveInt } from '../data/options.js';
import { DistillError, DistillTypeError } from '../errors.js';

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** Examples per forward pass (default 1000); lower it to save memory. */
  readonly batchSize?: number;
}

/** What {@link evaluate} measures. */
export interface EvaluationResult {
  /** Fraction of examples whose highest logit is the label, in `[0, 1]`. */
  readonly accuracy: number;
  /** Number of misclassified examples. */
  readonly errors: number;
  /** Mean softmax cross-entropy of the logits against the labels (natural log). */
  readonly loss: number;
  /** Number of examples evaluated. */
  readonly count: number;
}

function classCountOf(model: tf.LayersModel): number {
  const shape = model.outputs.length === 1 ? model.outputs[0]!.shape : undefined;
  const classes = shape?.length === 2 ? shape[1] : undefined;
  if (typeof classes !== 'number') {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `evaluate expects a model with one output of shape [batch, classes] (logits), but ${model.name} outputs ${JSON.stringify(model.outputs.map((o) => o.shape))}.`,
    );
  }
  return classes;
}

/**
 * The summed cross-entropy and the number of correct predictions of a batch of logits, as a
 * tensor `[lossSum, correct]`. Cross-entropy per example is logsumexp(logits) minus the logit of
 * the label: stable, with no softmax.
 */
export function batchSums(logits: tf.Tensor2D, labels: tf.Tensor1D, classes: number): tf.Tensor1D {
  return tf.tidy(() => {
    const picked = tf.sum(tf.mul(logits, tf.oneHot(labels, classes)), 1);
    const losses = tf.sub(tf.logSumExp(logits, 1), picked);
    const hits = tf.equal(tf.argMax(logits, 1), labels);
    return tf.stack([tf.sum(losses), tf.sum(tf.cast(hits, 'float32'))]) as tf.Tensor1D;
  });
}

/**
 * Runs `model` in inference mode (dropout off) over every example of `dataset`, in order and in
 * batches, and measures accuracy and mean cross-entropy. The model must output logits (no
 * softmax). No tensor outlives a batch.
 *
 * @param model - A classifier with output `[batch, classes]`.
 * @param dataset - The examples; every label must be below the number of classes.
 * @param options - `batchSize`.
 * @throws DistillError `INVALID_ARGUMENT` for an empty dataset, a bad batch size, a model that
 *   does not output `[batch, classes]`, or a label out of range; `SHAPE_MISMATCH` when the
 *   model's input does not take the dataset's feature size.
 *
 * @example
 * ```ts
 * const { accuracy, errors } = await evaluate(student, mnist.test);
 * console.log(`${errors} test errors (${(accuracy * 100).toFixed(2)}%)`);
 * ```
 */
export async function evaluate(
  model: tf.LayersModel,
  dataset: Dataset,
  options: EvaluateOptions = {},
): Promise<EvaluationResult> {
  const featureSize = featureSizeOf(dataset);
  if (dataset.count === 0) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      'evaluate needs at least one example, but the dataset is empty.',
    );
  }
  const batchSize = positiveInt(options.batchSize ?? 1000, 'batchSize');
  const classes = classCountOf(model);
  const inputShape = model.inputs.length === 1 ? model.inputs[0]!.shape : undefined;
  if (inputShape?.length !== 2 || (inputShape[1] !== null && inputShape[1] !== featureSize)) {
    throw new DistillError(
      'SHAPE_MISMATCH',
      `evaluate feeds [batch, ${featureSize}] features, but ${model.name} expects input ${JSON.stringify(model.inputs.map((i) => i.shape))}; use a model with input shape [${featureSize}].`,
    );
  }
  const maxLabel = dataset.labels.reduce((max, label) => Math.max(max, label), 0);
  if (maxLabel >= classes) {
    throw new DistillError(
      'INVALID_ARGUMENT',
      `The dataset has label ${maxLabel}, but ${model.name} outputs only ${classes} classes; labels must be in [0, ${classes - 1}].`,
    );
  }

  let lossSum = 0;
  let correct = 0;
  for (const batch of batches(dataset, { batchSize, seed: 0, epoch: 0, shuffle: false })) {
    let sums: tf.Tensor;
    try {
      sums = tf.tidy(() =>
        batchSums(model.apply(batch.x, { training: false }) as tf.Tensor2D, batch.y, classes),
      );
    } finally {
      tf.dispose([batch.x, batch.y]);
    }
    try {
      const [batchLoss, batchCorrect] = await sums.data();
      lossSum += batchLoss!;
      correct += Math.round(batchCorrect!);
    } finally {
      sums.dispose();
    }
  }
  return {
    accuracy: correct / dataset.count,
    errors: dataset.count - correct,
    loss: lossSum / dataset.count,
    count: dataset.count,
  };
}
