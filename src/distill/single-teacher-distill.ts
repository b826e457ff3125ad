/**
 * The distillation step with one teacher, as MMRazor's SingleTeacherDistill runs it: the
 * teacher runs with deliveries recording and its recorders on; the student runs with
 * deliveries replaying and its recorders on; then the distillation losses.
 */
import * as tf from '@tensorflow/tfjs';
import { DistillError, describeValue } from '../errors.js';
import { ImageClassifier } from '../models/image-classifier.js';
import {
  ConfigurableDistiller,
  type ConfigurableDistillerOptions,
} from './configurable-distiller.js';

/** Options of {@link SingleTeacherDistill}. */
export interface SingleTeacherDistillOptions {
  /** The teacher: a classifier, or a logits model (wrapped in a plain classifier). */
  readonly teacher: ImageClassifier | tf.LayersModel;
  /** The student: a classifier, or a logits model (wrapped in a plain classifier). */
  readonly student: ImageClassifier | tf.LayersModel;
  /** The distiller, or its options. */
  readonly distiller: ConfigurableDistiller | ConfigurableDistillerOptions;
  /** Train the teacher too (its task loss joins the total). Default false. */
  readonly teacherTrainable?: boolean;
  /** Include the student's own task loss. Default true. */
  readonly calculateStudentLoss?: boolean;
}

/** Loss values of one step by name: `student.loss`, `distill.<name>`, `teacher.loss`, `loss`. */
export type StepLosses = Record<string, number>;

function asClassifier(value: unknown, role: string): ImageClassifier {
  if (value instanceof ImageClassifier) return value;
  if (value instanceof tf.LayersModel) return new ImageClassifier({ model: value });
  throw new DistillError(
    'INVALID_ARGUMENT',
    `Expected ${role} to be an ImageClassifier or a tfjs LayersModel, but got ${describeValue(value)}.`,
  );
}

/**
 * One teacher, one student, one distiller.
 *
 * @example
 * ```ts
 * const algo = new SingleTeacherDistill({ teacher, student, distiller: { ...kdConfig } });
 * const optimizer = tf.train.adam(1e-3);
 * for (const { x, y } of batches(train, { batchSize: 128, seed, epoch })) {
 *   const losses = algo.trainStep(optimizer, x, y); // { loss, 'student.loss', 'distill.loss_kd' }
 *   tf.dispose([x, y]);
 * }
 * ```
 */
export class SingleTeacherDistill {
  /** The teacher classifier. */
  readonly teacher: ImageClassifier;
  /** The student classifier. */
  readonly student: ImageClassifier;
  /** The distiller. */
  readonly distiller: ConfigurableDistiller;
  /** Whether the teacher trains too. */
  readonly teacherTrainable: boolean;
  /** Whether the student's own task loss is included. */
  readonly calculateStudentLoss: boolean;

  /** @param options - The models and the distiller. */
  constructor(options: SingleTeacherDistillOptions) {
    this.teacher = asClassifier(options.teacher, 'teacher');
    this.student = asClassifier(options.student, 'student');
    if (this.teacher.model === this.student.model) {
      throw new DistillError(
        'INVALID_ARGUMENT',
        'The teacher and the student are the same model; distillation needs two models.',
      );
    }
    this.distiller =
      options.distiller instanceof ConfigurableDistiller
        ? options.distiller
        : new ConfigurableDistiller(options.distiller);
    this.teacherTrainable = options.teacherTrainable ?? false;
    this.calculateStudentLoss = options.calculateStudentLoss ?? true;
    for (const [key, value] of [
      ['teacherTrainable', this.teacherTrainable],
      ['calculateStudentLoss', this.calculateStudentLoss],
    ] as const) {
      if (typeof value !== 'boolean') {
        throw new DistillError(
          'INVALID_CONFIG',
          `Expected ${key} to be true or false, but got ${describeValue(value)}.`,
        );
      }
    }
    if (!this.calculateStudentLoss && !this.teacherTrainable && this.distiller.losses.size === 0) {
      throw new DistillError(
        'INVALID_CONFIG',
        'Nothing to train: calculateStudentLoss is false and there are no distillLosses.',
      );
    }
    this.distiller.prepareFromStudent(this.student.model).prepareFromTeacher(this.teacher.model);
  }

  /** The variables a step updates: the student's, the connectors' and, if trainable, the teacher's. */
  get trainableWeights(): tf.Variable[] {
    const weights = [
      ...this.student.model.trainableWeights.map((w) => w.read() as tf.Variable),
      ...this.distiller.trainableWeights,
    ];
    if (this.teacherTrainable)
      weights.push(...this.teacher.model.trainableWeights.map((w) => w.read() as tf.Variable));
    return weights;
  }

  /**
   * The named losses of a batch (teacher, then student, then distillation), without updating
   * anything. The caller owns the scalars; recorded tensors are kept until the next call or
   * `distiller.reset()`.
   */
  loss(x: tf.Tensor, y: tf.Tensor): Record<string, tf.Scalar> {
    return { ...this.teacherPhase(x, y), ...this.studentPhase(x, y) };
  }

  /**
   * Builds the connectors that take their input size from their first input, with one forward
   * pass on the batch that updates nothing; does nothing when every connector is built.
   * `trainStep` calls it before its first step. Call it yourself before reading
   * `trainableWeights` or restoring connector weights from a checkpoint; any batch of the
   * training data will do.
   */
  buildConnectors(x: tf.Tensor, y: tf.Tensor): void {
    if (this.distiller.connectorsBuilt) return;
    try {
      tf.dispose(this.loss(x, y));
    } finally {
      this.distiller.reset();
    }
  }

  /**
   * One optimisation step on a batch. Only the student's and the connectors' weights change
   * (and the teacher's, with `teacherTrainable`); the teacher's forward pass runs outside the
   * gradient tape. Every intermediate tensor is disposed.
   *
   * @returns The loss values by name, plus their sum as `loss`.
   */
  trainStep(optimizer: tf.Optimizer, x: tf.Tensor, y: tf.Tensor): StepLosses {
    // Lazily built connectors must exist before the step, so the variable list includes them.
    this.buildConnectors(x, y);
    try {
      if (!this.teacherTrainable) this.teacherPhase(x, y);
      return this.optimize(optimizer, x, y);
    } finally {
      this.distiller.reset();
    }
  }

  /**
   * The student's half of {@link trainStep}, for a batch whose teacher phase ran elsewhere: the
   * teacher recorders already hold this batch's records (see `BaseRecorder.setRecords`) and the
   * deliveries hold its recordings, first in their queues. {@link TeacherPrefetch} uses it to
   * run the teacher in a worker thread. Afterwards both sides' recorders are reset; queued
   * deliveries of later batches stay.
   *
   * @returns The loss values by name, plus their sum as `loss`.
   * @throws `INVALID_CONFIG` when the teacher is trainable (its phase is part of the step);
   *   `NOT_BUILT` when the connectors are not built yet (call {@link buildConnectors} first).
   */
  studentStep(optimizer: tf.Optimizer, x: tf.Tensor, y: tf.Tensor): StepLosses {
    if (this.teacherTrainable) {
      throw new DistillError(
        'INVALID_CONFIG',
        'studentStep needs a frozen teacher, but teacherTrainable is true: the teacher phase is part of the step. Use trainStep.',
      );
    }
    if (!this.distiller.connectorsBuilt) {
      throw new DistillError(
        'NOT_BUILT',
        'studentStep found the connectors not built yet; call buildConnectors(x, y) first.',
      );
    }
    try {
      return this.optimize(optimizer, x, y);
    } finally {
      this.distiller.studentRecorders.reset();
      this.distiller.teacherRecorders.reset();
    }
  }

  /** Minimises the losses of the student phase (and of the teacher's, when it trains). */
  private optimize(optimizer: tf.Optimizer, x: tf.Tensor, y: tf.Tensor): StepLosses {
    let parts: Record<string, tf.Scalar> = {};
    let total: tf.Scalar | null = null;
    try {
      total = optimizer.minimize(
        () => {
          const computed = {
            ...(this.teacherTrainable ? this.teacherPhase(x, y) : {}),
            ...this.studentPhase(x, y),
          };
          parts = Object.fromEntries(Object.entries(computed).map(([k, v]) => [k, tf.keep(v)]));
          return tf.addN(Object.values(computed));
        },
        true,
        this.trainableWeights,
      );
      const names = Object.keys(parts);
      const values = tf.tidy(() => tf.stack([total!, ...names.map((n) => parts[n]!)]).dataSync());
      const out: StepLosses = { loss: values[0]! };
      names.forEach((n, i) => (out[n] = values[i + 1]!));
      return out;
    } finally {
      tf.dispose([...Object.values(parts), ...(total ? [total] : [])]);
    }
  }

  private teacherPhase(x: tf.Tensor, y: tf.Tensor): Record<string, tf.Scalar> {
    const { deliveries, teacherRecorders } = this.distiller;
    deliveries.overrideData = false;
    const run = (): Record<string, tf.Scalar> =>
      deliveries.run(() =>
        teacherRecorders.run((): Record<string, tf.Scalar> => {
          // Teacher in inference mode (no dropout); its augments still run, to be delivered.
          const { loss, logits } = this.teacher.loss(x, y, { training: this.teacherTrainable });
          logits.dispose();
          if (this.teacherTrainable) return { 'teacher.loss': loss };
          loss.dispose();
          return {};
        }),
      );
    return this.teacherTrainable ? run() : tf.tidy(() => (run(), {}));
  }

  private studentPhase(x: tf.Tensor, y: tf.Tensor): Record<string, tf.Scalar> {
    const { deliveries, studentRecorders } = this.distiller;
    deliveries.overrideData = true;
    const out: Record<string, tf.Scalar> = {};
    const { loss, logits } = deliveries.run(() =>
      studentRecorders.run(() => this.student.loss(x, y)),
    );
    logits.dispose();
    if (this.calculateStudentLoss) out['student.loss'] = loss;
    else loss.dispose();
    for (const [name, value] of Object.entries(this.distiller.computeDistillLosses(y))) {
      out[`distill.${name}`] = value;
    }
    return out;
  }
}
