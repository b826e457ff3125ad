/**
 * Training checkpoints on disk (Node.js only): the model (`model.json` + `weights.bin`), the
 * optional optimizer state (`optimizer.bin`) and connector weights (`connectors.bin`), and
 * `checkpoint.json`, all committed atomically with checkpoint.json last.
 */
import type * as NodeFs from 'node:fs';
import type * as NodePath from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Connector } from '../connectors/connector.js';
import { DistillError, DistillTypeError, describeValue } from '../errors.js';
import { requireNodeBuiltin } from '../node-builtins.js';
import { readFileBytes, sha256, writeFilesAtomically } from './atomic-write.js';
import {
  CHECKPOINT_FORMAT,
  CHECKPOINT_FORMAT_VERSION,
  CHECKPOINT_JSON,
  CONNECTORS_BIN,
  OPTIMIZER_BIN,
  parseCheckpointJson,
  validateMeta,
  type CheckpointInfo,
  type CheckpointMeta,
  type FileDigest,
} from './checkpoint-format.js';
import { loadModelArtifacts } from './checkpoint-io.js';
import { encodeConnectorState, restoreConnectorState } from './connector-state.js';
import { encodeModelFiles, type FileToWrite } from './model-files.js';
import { encodeOptimizerState, restoreOptimizerState } from './optimizer-state.js';

/** Options of {@link saveCheckpoint}. */
export interface SaveCheckpointOptions {
  /** Also save this optimizer's state (Adam moments, step count, ...). */
  readonly optimizer?: tf.Optimizer;
  /**
   * Also save the weights of these connectors (e.g. `distiller.connectors`), which are trained
   * with the model but are not part of it. All must be built.
   */
  readonly connectors?: ReadonlyMap<string, Connector>;
}

/** Options of {@link loadCheckpoint}. */
export interface LoadCheckpointOptions {
  /**
   * A newly created optimizer of the saved class to restore the saved state into. Ignored
   * (and `optimizerRestored` is false) when the checkpoint has no optimizer state.
   */
  readonly optimizer?: tf.Optimizer;
  /**
   * Built connectors to restore the saved connector weights into, before the optimizer state
   * (e.g. `distiller.connectors`). When given, the checkpoint must hold weights for exactly
   * these connectors, with the same shapes. A checkpoint of format version 1 holds none: it
   * loads, with `connectorsRestored` false.
   */
  readonly connectors?: ReadonlyMap<string, Connector>;
  /**
   * The variables the restored optimizer will update, in `minimize` order (the model's and the
   * connectors' trainable weights). When given, the saved optimizer state is checked against
   * their shapes, since optimizers match their state to variables by position.
   */
  readonly variables?: readonly tf.Variable[];
}

/** What {@link loadCheckpoint} returns. */
export interface LoadedCheckpoint {
  /** The restored model (uncompiled); the caller owns and disposes it. */
  readonly model: tf.LayersModel;
  /** The contents of checkpoint.json. */
  readonly info: CheckpointInfo;
  /** Whether the optimizer state was restored into `options.optimizer`. */
  readonly optimizerRestored: boolean;
  /** Whether connector weights were restored into `options.connectors`. */
  readonly connectorsRestored: boolean;
}

function checkDir(dir: unknown, api: string): asserts dir is string {
  if (typeof dir !== 'string' || dir === '') {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `${api} expects a directory path, but got ${describeValue(dir)}.`,
    );
  }
}

function digest(data: Uint8Array): FileDigest {
  return { bytes: data.length, sha256: sha256(data) };
}

/**
 * Saves a checkpoint into `dir`: every file is written to a temporary file and flushed, then
 * renamed into place with checkpoint.json last, so checkpoint.json only ever describes files
 * that are complete. It records each file's size and SHA-256; {@link loadCheckpoint} checks them.
 *
 * @param model - The model to save.
 * @param dir - The checkpoint directory (created if needed; an older checkpoint there is replaced).
 * @param meta - Epoch, step, metrics and other run metadata.
 * @param options - `optimizer` and `connectors`, to save their state too.
 * @returns The checkpoint.json contents written.
 * @throws DistillError `INVALID_ARGUMENT` (bad meta, optimizer without getWeights),
 *   `NOT_BUILT` (a connector without weights yet) or `IO_ERROR`.
 *
 * @example
 * ```ts
 * await saveCheckpoint(student, `runs/a/epoch-${epoch}`, { epoch, step, metrics: { valAcc } }, {
 *   optimizer,
 *   connectors: distiller.connectors,
 * });
 * ```
 */
export async function saveCheckpoint(
  model: tf.LayersModel,
  dir: string,
  meta: CheckpointMeta,
  options: SaveCheckpointOptions = {},
): Promise<CheckpointInfo> {
  checkDir(dir, 'saveCheckpoint');
  if (typeof (model as Partial<tf.LayersModel> | null)?.save !== 'function') {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `saveCheckpoint expects a tf.LayersModel, but got ${describeValue(model)}.`,
    );
  }
  const checked = validateMeta(meta);
  let files: FileToWrite[] = [];
  await model.save(
    tf.io.withSaveHandler((artifacts) => {
      files = encodeModelFiles(artifacts);
      return Promise.resolve({ modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) });
    }),
  );
  let optimizerState: CheckpointInfo['optimizerState'];
  if (options.optimizer !== undefined) {
    const state = await encodeOptimizerState(options.optimizer);
    files.push({ name: OPTIMIZER_BIN, data: state.data });
    optimizerState = { className: state.className, path: OPTIMIZER_BIN, weights: state.specs };
  }
  let connectorState: CheckpointInfo['connectorState'];
  if (options.connectors !== undefined && options.connectors.size > 0) {
    const state = await encodeConnectorState(options.connectors);
    files.push({ name: CONNECTORS_BIN, data: state.data });
    connectorState = { path: CONNECTORS_BIN, connectors: state.connectors };
  }
  const info: CheckpointInfo = {
    format: CHECKPOINT_FORMAT,
    formatVersion: CHECKPOINT_FORMAT_VERSION,
    savedAt: new Date().toISOString(),
    ...checked,
    ...(checked.optimizer === undefined && optimizerState
      ? { optimizer: optimizerState.className.toLowerCase() }
      : {}),
    files: Object.fromEntries(files.map((f) => [f.name, digest(f.data)])),
    ...(optimizerState ? { optimizerState } : {}),
    ...(connectorState ? { connectorState } : {}),
  };
  files.push({
    name: CHECKPOINT_JSON,
    data: new TextEncoder().encode(`${JSON.stringify(info, null, 2)}\n`),
  });
  await writeFilesAtomically(dir, files, 'saveCheckpoint');
  if (!optimizerState) await removeStale(dir, OPTIMIZER_BIN);
  if (!connectorState) await removeStale(dir, CONNECTORS_BIN);
  return info;
}

/** Removes a file an older checkpoint in the same directory left behind (best effort). */
async function removeStale(dir: string, name: string): Promise<void> {
  const fs = requireNodeBuiltin<typeof NodeFs>('node:fs', 'saveCheckpoint');
  const path = requireNodeBuiltin<typeof NodePath>('node:path', 'saveCheckpoint');
  await fs.promises.rm(path.join(dir, name), { force: true }).catch(() => undefined);
}

/**
 * Reads and validates a checkpoint's checkpoint.json without loading the model, e.g. to decide
 * which checkpoint to resume from.
 *
 * @param dir - The checkpoint directory.
 * @throws DistillError `FILE_NOT_FOUND` when there is no complete checkpoint, `DATA_CORRUPT`.
 */
export async function readCheckpointInfo(dir: string): Promise<CheckpointInfo> {
  checkDir(dir, 'readCheckpointInfo');
  const path = requireNodeBuiltin<typeof NodePath>('node:path', 'readCheckpointInfo');
  const file = path.join(dir, CHECKPOINT_JSON);
  const bytes = await readFileBytes(
    file,
    'checkpoint',
    'The directory holds no complete checkpoint (checkpoint.json is written last); use an earlier one.',
  );
  return parseCheckpointJson(new TextDecoder().decode(bytes), file);
}

/**
 * Loads a checkpoint saved by {@link saveCheckpoint}: verifies every file against the sizes and
 * SHA-256 digests in checkpoint.json, rebuilds the model and, when asked, restores the
 * connectors' weights and then the optimizer state (so the state of the connectors' variables
 * is restored too).
 *
 * @param dir - The checkpoint directory.
 * @param options - `optimizer`: a fresh optimizer to restore the saved state into;
 *   `connectors`: built connectors to restore their weights into; `variables`: what the
 *   optimizer will train, to check its state against.
 * @throws DistillError `FILE_NOT_FOUND`, `DATA_CORRUPT` (a file is truncated, modified or from
 *   another save), `INVALID_ARGUMENT` (optimizer of another class, or already used; connectors
 *   other than the saved ones), `NOT_BUILT` (a connector without weights yet), `SHAPE_MISMATCH`
 *   (a connector or the optimizer state does not fit), `IO_ERROR`. The model is disposed on
 *   failure; connectors restored before a failing optimizer keep the checkpoint's weights.
 *
 * @example
 * ```ts
 * const optimizer = tf.train.adam(1e-3);
 * const { model, info } = await loadCheckpoint('runs/a/epoch-3', { optimizer });
 * // continue with epoch info.epoch + 1, step info.step
 * ```
 */
export async function loadCheckpoint(
  dir: string,
  options: LoadCheckpointOptions = {},
): Promise<LoadedCheckpoint> {
  checkDir(dir, 'loadCheckpoint');
  const path = requireNodeBuiltin<typeof NodePath>('node:path', 'loadCheckpoint');
  const info = await readCheckpointInfo(dir);
  const verify = (name: string, bytes: Uint8Array): void => {
    const expected = info.files[name];
    const problem =
      expected === undefined
        ? 'it is not listed in checkpoint.json'
        : expected.bytes !== bytes.length
          ? `expected ${expected.bytes} bytes, got ${bytes.length}`
          : expected.sha256 !== sha256(bytes)
            ? 'its SHA-256 differs from the one recorded'
            : undefined;
    if (problem !== undefined) {
      throw new DistillError(
        'DATA_CORRUPT',
        `${path.join(dir, name)} does not match ${path.join(dir, CHECKPOINT_JSON)}: ${problem}. ` +
          'The file was modified or an overwrite of this checkpoint was interrupted; use another checkpoint.',
      );
    }
  };
  /** Reads a file the checkpoint lists, checked against its digest. */
  const read = async (name: string, what: string): Promise<{ file: string; data: Uint8Array }> => {
    const file = path.join(dir, name);
    const data = await readFileBytes(file, what);
    verify(name, data);
    return { file, data };
  };
  const model = await tf.loadLayersModel({
    load: () => loadModelArtifacts(dir, verify),
  });
  try {
    const connectorsRestored = await restoreConnectors(info, options.connectors, read, dir);
    const state = info.optimizerState;
    if (options.optimizer === undefined || state === undefined) {
      return { model, info, optimizerRestored: false, connectorsRestored };
    }
    const { file, data } = await read(state.path, 'optimizer state');
    await restoreOptimizerState(
      options.optimizer,
      { className: state.className, specs: state.weights, data },
      file,
      options.variables,
    );
    return { model, info, optimizerRestored: true, connectorsRestored };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/** Restores the saved connector weights, if asked; returns whether it did. */
async function restoreConnectors(
  info: CheckpointInfo,
  connectors: ReadonlyMap<string, Connector> | undefined,
  read: (name: string, what: string) => Promise<{ file: string; data: Uint8Array }>,
  dir: string,
): Promise<boolean> {
  if (connectors === undefined) return false;
  const state = info.connectorState;
  if (state === undefined) {
    // Version 1 predates connector weights in checkpoints: loadable, with nothing to restore.
    if (connectors.size === 0 || info.formatVersion < 2) return false;
    throw new DistillError(
      'INVALID_ARGUMENT',
      `The checkpoint ${dir} holds no connector weights (it was saved without connectors), but connectors were given to restore: ${[...connectors.keys()].map((n) => `"${n}"`).join(', ')}. The connectors changed since the checkpoint was saved; load it without connectors.`,
    );
  }
  const { file, data } = await read(state.path, 'connector weights');
  restoreConnectorState(connectors, { connectors: state.connectors, data }, file);
  return true;
}
