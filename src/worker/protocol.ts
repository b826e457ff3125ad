/**
 * The messages between a {@link TeacherWorker} and its worker thread. Everything here is
 * structured-cloneable; tensors travel as {@link EncodedValue}s.
 */
import type * as tf from '@tensorflow/tfjs';
import type { EncodedValue } from './tensor-codec.js';

/** A teacher recorder the worker rebuilds: a layer recorder, by its name in the distiller. */
export interface WorkerRecorderSpec {
  /** The recorder's name among the distiller's teacher recorders. */
  readonly name: string;
  /** Its type. */
  readonly type: 'LayerOutputs' | 'LayerInputs';
  /** The layer's name. */
  readonly source: string;
}

/** Main to worker: load the model, build the recorders. Answered by `ready` or `failed`. */
export interface InitMessage {
  readonly type: 'init';
  /** The backend to run on. */
  readonly backend: string;
  /** Where the wasm backend finds its binaries, if not its default. */
  readonly wasmPaths: string | undefined;
  /** Modules to import first (custom layers, other backends), as URLs or bare specifiers. */
  readonly setupModules: readonly string[];
  /** The teacher, as saved by `model.save(tf.io.withSaveHandler(...))`. */
  readonly artifacts: tf.io.ModelArtifacts;
  /** The recorders to run around the teacher's forward pass. */
  readonly recorders: readonly WorkerRecorderSpec[];
}

/** Main to worker: run the teacher on an input. Answered by `records` or `failed`. */
export interface ForwardMessage {
  readonly type: 'forward';
  /** Matches the answer to the request. */
  readonly id: number;
  /** The input batch. */
  readonly input: EncodedValue;
}

/** Worker to main: the worker is ready for forward requests. */
export interface ReadyMessage {
  readonly type: 'ready';
  /** The backend the worker runs on. */
  readonly backend: string;
}

/** Worker to main: what each recorder recorded during one forward pass. */
export interface RecordsMessage {
  readonly type: 'records';
  /** The request answered. */
  readonly id: number;
  /** Per recorder name, its records in order. */
  readonly records: readonly (readonly [string, readonly EncodedValue[]])[];
  /** The teacher's output (its logits, for a classifier). */
  readonly output: EncodedValue;
}

/** Worker to main: a request (or, without `id`, the start-up) failed. */
export interface FailedMessage {
  readonly type: 'failed';
  /** The request that failed; absent when the start-up failed. */
  readonly id?: number;
  /** The error's code, when it was a tfjs-distill error. */
  readonly code: string | undefined;
  /** The error's message. */
  readonly message: string;
}

/** Any message to the worker. */
export type ToWorker = InitMessage | ForwardMessage;

/** Any message from the worker. */
export type FromWorker = ReadyMessage | RecordsMessage | FailedMessage;
