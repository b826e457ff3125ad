/**
 * A teacher that runs in a worker thread: its forward passes, with its layer recorders, run
 * beside the main thread, which meanwhile trains the student. The wasm and cpu backends use one
 * thread each in Node.js, so on a machine with a spare core the teacher's time is hidden.
 */
import * as tf from '@tensorflow/tfjs';
import {
  DistillError,
  DistillTypeError,
  ERROR_CODES,
  describeValue,
  type DistillErrorCode,
} from '../errors.js';
import { LayerInputsRecorder, LayerOutputsRecorder } from '../recorder/layer-recorders.js';
import { RecorderManager, type RecorderConfigs } from '../recorder/recorder-manager.js';
import type { FromWorker, ToWorker, WorkerRecorderSpec } from './protocol.js';
import { spawnWorker, type WorkerLink } from './worker-link.js';
import { decodeValue, encodeValue } from './tensor-codec.js';

/** Options of {@link TeacherWorker.start}. */
export interface TeacherWorkerOptions {
  /** The teacher; a copy is sent to the worker (its weights as they are now). */
  readonly model: tf.LayersModel;
  /**
   * The teacher's recorders (a distiller's `teacherRecorders`, or their configs). Only layer
   * recorders (`LayerOutputs`, `LayerInputs` and their `Module*` aliases) can run in a worker.
   */
  readonly recorders: RecorderManager | RecorderConfigs;
  /** The worker's backend. Default: the backend active on this thread when `start` is called. */
  readonly backend?: string;
  /** Where the worker's wasm backend finds its binaries, if not its default. */
  readonly wasmPaths?: string;
  /**
   * Modules the worker imports before loading the teacher: ones that register custom layers or
   * another backend. Absolute URLs (`import.meta.resolve(...)`) or bare package specifiers.
   */
  readonly setupModules?: readonly string[];
}

/** What one forward pass in the worker gives back; the tensors in it are yours to dispose. */
export interface TeacherOutputs {
  /** Per recorder name, its records in order. */
  readonly records: Map<string, unknown[]>;
  /** The teacher's output (its logits, for a classifier). */
  readonly output: tf.Tensor;
}

interface Pending {
  resolve(outputs: TeacherOutputs): void;
  reject(error: Error): void;
}

function recorderSpecs(recorders: RecorderManager | RecorderConfigs): WorkerRecorderSpec[] {
  const manager =
    recorders instanceof RecorderManager
      ? recorders
      : new RecorderManager(recorders, { path: 'recorders' });
  return [...manager.recorders].map(([name, recorder]) => {
    if (recorder instanceof LayerOutputsRecorder) {
      return { name, type: 'LayerOutputs', source: recorder.source };
    }
    if (recorder instanceof LayerInputsRecorder) {
      return { name, type: 'LayerInputs', source: recorder.source };
    }
    throw new DistillError(
      'INVALID_CONFIG',
      `Teacher recorder "${name}" (${recorder.sourceLabel}) cannot run in a worker thread: only ` +
        'LayerOutputs and LayerInputs recorders follow the teacher there. Record that value ' +
        'from a layer, or train without a teacher worker.',
    );
  });
}

/**
 * The teacher's forward pass in a worker thread.
 *
 * `forward` sends an input batch and resolves with the teacher's output and what its layer
 * recorders recorded; requests are answered in order, and any number may be in flight. Use it
 * through {@link TeacherPrefetch}, which overlaps the teacher of the next batch with the
 * student's step on the current one.
 *
 * @example
 * ```ts
 * const worker = await TeacherWorker.start({ model: teacher, recorders: algo.distiller.teacherRecorders });
 * try {
 *   const { output, records } = await worker.forward(x); // records: Map { 'logits' => [tensor] }
 * } finally {
 *   await worker.close();
 * }
 * ```
 */
export class TeacherWorker {
  /** The names of the recorders the worker runs, in order. */
  readonly recorderNames: readonly string[];
  /** The backend the worker runs on. */
  readonly backend: string;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: Error | undefined;

  private constructor(
    private readonly link: WorkerLink,
    specs: readonly WorkerRecorderSpec[],
    backend: string,
  ) {
    this.recorderNames = specs.map((s) => s.name);
    this.backend = backend;
  }

  /**
   * Starts a worker, sends it the teacher and waits until it is ready.
   *
   * @throws `INVALID_CONFIG` for a recorder that cannot run in a worker, `INVALID_ARGUMENT` for a
   *   model that is not a LayersModel, and `WORKER_FAILED` when the worker cannot load the
   *   teacher (or the code of the worker's own error, such as `BACKEND_UNAVAILABLE`).
   */
  static async start(options: TeacherWorkerOptions): Promise<TeacherWorker> {
    const model = (options as Partial<TeacherWorkerOptions> | null)?.model;
    if (!(model instanceof tf.LayersModel)) {
      throw new DistillTypeError(
        'INVALID_ARGUMENT',
        `TeacherWorker.start expects options.model to be a tfjs LayersModel, but got ${describeValue(model)}.`,
      );
    }
    const specs = recorderSpecs(options.recorders ?? {});
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler((a) => {
        artifacts = a;
        return Promise.resolve({
          modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' },
        });
      }),
    );
    let settle: { resolve(backend: string): void; reject(error: Error): void } | undefined;
    const ready = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
    let worker: TeacherWorker | undefined;
    const link = spawnWorker(
      (message) => {
        if (worker) worker.receive(message);
        else if (message.type === 'ready') settle!.resolve(message.backend);
        else if (message.type === 'failed') {
          settle!.reject(workerError('start', message.message, message.code));
        }
      },
      (error) => {
        if (worker) worker.fail(error);
        else settle!.reject(workerError('start', error.message));
      },
    );
    link.post({
      type: 'init',
      backend: options.backend ?? tf.getBackend(),
      wasmPaths: options.wasmPaths,
      setupModules: [...(options.setupModules ?? [])],
      artifacts: artifacts!,
      recorders: specs,
    });
    try {
      worker = new TeacherWorker(link, specs, await ready);
    } catch (error) {
      await link.terminate();
      throw error;
    }
    link.ref(false);
    return worker;
  }

  /** Requests in flight. */
  get inFlight(): number {
    return this.pending.size;
  }

  /**
   * Runs the teacher (inference mode) on `input` in the worker. The input's data is copied
   * now, so the caller may dispose it right away.
   *
   * @returns The teacher's output and, per recorder name, its records; the tensors are
   *   created when the promise settles, and the caller owns them.
   * @throws (rejects with) `WORKER_FAILED` if the worker failed or was closed, or the worker's
   *   own error (for example a shape that does not fit the teacher).
   */
  forward(input: tf.Tensor): Promise<TeacherOutputs> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const transfer: ArrayBuffer[] = [];
    const message: ToWorker = { type: 'forward', id, input: encodeValue(input, transfer) };
    const answer = new Promise<TeacherOutputs>((resolve, reject) =>
      this.pending.set(id, { resolve, reject }),
    );
    this.link.ref(true);
    this.link.post(message, transfer);
    return answer;
  }

  /** Stops the worker; requests in flight reject with `WORKER_FAILED`. Safe to call twice. */
  async close(): Promise<void> {
    this.fail(new DistillError('WORKER_FAILED', 'The teacher worker was closed.'));
    // Keep the process alive until the thread is gone, or awaiting close() could be the last
    // thing holding the event loop, and Node.js would exit before it resolves.
    this.link.ref(true);
    await this.link.terminate();
  }

  /** Closes the worker (`await using worker = await TeacherWorker.start(...)`). */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private settle(id: number): Pending | undefined {
    const request = this.pending.get(id);
    if (request === undefined) return undefined; // answered after a failure or close: dropped
    this.pending.delete(id);
    if (this.pending.size === 0 && this.failure === undefined) this.link.ref(false);
    return request;
  }

  private receive(message: FromWorker): void {
    if (message.type === 'records') {
      const request = this.settle(message.id);
      request?.resolve({
        records: new Map(message.records.map(([name, recs]) => [name, recs.map(decodeValue)])),
        output: decodeValue(message.output) as tf.Tensor,
      });
    } else if (message.type === 'failed' && message.id !== undefined) {
      this.settle(message.id)?.reject(
        new DistillError(
          'WORKER_FAILED',
          `The teacher's forward pass failed in its worker: ${message.message}`,
        ),
      );
    }
  }

  private fail(error: Error): void {
    this.failure ??= error instanceof DistillError ? error : workerError('run', error.message);
    const requests = [...this.pending.values()];
    this.pending.clear();
    this.link.ref(false);
    for (const request of requests) request.reject(this.failure);
  }
}

/**
 * The error for a worker that could not start or stopped. A tfjs-distill error raised in the
 * worker (a backend that is not installed, say) keeps its code.
 */
function workerError(phase: 'start' | 'run', reason: string, code?: string): DistillError {
  if (phase === 'run')
    return new DistillError('WORKER_FAILED', `The teacher worker stopped: ${reason}.`);
  const known = (ERROR_CODES as readonly string[]).includes(code ?? '');
  const hint = /unknown (layer|class)/i.test(reason)
    ? ' The teacher has a custom layer: register it in a module listed in setupModules (TeacherWorker.start), or run the teacher on this thread.'
    : '';
  return new DistillError(
    known ? (code as DistillErrorCode) : 'WORKER_FAILED',
    `The teacher worker could not start: ${reason.replace(/\.+$/, '')}.${hint}`,
  );
}
