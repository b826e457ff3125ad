/**
 * Choosing the TensorFlow.js backend that runs training: `cpu` (always there), `wasm` (faster
 * for dense layers, no convolution gradients), `tensorflow` (tfjs-node, native) and `webgl`
 * (browsers).
 */
import type * as NodeModule from 'node:module';
import type * as NodePath from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type * as TfjsWasm from '@tensorflow/tfjs-backend-wasm';
import { DistillError, DistillTypeError, describeValue } from '../errors.js';
import { nodeBuiltin } from '../node-builtins.js';

/** The backends {@link selectBackend} can activate. */
export const BACKEND_NAMES = ['cpu', 'wasm', 'tensorflow', 'webgl'] as const;

/** One of {@link BACKEND_NAMES}. */
export type BackendName = (typeof BACKEND_NAMES)[number];

/** Options of {@link selectBackend}. */
export interface SelectBackendOptions {
  /**
   * Where the wasm backend finds its `.wasm` binaries: a directory prefix ending in `/` or a URL.
   * Default: in Node.js the package's own `dist/` folder (no network); in a browser, tfjs'
   * default (next to the script).
   */
  readonly wasmPaths?: string;
}

const WASM_PACKAGE = '@tensorflow/tfjs-backend-wasm';
const NODE_PACKAGE = '@tensorflow/tfjs-node';

function isBrowser(): boolean {
  const g = globalThis as { window?: unknown; document?: unknown };
  return typeof g.window === 'object' && typeof g.document === 'object';
}

/** The error for a package that is not installed (or failed to load). */
function unavailable(name: BackendName, pkg: string, cause: unknown): DistillError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const code = (cause as { code?: unknown } | null)?.code;
  const missing =
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && reason.includes(pkg);
  const problem = missing
    ? 'which is not installed'
    : `which is installed but failed to load (${reason}); reinstall it`;
  return new DistillError(
    'BACKEND_UNAVAILABLE',
    `The ${name} backend needs the package ${pkg}, ${problem}. ` +
      `Install it with \`npm install ${pkg}\` (the same version as @tensorflow/tfjs), or choose the cpu backend.`,
    { cause },
  );
}

/** The wasm package's dist folder, from this module's point of view (Node.js only). */
function nodeWasmDir(): string | undefined {
  const mod = nodeBuiltin<typeof NodeModule>('node:module');
  const path = nodeBuiltin<typeof NodePath>('node:path');
  if (mod === undefined || path === undefined) return undefined;
  try {
    // The package's main file lives in dist/ beside the .wasm binaries.
    const main = mod.createRequire(import.meta.url).resolve(WASM_PACKAGE);
    return path.dirname(main) + path.sep;
  } catch {
    // Bundled into a single file, say: leave the paths to tfjs' own default.
    return undefined;
  }
}

async function prepareWasm(options: SelectBackendOptions): Promise<void> {
  let wasm: typeof TfjsWasm;
  try {
    wasm = await import('@tensorflow/tfjs-backend-wasm');
  } catch (error) {
    throw unavailable('wasm', WASM_PACKAGE, error);
  }
  // Paths only matter before the backend is first initialised; afterwards tfjs ignores them.
  if (tf.findBackend('wasm') !== null) return;
  const paths = options.wasmPaths ?? (isBrowser() ? undefined : nodeWasmDir());
  if (paths !== undefined) wasm.setWasmPaths(paths);
}

async function prepareTensorflow(): Promise<void> {
  // A variable specifier: the package is optional and has no types here; bundlers skip it.
  const specifier: string = NODE_PACKAGE;
  try {
    (await import(specifier)) as unknown;
  } catch (error) {
    throw unavailable('tensorflow', NODE_PACKAGE, error);
  }
}

/**
 * Makes `name` the active TensorFlow.js backend and waits until it is ready.
 *
 * - `cpu` always works.
 * - `wasm` imports `@tensorflow/tfjs-backend-wasm` on demand; in Node.js the `.wasm` binaries are
 *   read from that package's folder, never downloaded. Single-threaded in Node.js; it has no
 *   convolution gradients (see {@link recommendedBackend}).
 * - `tensorflow` imports `@tensorflow/tfjs-node` on demand (Node.js only).
 * - `webgl` works in browsers only.
 *
 * Tensors created on the previous backend stay valid; tfjs moves their data when they are used.
 *
 * @param name - The backend to activate.
 * @param options - `wasmPaths`, to load the wasm binaries from elsewhere.
 * @returns The name of the active backend, `tf.getBackend()`.
 * @throws DistillError `BACKEND_UNAVAILABLE` when the backend's package is missing or the backend
 *   fails to start, `UNSUPPORTED_PLATFORM` for webgl outside a browser, `INVALID_ARGUMENT` for an
 *   unknown name.
 *
 * @example
 * ```ts
 * await selectBackend(recommendedBackend(student)); // 'wasm' for an MLP
 * ```
 */
export async function selectBackend(
  name: BackendName,
  options: SelectBackendOptions = {},
): Promise<string> {
  if (!(BACKEND_NAMES as readonly unknown[]).includes(name)) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Unknown backend ${describeValue(name)}; choose one of ${BACKEND_NAMES.join(', ')}.`,
    );
  }
  if (name === 'wasm') await prepareWasm(options);
  if (name === 'tensorflow') await prepareTensorflow();
  if (name === 'webgl' && !isBrowser()) {
    throw new DistillError(
      'UNSUPPORTED_PLATFORM',
      'The webgl backend needs a browser with WebGL; in Node.js use wasm, cpu or tensorflow (tfjs-node).',
    );
  }
  let ok: boolean;
  try {
    ok = await tf.setBackend(name);
    await tf.ready();
  } catch (error) {
    throw new DistillError(
      'BACKEND_UNAVAILABLE',
      `The ${name} backend failed to start: ${error instanceof Error ? error.message : String(error)}. Choose another backend, e.g. cpu.`,
      { cause: error },
    );
  }
  if (!ok || tf.getBackend() !== name) {
    throw new DistillError(
      'BACKEND_UNAVAILABLE',
      `The ${name} backend failed to start (tfjs could not initialise it). Choose another backend, e.g. cpu.`,
    );
  }
  return tf.getBackend();
}

/** Whether `layer` (or a layer nested in it, for models used as layers) is a convolution. */
function hasConvolution(layer: tf.layers.Layer): boolean {
  if (/conv/i.test(layer.getClassName())) return true;
  const nested = (layer as { layers?: unknown }).layers;
  return (
    Array.isArray(nested) && nested.some((l) => l instanceof tf.layers.Layer && hasConvolution(l))
  );
}

/**
 * The backend to train `model` on in Node.js without tfjs-node: `'cpu'` when it has any
 * convolution layer (the wasm backend lacks some convolution gradient kernels, e.g.
 * Conv2DBackpropFilter), else `'wasm'` (several times faster than cpu for dense layers).
 *
 * @param model - The model to be trained.
 *
 * @example
 * ```ts
 * recommendedBackend(smallCnn()); // 'cpu'
 * recommendedBackend(smallMlp()); // 'wasm'
 * ```
 */
export function recommendedBackend(model: tf.LayersModel): 'cpu' | 'wasm' {
  return model.layers.some(hasConvolution) ? 'cpu' : 'wasm';
}
