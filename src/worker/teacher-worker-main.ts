/**
 * The worker thread of a {@link TeacherWorker}: loads the teacher from the artifacts it is sent,
 * rebuilds the teacher's layer recorders around it and answers forward requests with what they
 * recorded. It runs as a Node.js worker thread or as a module Web Worker.
 */
import type * as NodeWorkerThreads from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
// The recorders keep tensors (tensor-aware buffers) and are built by type name.
import '../tensor/install.js';
import '../recorder/tfjs-recorder-types.js';
import { DistillError } from '../errors.js';
import { nodeBuiltin } from '../node-builtins.js';
import { RecorderManager } from '../recorder/recorder-manager.js';
import { BACKEND_NAMES, selectBackend, type BackendName } from '../train/backend.js';
import type { FromWorker, InitMessage, RecordsMessage, ToWorker } from './protocol.js';
import { decodeValue, encodeValue, type EncodedValue } from './tensor-codec.js';

interface Port {
  post(message: FromWorker, transfer?: ArrayBuffer[]): void;
  listen(handler: (message: ToWorker) => void): void;
}

function connect(): Port {
  const node = nodeBuiltin<typeof NodeWorkerThreads>('node:worker_threads')?.parentPort;
  if (node) {
    return {
      post: (message, transfer) => node.postMessage(message, transfer),
      listen: (handler) => node.on('message', handler),
    };
  }
  const scope = globalThis as unknown as {
    postMessage(message: unknown, transfer?: Transferable[]): void;
    addEventListener(type: 'message', fn: (event: { data: ToWorker }) => void): void;
  };
  return {
    post: (message, transfer) => scope.postMessage(message, transfer ?? []),
    listen: (handler) => scope.addEventListener('message', (event) => handler(event.data)),
  };
}

function failure(error: unknown, id?: number): FromWorker {
  const code = error instanceof DistillError ? error.code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return id === undefined
    ? { type: 'failed', code, message }
    : { type: 'failed', id, code, message };
}

interface Teacher {
  readonly model: tf.LayersModel;
  readonly recorders: RecorderManager;
}

async function start(init: InitMessage): Promise<Teacher> {
  // Named by the user at run time: not for a bundler to resolve.
  for (const specifier of init.setupModules) await import(/* @vite-ignore */ specifier);
  if ((BACKEND_NAMES as readonly string[]).includes(init.backend)) {
    await selectBackend(init.backend as BackendName, { wasmPaths: init.wasmPaths });
  } else {
    // tfjs throws for a name it does not know and returns false when the backend fails.
    const ok = await tf.setBackend(init.backend).catch(() => false);
    if (!ok) {
      throw new DistillError(
        'BACKEND_UNAVAILABLE',
        `The teacher worker could not activate the backend "${init.backend}"; register it in a module listed in setupModules, or start the worker with another backend.`,
      );
    }
  }
  await tf.ready();
  const model = await tf.loadLayersModel(tf.io.fromMemory(init.artifacts));
  const recorders = new RecorderManager(
    Object.fromEntries(init.recorders.map((r) => [r.name, { type: r.type, source: r.source }])),
    { path: 'teacherRecorders' },
  ).initialize(model);
  return { model, recorders };
}

function forward(
  teacher: Teacher,
  id: number,
  input: EncodedValue,
  transfer: ArrayBuffer[],
): RecordsMessage {
  const x = decodeValue(input) as tf.Tensor;
  let output: tf.Tensor | undefined;
  try {
    output = tf.tidy(() =>
      teacher.recorders.run(() => teacher.model.apply(x, { training: false }) as tf.Tensor),
    );
    const records = [...teacher.recorders.recorders].map(
      ([name, recorder]) =>
        [
          name,
          recorder.dataBuffer.map((_, i) => encodeValue(recorder.getRecordData(i), transfer)),
        ] as const,
    );
    return {
      type: 'records',
      id,
      records,
      output: encodeValue(output, transfer),
    };
  } finally {
    teacher.recorders.reset();
    tf.dispose([x, ...(output ? [output] : [])]);
  }
}

// tfjs hints at installing tfjs-node once per thread that stores a tensor on the cpu backend;
// the main thread has shown it already, so this thread's console, which is ours alone, drops it.
const warn = console.warn.bind(console);
console.warn = (...args: unknown[]): void => {
  const hint =
    typeof args[0] === 'string' &&
    args[0].includes('Hi, looks like you are running TensorFlow.js in Node.js');
  if (!hint) warn(...args);
};

const port = connect();
let teacher: Promise<Teacher> | undefined;
port.listen((message) => {
  if (message.type === 'init') {
    teacher = start(message);
    teacher.then(
      () => port.post({ type: 'ready', backend: tf.getBackend() }),
      (error: unknown) => port.post(failure(error)),
    );
    return;
  }
  const { id } = message;
  if (teacher === undefined) {
    port.post(failure(new Error('forward before init'), id));
    return;
  }
  teacher.then(
    (t) => {
      const transfer: ArrayBuffer[] = [];
      let answer: FromWorker;
      try {
        answer = forward(t, id, message.input, transfer);
      } catch (error) {
        port.post(failure(error, id));
        return;
      }
      port.post(answer, transfer);
    },
    () => undefined, // start-up failure, already reported
  );
});
