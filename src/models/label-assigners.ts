/**
 * Label assignment: functions that turn a model's logits and the batch's (soft) labels into the
 * targets its task loss trains on. A classifier calls them through the {@link labelAssigners}
 * object at every step, so a `FunctionOutputsDelivery` on
 * `{ owner: labelAssigners, name }` (or `"tfjs-distill#labelAssigners.<name>"`) hands the
 * student the teacher's assignment: the seed's label-assignment use case.
 */
import * as tf from '@tensorflow/tfjs';

/** Computes training targets `[N, C]` from logits `[N, C]` and soft labels `[N, C]`. */
export type LabelAssigner = (logits: tf.Tensor, softLabels: tf.Tensor) => tf.Tensor2D;

/**
 * The built-in label assigners. Mutable on purpose: deliveries replace its members while a
 * scope is open.
 */
export const labelAssigners = {
  /** The labels as given (no assignment). */
  groundTruth(this: void, _logits: tf.Tensor, softLabels: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => softLabels.clone() as tf.Tensor2D);
  },
  /** One-hot of the model's own prediction (hard pseudo-labels). */
  pseudoLabels(this: void, logits: tf.Tensor, softLabels: tf.Tensor): tf.Tensor2D {
    return tf.tidy(
      () => tf.oneHot(logits.argMax(-1), softLabels.shape[1]!).toFloat() as tf.Tensor2D,
    );
  },
  /**
   * The ground truth where the model is right; its own prediction where it is wrong, weighted
   * by its confidence (a softened assignment in the spirit of label-assignment distillation).
   */
  confidenceWeighted(this: void, logits: tf.Tensor, softLabels: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => {
      const probs = tf.softmax(logits);
      const agree = tf.equal(probs.argMax(-1), softLabels.argMax(-1)).toFloat().expandDims(1);
      const confidence = probs.max(-1, true);
      const mixed = softLabels.mul(confidence).add(probs.mul(tf.scalar(1).sub(confidence)));
      return agree.mul(softLabels).add<tf.Tensor2D>(tf.scalar(1).sub(agree).mul(mixed));
    });
  },
};

/** The names of the built-in label assigners. */
export type LabelAssignerName = keyof typeof labelAssigners;

/** The built-in label assigner names, for validation and docs. */
export const LABEL_ASSIGNERS = Object.keys(labelAssigners) as LabelAssignerName[];
