/**
 * Distillation steps with the teacher one batch ahead, in a worker thread: while the student
 * trains on batch t here, the worker runs the teacher on batch t + 1. The teacher's augments
 * still run on this thread, so deliveries record them as usual; their queues hold two batches
 * at a time, which is what the first-in-first-out queues are for.
 */
import * as tf from '@tensorflow/tfjs';
import { DistillError, DistillTypeError, describeValue } from '../errors.js';
import { forEachTensor, isTensor } from '../tensor/nested.js';
import { toSoftLabels } from '../augment/batch.js';
import type { DistillDelivery } from '../delivery/distill-delivery.js';
import { labelAssigners } from '../models/label-assigners.js';
import type { RemoteTeacher } from '../worker/remote-teacher.js';
import type { TeacherOutputs } from '../worker/teacher-worker.js';
import { SingleTeacherDistill, type StepLosses } from './single-teacher-distill.js';

interface PendingBatch {
  readonly x: tf.Tensor;
  readonly y: tf.Tensor;
  /** The teacher's soft labels of its augmented batch, for its label assigner. */
  readonly soft: tf.Tensor | undefined;
  /** Deliveries that recorded nothing during the augments: the label assigner's, presumably. */
  readonly deferred: readonly DistillDelivery[];
  readonly outputs: Promise<TeacherOutputs>;
}

function disposeBatch(batch: PendingBatch): void {
  tf.dispose([batch.x, batch.y, ...(batch.soft ? [batch.soft] : [])]);
}

function disposeOutputs(outputs: TeacherOutputs): void {
  outputs.output.dispose();
  for (const values of outputs.records.values()) forEachTensor(values, (t) => t.dispose());
}

/**
 * Runs a {@link SingleTeacherDistill} with its teacher in a {@link TeacherWorker} (or another
 * {@link RemoteTeacher}, such as an ONNX teacher), one batch ahead of the student. Push the next batch before training on the current one:
 *
 * @example
 * ```ts
 * const worker = await TeacherWorker.start({ model: teacher, recorders: algo.distiller.teacherRecorders });
 * const prefetch = new TeacherPrefetch(algo, worker);
 * const it = batches(train, { batchSize: 128, seed, epoch })[Symbol.iterator]();
 * for (let next = it.next(); prefetch.size > 0 || !next.done; ) {
 *   if (!next.done) { prefetch.push(next.value.x, next.value.y); tf.dispose([next.value.x, next.value.y]); next = it.next(); }
 *   if (prefetch.size > 1 || next.done) await prefetch.trainStep(optimizer);
 * }
 * await worker.close();
 * ```
 *
 * Every delivery needs `maxKeepData` of 2 or more (two batches are queued at a time); the
 * teacher must be frozen and have only layer recorders. Its label assigner, if any, runs here
 * when the worker's logits arrive. Steps give the same losses as `algo.trainStep` on the same
 * batches, on the same backend.
 */
export class TeacherPrefetch {
  /** The distillation whose steps this runs. */
  readonly algo: SingleTeacherDistill;
  /** The worker (or other remote teacher) running the teacher. */
  readonly worker: RemoteTeacher;
  private readonly batches: PendingBatch[] = [];
  private stepping = false;
  /** Counts clear() calls, so that a step waiting for the worker can tell it was dropped. */
  private generation = 0;

  /**
   * @param algo - The distillation; its teacher's model should be the one the worker runs.
   * @param worker - A started worker (or another remote teacher) with the same teacher
   *   recorders as `algo`'s distiller.
   * @throws `INVALID_CONFIG` naming what cannot run ahead in a worker.
   */
  constructor(algo: SingleTeacherDistill, worker: RemoteTeacher) {
    if (!(algo instanceof SingleTeacherDistill)) {
      throw new DistillTypeError(
        'INVALID_ARGUMENT',
        `TeacherPrefetch expects a SingleTeacherDistill, but got ${describeValue(algo)}.`,
      );
    }
    if (typeof (worker as Partial<RemoteTeacher> | null)?.forward !== 'function') {
      throw new DistillTypeError(
        'INVALID_ARGUMENT',
        `TeacherPrefetch expects a started TeacherWorker or another RemoteTeacher, but got ${describeValue(worker)}.`,
      );
    }
    if (algo.teacherTrainable) {
      throw new DistillError(
        'INVALID_CONFIG',
        'A teacher worker runs a frozen copy of the teacher, but teacherTrainable is true. Train the teacher on this thread (trainStep), or freeze it.',
      );
    }
    for (const delivery of algo.distiller.deliveries.deliveries.values()) {
      if (delivery.maxKeepData < 2) {
        throw new DistillError(
          'INVALID_CONFIG',
          `The delivery of ${delivery.target} keeps ${delivery.maxKeepData} recording; with a teacher worker the next batch's recordings wait in the queue while the student trains on the current one. Set its maxKeepData to 2 or more.`,
        );
      }
    }
    const expected = [...algo.distiller.teacherRecorders.recorders.keys()].sort();
    const got = [...worker.recorderNames].sort();
    if (expected.join('\0') !== got.join('\0')) {
      throw new DistillError(
        'INVALID_CONFIG',
        `The worker runs the teacher recorders [${got.join(', ')}], but the distiller has [${expected.join(', ')}]. Start the worker with recorders: algo.distiller.teacherRecorders.`,
      );
    }
    this.algo = algo;
    this.worker = worker;
  }

  /** Batches pushed and not trained on yet. */
  get size(): number {
    return this.batches.length;
  }

  /**
   * Starts the teacher phase of a batch: its augments run here (recorded by the deliveries)
   * and its forward pass is sent to the worker. The batch is copied, so the caller may dispose
   * `x` and `y` right away.
   *
   * @throws `QUEUE_FULL` when as many batches wait as some delivery can keep;
   *   `INVALID_CONFIG` if a delivery did not record exactly one call during the teacher's
   *   augments (or, with a teacher label assigner, during that at the step): it targets
   *   something the teacher's model calls, which runs in the worker.
   */
  push(x: tf.Tensor, y: tf.Tensor): void {
    for (const [name, value] of [
      ['x', x],
      ['y', y],
    ] as const) {
      if (!isTensor(value)) {
        throw new DistillTypeError(
          'INVALID_ARGUMENT',
          `TeacherPrefetch.push expects ${name} to be a tensor, but got ${describeValue(value)}.`,
        );
      }
    }
    const { distiller, teacher } = this.algo;
    for (const delivery of distiller.deliveries.deliveries.values()) {
      if (this.batches.length >= delivery.maxKeepData) {
        throw new DistillError(
          'QUEUE_FULL',
          `TeacherPrefetch.push: ${this.batches.length} batches are waiting and the delivery of ${delivery.target} keeps at most ${delivery.maxKeepData} recordings. Train on one (trainStep) before pushing another, or raise its maxKeepData.`,
        );
      }
    }
    if (!distiller.connectorsBuilt) {
      // Connectors take their shapes from a first pass with both models, on this thread;
      // resetting the distiller there also empties the delivery queues, which hold nothing yet.
      // A teacher whose model cannot run here answers that pass with placeholders of its shapes.
      const build = (): void => this.algo.buildConnectors(x, y);
      if (this.worker.probeShapes) this.worker.probeShapes(build);
      else build();
    }
    const deliveries = [...distiller.deliveries.deliveries.values()];
    const before = deliveries.map((d) => d.size);
    distiller.deliveries.overrideData = false;
    const [input, soft] = tf.tidy(() =>
      distiller.deliveries.run((): [tf.Tensor, tf.Tensor | undefined] => {
        const [xm, ym] = teacher.augments
          ? teacher.augments.call(x, y)
          : [x.clone(), toSoftLabels(y, teacher.numClasses)];
        return [xm, teacher.labelAssigner ? ym : undefined];
      }),
    );
    try {
      const deferred: DistillDelivery[] = [];
      deliveries.forEach((delivery, i) => {
        const recorded = delivery.size - before[i]!;
        if (recorded === 0 && teacher.labelAssigner !== undefined) deferred.push(delivery);
        else if (recorded !== 1) {
          // This push's recordings, in the queues of the other deliveries, must go too.
          this.clear();
          throw this.misaligned(delivery, recorded, "the teacher's augments");
        }
      });
      // The worker runs the model alone: the teacher's view of the batch is taken here.
      const viewed = teacher.view(input);
      let outputs: Promise<TeacherOutputs>;
      try {
        outputs = this.worker.forward(viewed);
      } finally {
        if (viewed !== input) viewed.dispose();
      }
      // Awaited by trainStep; until then a failure must not count as unhandled.
      outputs.catch(() => undefined);
      this.batches.push({
        x: tf.keep(x.clone()),
        y: tf.keep(y.clone()),
        soft: soft ? tf.keep(soft.clone()) : undefined,
        deferred,
        outputs,
      });
    } finally {
      tf.dispose([input, ...(soft ? [soft] : [])]);
    }
  }

  /** Says which delivery recorded what instead of one call. */
  private misaligned(delivery: DistillDelivery, recorded: number, during: string): DistillError {
    return new DistillError(
      'INVALID_CONFIG',
      `The delivery of ${delivery.target} recorded ${recorded} calls while ${during} ran, not 1. With a teacher worker only what the teacher's augments and label assigner call can be delivered; the teacher's model runs in the worker.`,
    );
  }

  /** Runs the teacher's label assigner on the worker's logits, recorded by the deliveries. */
  private assignLabels(batch: PendingBatch, logits: tf.Tensor): void {
    const name = this.algo.teacher.labelAssigner;
    if (name === undefined) return;
    const { deliveries } = this.algo.distiller;
    const before = batch.deferred.map((d) => d.size);
    deliveries.overrideData = false;
    // Called through the object, as ImageClassifier calls it, so that deliveries see the call.
    // The targets themselves are not needed here: the delivery keeps its own copy.
    tf.tidy(() => {
      deliveries.run(() => labelAssigners[name](logits, batch.soft!));
    });
    batch.deferred.forEach((delivery, i) => {
      const recorded = delivery.size - before[i]!;
      if (recorded !== 1) {
        throw this.misaligned(delivery, recorded, "the teacher's augments and label assigner");
      }
    });
  }

  /**
   * Trains the student on the oldest pushed batch, once the worker has answered for it. On
   * failure every pushed batch is dropped (see {@link clear}) before the error is rethrown.
   *
   * @returns The loss values by name, plus their sum as `loss` (as `trainStep` returns them).
   * @throws `QUEUE_EMPTY` when no batch was pushed; `WORKER_FAILED` when the worker failed.
   */
  async trainStep(optimizer: tf.Optimizer): Promise<StepLosses> {
    if (this.stepping) {
      throw new DistillError(
        'INVALID_ARGUMENT',
        'TeacherPrefetch.trainStep was called while the previous step was still running; await each step.',
      );
    }
    const batch = this.batches.shift();
    if (batch === undefined) {
      throw new DistillError(
        'QUEUE_EMPTY',
        'TeacherPrefetch.trainStep found no batch: push(x, y) the batch (and the next one) first.',
      );
    }
    this.stepping = true;
    const generation = this.generation;
    let outputs: TeacherOutputs | undefined;
    try {
      try {
        outputs = await batch.outputs;
      } catch (error) {
        if (generation === this.generation) this.clear();
        throw error;
      }
      if (generation !== this.generation) {
        // clear() ran while this step waited: its batch's recordings are gone, and batches
        // pushed since then must not be replayed in its place.
        throw new DistillError(
          'INVALID_ARGUMENT',
          'TeacherPrefetch.clear() was called while trainStep waited for the worker, so the step was dropped with its batch. Await each step before clearing.',
        );
      }
      try {
        this.assignLabels(batch, outputs.output);
        const { teacherRecorders } = this.algo.distiller;
        for (const [name, values] of outputs.records) {
          teacherRecorders.getRecorder(name).setRecords(values);
        }
        const losses = this.algo.studentStep(optimizer, batch.x, batch.y);
        this.checkReplayed();
        return losses;
      } catch (error) {
        this.clear();
        throw error;
      }
    } finally {
      this.stepping = false;
      disposeBatch(batch);
      if (outputs) disposeOutputs(outputs);
    }
  }

  /**
   * After a student step, each delivery must hold the recordings of the batches still waiting,
   * no more and no fewer: the student replayed exactly what the teacher recorded for its batch.
   * (`trainStep` drops what the student left; here it would be replayed by the next batch.)
   */
  private checkReplayed(): void {
    for (const delivery of this.algo.distiller.deliveries.deliveries.values()) {
      const expected = this.batches.filter((b) => !b.deferred.includes(delivery)).length;
      if (delivery.size !== expected) {
        const left = delivery.size - expected;
        throw new DistillError(
          'INVALID_CONFIG',
          left > 0
            ? `The student did not replay the delivery of ${delivery.target} during this step, though the teacher recorded it. With a teacher worker the student must make the same calls as the teacher; check its augments and label assigner.`
            : `The student replayed the delivery of ${delivery.target} more often than the teacher recorded it for this batch, taking the next batch's recording. With a teacher worker the student must make the same calls as the teacher.`,
        );
      }
    }
  }

  /**
   * Drops every pushed batch: their copies, their queued deliveries and (when they arrive)
   * the worker's answers for them. The worker stays usable. A `trainStep` still waiting for
   * the worker then rejects.
   */
  clear(): void {
    this.generation++;
    for (const batch of this.batches.splice(0)) {
      disposeBatch(batch);
      batch.outputs.then(disposeOutputs, () => undefined);
    }
    this.algo.distiller.reset();
  }
}
