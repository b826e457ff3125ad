/**
 * onnxruntime-node, an optional peer dependency: imported when an ONNX teacher is loaded,
 * described here by the little of its API that tfjs-distill uses.
 */
import { DistillError } from '../errors.js';

/** The package tfjs-distill runs ONNX teachers with. */
export const ONNX_RUNTIME_PACKAGE = 'onnxruntime-node';

/** How to install it: the flag skips the install script's download of GPU binaries. */
export const ONNX_INSTALL_HINT =
  'npm install onnxruntime-node --onnxruntime-node-install=skip (or set ONNXRUNTIME_NODE_INSTALL=skip): the flag skips the download of extra GPU binaries; the CPU library ships inside the package';

/** An onnxruntime tensor. */
export interface OrtTensor {
  /** Its element type, `float32` for the teachers here. */
  readonly type: string;
  /** Its elements, row-major. */
  readonly data: unknown;
  /** Its shape. */
  readonly dims: readonly number[];
  /** Frees its native memory, where the runtime has some. */
  dispose?(): void;
}

/** One input or output of a session, as `inputMetadata` / `outputMetadata` describe it. */
export interface OrtValueMetadata {
  /** Its name. */
  readonly name: string;
  /** Whether it is a tensor. */
  readonly isTensor: boolean;
  /** Its shape: numbers, or names of free dimensions (`"batch"`). */
  readonly shape?: readonly (number | string)[];
  /** Its element type. */
  readonly type?: string;
}

/** An onnxruntime inference session. */
export interface OrtSession {
  /** Input names. */
  readonly inputNames: readonly string[];
  /** Output names. */
  readonly outputNames: readonly string[];
  /** Inputs' metadata (onnxruntime 1.21 and later). */
  readonly inputMetadata?: readonly OrtValueMetadata[];
  /** Outputs' metadata (onnxruntime 1.21 and later). */
  readonly outputMetadata?: readonly OrtValueMetadata[];
  /** Runs the model. */
  run(
    feeds: Record<string, OrtTensor>,
    fetches?: readonly string[],
  ): Promise<Record<string, OrtTensor>>;
  /** Frees the session. */
  release(): Promise<void>;
}

/** What tfjs-distill uses of the onnxruntime-node module. */
export interface OrtModule {
  /** Creates sessions. */
  readonly InferenceSession: {
    create(
      path: string,
      options?: { intraOpNumThreads?: number; interOpNumThreads?: number },
    ): Promise<OrtSession>;
  };
  /** The tensor class. */
  readonly Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => OrtTensor;
}

/** Imports a module by specifier: `(s) => import(s)` unless a test injects another. */
export type ModuleImporter = (specifier: string) => Promise<unknown>;

const defaultImporter: ModuleImporter = (specifier) => import(specifier);

/**
 * Imports onnxruntime-node.
 *
 * @param importer - How to import it (tests inject a failing one).
 * @throws `MODULE_NOT_FOUND` with the install line when it is not installed or cannot load.
 */
export async function loadOnnxRuntime(
  importer: ModuleImporter = defaultImporter,
): Promise<OrtModule> {
  let mod: unknown;
  try {
    mod = await importer(ONNX_RUNTIME_PACKAGE);
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    const missing = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
    const reason = error instanceof Error ? error.message : String(error);
    throw new DistillError(
      'MODULE_NOT_FOUND',
      missing
        ? `ONNX teachers need the onnxruntime-node package, which is not installed. Install it: ${ONNX_INSTALL_HINT}.`
        : `onnxruntime-node is installed but failed to load (${reason}). Reinstall it: ${ONNX_INSTALL_HINT}.`,
      { cause: error },
    );
  }
  const ort = ((mod as { default?: unknown }).default ?? mod) as Partial<OrtModule>;
  if (typeof ort.InferenceSession?.create !== 'function' || typeof ort.Tensor !== 'function') {
    throw new DistillError(
      'MODULE_NOT_FOUND',
      `The onnxruntime-node module that was found has no InferenceSession/Tensor. Install a current version: ${ONNX_INSTALL_HINT}.`,
    );
  }
  return ort as OrtModule;
}
