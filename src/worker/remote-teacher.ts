/**
 * What TeacherPrefetch needs of a teacher that runs elsewhere: a TeacherWorker (a tfjs teacher
 * in a worker thread), or another asynchronous teacher such as an ONNX session.
 */
import type * as tf from '@tensorflow/tfjs';
import type { TeacherOutputs } from './teacher-worker.js';

/**
 * A teacher whose forward pass is asynchronous, with the records of the teacher recorders.
 * {@link TeacherWorker} is one; `onnxRemoteTeacher` makes one of an ONNX teacher.
 */
export interface RemoteTeacher {
  /** The names of the teacher recorders whose records `forward` returns. */
  readonly recorderNames: readonly string[];
  /**
   * Runs the teacher (inference mode) on `input`; the caller may dispose `input` as soon as
   * this returns, and owns the tensors of the result. Requests are answered in order.
   */
  forward(input: tf.Tensor): Promise<TeacherOutputs>;
  /** Frees the teacher; requests in flight reject. */
  close(): Promise<void>;
  /** Requests in flight, where the teacher counts them. */
  readonly inFlight?: number;
  /**
   * Runs `fn` while the teacher's stand-in model on this thread answers synchronously with
   * placeholders of the right shapes. TeacherPrefetch builds the connectors, which need only
   * shapes, inside it. Omitted when the teacher's model runs on this thread too (TeacherWorker).
   */
  probeShapes?<R>(fn: () => R): R;
}
