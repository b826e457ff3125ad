/**
 * A classifier the way MMClassification builds one: a model that outputs logits, batch
 * augmentation applied inside its training loss, and a cross-entropy against soft labels.
 */
import * as tf from '@tensorflow/tfjs';
import { DistillError, DistillTypeError, describeValue } from '../errors.js';
import type { Augments } from '../augment/augments.js';
import { toSoftLabels } from '../augment/batch.js';
import { labelAssigners, LABEL_ASSIGNERS, type LabelAssignerName } from './label-assigners.js';

/** Options of {@link ImageClassifier}. */
export interface ImageClassifierOptions {
  /** A model mapping a batch of inputs to logits `[N, numClasses]`. */
  readonly model: tf.LayersModel;
  /** Batch augmentation applied to every training batch inside {@link ImageClassifier.loss}. */
  readonly augments?: Augments;
  /** Number of classes; default: the model's output width. */
  readonly numClasses?: number;
  /** Factor on the task loss (e.g. `1 - alpha` in Hinton's KD). Default 1. */
  readonly lossWeight?: number;
  /**
   * Which of {@link labelAssigners} turns logits and labels into training targets; called
   * through that object so a delivery can hand the student the teacher's assignment. Default:
   * the labels as given.
   */
  readonly labelAssigner?: LabelAssignerName;
  /**
   * What the model sees of a batch (a view's `apply`: resize, channels, scale), run after the
   * augments and before the model, so that a teacher and a student with different inputs can
   * share one augmented batch. Default: the batch as it is.
   */
  readonly preprocess?: (x: tf.Tensor) => tf.Tensor;
}

/** What {@link ImageClassifier.loss} returns; the caller owns (and disposes) both tensors. */
export interface ClassifierLoss {
  /** The weighted task loss. */
  readonly loss: tf.Scalar;
  /** The logits of the (augmented) batch. */
  readonly logits: tf.Tensor;
}

/**
 * Runs a label assigner as constant targets: no gradient flows back through them into the
 * logits (some assigners use ops without gradients, such as `equal`). Called through
 * {@link labelAssigners}, so that deliveries see the call.
 */
function assignTargets(name: LabelAssignerName, logits: tf.Tensor, soft: tf.Tensor): tf.Tensor {
  const assign = tf.customGrad((...inputs) => {
    const [l, s] = inputs as [tf.Tensor, tf.Tensor];
    return {
      value: labelAssigners[name](l, s),
      gradFunc: () => [tf.zerosLike(l), tf.zerosLike(s)],
    };
  });
  return assign(logits, soft);
}

/**
 * Wraps a logits model with its training-time behaviour.
 *
 * @example
 * ```ts
 * const student = new ImageClassifier({
 *   model: mlp({ hidden: [800, 800] }),
 *   augments: new Augments({ type: 'BatchMixup', alpha: 0.2, numClasses: 10 }),
 * });
 * const { loss } = student.loss(x, y);
 * ```
 */
export class ImageClassifier {
  /** The wrapped model. */
  readonly model: tf.LayersModel;
  /** The batch augmentation, if any. */
  readonly augments: Augments | undefined;
  /** The number of classes. */
  readonly numClasses: number;
  /** Factor on the task loss. */
  readonly lossWeight: number;
  /** The label assigner's name, if any. */
  readonly labelAssigner: LabelAssignerName | undefined;
  /** What the model sees of a batch, if it sees more than the batch itself. */
  readonly preprocess: ((x: tf.Tensor) => tf.Tensor) | undefined;

  /** @param options - The model and its training behaviour. */
  constructor(options: ImageClassifierOptions) {
    const model = (options as Partial<ImageClassifierOptions> | null)?.model;
    if (!(model instanceof tf.LayersModel)) {
      throw new DistillTypeError(
        'INVALID_ARGUMENT',
        `ImageClassifier expects options.model to be a tfjs LayersModel that outputs logits, but got ${describeValue(model)}.`,
      );
    }
    this.model = model;
    this.augments = options.augments;
    const width = model.outputs[0]?.shape[model.outputs[0].shape.length - 1];
    this.numClasses = options.numClasses ?? (typeof width === 'number' ? width : 0);
    if (!Number.isSafeInteger(this.numClasses) || this.numClasses < 2) {
      throw new DistillError(
        'INVALID_CONFIG',
        `Expected numClasses to be an integer >= 2, but got ${describeValue(this.numClasses)}; pass numClasses or use a model with a fixed output width.`,
      );
    }
    this.lossWeight = options.lossWeight ?? 1;
    if (
      typeof this.lossWeight !== 'number' ||
      !Number.isFinite(this.lossWeight) ||
      this.lossWeight < 0
    ) {
      throw new DistillError(
        'INVALID_CONFIG',
        `Expected lossWeight to be a non-negative number, but got ${describeValue(options.lossWeight)}.`,
      );
    }
    if (options.labelAssigner !== undefined && !LABEL_ASSIGNERS.includes(options.labelAssigner)) {
      throw new DistillError(
        'INVALID_CONFIG',
        `Unknown labelAssigner ${describeValue(options.labelAssigner)}; known: ${LABEL_ASSIGNERS.join(', ')}.`,
      );
    }
    this.labelAssigner = options.labelAssigner;
    if (options.preprocess !== undefined && typeof options.preprocess !== 'function') {
      throw new DistillTypeError(
        'INVALID_ARGUMENT',
        `Expected preprocess to be a function of a batch, but got ${describeValue(options.preprocess)}.`,
      );
    }
    this.preprocess = options.preprocess;
  }

  /** The batch as the model sees it (after {@link ImageClassifierOptions.preprocess}). */
  view(x: tf.Tensor): tf.Tensor {
    return this.preprocess ? this.preprocess(x) : x;
  }

  /** Logits of `x` (inference: no dropout). The caller owns the result. */
  predict(x: tf.Tensor): tf.Tensor {
    if (!this.preprocess) return this.model.apply(x, { training: false }) as tf.Tensor;
    return tf.tidy(() => this.model.apply(this.view(x), { training: false }) as tf.Tensor);
  }

  /**
   * The training loss of a batch: augments (if any) applied to `x` and `labels`, the preprocessing (if any), logits
   * from the model, targets from the label assigner (if any), and the mean softmax cross-entropy,
   * times `lossWeight`.
   *
   * @param x - Inputs `[N, ...]`.
   * @param labels - Class indices `[N]` or (soft) one-hot labels `[N, numClasses]`.
   * @param options - `training` toggles dropout (default true).
   */
  loss(x: tf.Tensor, labels: tf.Tensor, options: { training?: boolean } = {}): ClassifierLoss {
    const training = options.training ?? true;
    return tf.tidy(() => {
      const [inputs, soft] = this.augments
        ? this.augments.call(x, labels)
        : [x, toSoftLabels(labels, this.numClasses)];
      const logits = this.model.apply(this.view(inputs), { training }) as tf.Tensor;
      const targets = this.labelAssigner ? assignTargets(this.labelAssigner, logits, soft) : soft;
      const loss = tf.losses.softmaxCrossEntropy(targets, logits).mul<tf.Scalar>(this.lossWeight);
      return { loss, logits };
    });
  }
}
