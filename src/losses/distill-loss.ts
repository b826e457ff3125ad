/**
 * The contract every distillation loss fulfils, so a distiller can feed any of them by name.
 */
import type * as tf from '@tensorflow/tfjs';

/** Named input tensors of a loss, e.g. `{ predsS, predsT }`. */
export type LossInputs = Readonly<Record<string, tf.Tensor>>;

/**
 * A distillation loss: takes named tensors, returns the weighted loss.
 *
 * `forward` runs its math inside `tf.tidy`, never disposes its inputs, and is differentiable
 * with respect to the student's inputs, so it can be called inside `optimizer.minimize`.
 *
 * @example
 * ```ts
 * const loss: DistillLoss = new KLDivergence({ tau: 4 });
 * const value = loss.forward({ predsS: studentLogits, predsT: teacherLogits });
 * ```
 */
export interface DistillLoss {
  /** The input names `forward` requires, e.g. `['predsS', 'predsT']`. */
  readonly inputNames: readonly string[];
  /** The factor the loss is multiplied by before `forward` returns it. */
  readonly lossWeight: number;
  /**
   * Computes the loss, already multiplied by {@link DistillLoss.lossWeight}.
   *
   * @param inputs - One tensor per name in {@link DistillLoss.inputNames}.
   * @returns A scalar, except with `reduction: 'none'`, which returns one loss per sample
   *   (shape `[N]`).
   * @throws `MISSING_INPUT` for a missing input, `SHAPE_MISMATCH` for shapes that do not fit.
   */
  forward(inputs: LossInputs): tf.Tensor;
}
