/**
 * Starting the teacher's worker on each platform: a Node.js worker thread or a module Web
 * Worker, behind one small interface.
 */
import type * as NodeWorkerThreads from 'node:worker_threads';
import { DistillError } from '../errors.js';
import { nodeBuiltin } from '../node-builtins.js';
import type { FromWorker, ToWorker } from './protocol.js';

/** A started worker, whichever the platform. */
export interface WorkerLink {
  /** Sends a message, transferring the buffers listed. */
  post(message: ToWorker, transfer?: ArrayBuffer[]): void;
  /** Whether the worker should keep the process alive (Node.js; ignored in browsers). */
  ref(active: boolean): void;
  /** Stops the worker. */
  terminate(): Promise<void>;
}

function isBrowserLike(): boolean {
  return (
    typeof (globalThis as { Worker?: unknown }).Worker === 'function' &&
    !nodeBuiltin('node:worker_threads')
  );
}

/** Flags that shape how modules load, which the worker needs as much as this thread does. */
const MODULE_FLAGS = [
  '--import',
  '--require',
  '-r',
  '--loader',
  '--experimental-loader',
  '--conditions',
  '-C',
  '--experimental-',
  '--no-experimental-',
  '--enable-source-maps',
  '--preserve-symlinks',
  '--no-warnings',
  '--disable-warning',
  '--no-deprecation',
];
/** Those of them whose value may come as the next argument. */
const TAKES_VALUE = [
  '--import',
  '--require',
  '-r',
  '--loader',
  '--experimental-loader',
  '--conditions',
  '-C',
  '--disable-warning',
];

/**
 * The parent's Node.js flags that the worker should share: those that shape module loading
 * (loaders, `--import`, conditions, experimental features). Others are left out: V8 and
 * process-wide flags such as `--max-old-space-size` or `--expose-gc` make a worker fail to
 * start, and `--input-type` applies to string input only.
 */
export function workerExecArgv(parent: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < parent.length; i++) {
    const arg = parent[i]!;
    const name = arg.split('=')[0]!;
    const keep = MODULE_FLAGS.some((flag) =>
      flag.endsWith('-') ? name.startsWith(flag) : name === flag,
    );
    const valueNext = !arg.includes('=') && TAKES_VALUE.includes(name) && i + 1 < parent.length;
    if (keep) out.push(arg);
    if (valueNext) {
      i++;
      if (keep) out.push(parent[i]!);
    }
  }
  return out;
}

/** The worker's module, beside this one. */
const NODE_WORKER_FILE = './teacher-worker-main.js';

/**
 * Spawns the teacher's worker: a worker thread in Node.js, a module Web Worker in browsers.
 *
 * @throws `UNSUPPORTED_PLATFORM` where there is neither.
 */
export function spawnWorker(
  onMessage: (m: FromWorker) => void,
  onError: (e: Error) => void,
): WorkerLink {
  const threads = nodeBuiltin<typeof NodeWorkerThreads>('node:worker_threads');
  if (threads) {
    // Not a literal: bundlers must leave this Node.js-only URL alone (the browser branch below
    // is the one they bundle the worker from).
    const file = NODE_WORKER_FILE;
    const worker = new threads.Worker(new URL(file, import.meta.url), {
      execArgv: workerExecArgv(process.execArgv),
    });
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', (code) => onError(new Error(`the worker exited with code ${code}`)));
    return {
      post: (message, transfer) => worker.postMessage(message, transfer),
      // An idle worker must not keep the process alive; a busy one must.
      ref: (active) => (active ? worker.ref() : worker.unref()),
      terminate: async () => {
        await worker.terminate();
      },
    };
  }
  if (!isBrowserLike()) {
    throw new DistillError(
      'UNSUPPORTED_PLATFORM',
      'A TeacherWorker needs worker threads (Node.js) or Web Workers (browsers); neither is available here.',
    );
  }
  const worker = new Worker(new URL('./teacher-worker-main.js', import.meta.url), {
    type: 'module',
  });
  worker.addEventListener('message', (event: MessageEvent<FromWorker>) => onMessage(event.data));
  // A script that fails to load fires a plain Event, without a message.
  worker.addEventListener('error', (event: Event) => {
    const message = (event as Partial<ErrorEvent>).message;
    onError(new Error(message || 'the worker script failed to load; check how it is bundled'));
  });
  worker.addEventListener('messageerror', () =>
    onError(new Error('a message from the worker could not be read')),
  );
  return {
    post: (message, transfer) => worker.postMessage(message, transfer ?? []),
    ref: () => undefined,
    terminate: () => {
      worker.terminate();
      return Promise.resolve();
    },
  };
}
