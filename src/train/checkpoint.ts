/**
 * Training checkpoints on disk (Node.js only): the model (`model.json` + `weights.bin`), an
 * optional optimizer state (`optimizer.bin`) and `checkpoint.json`, all committed atomically
 * with checkpoint.json last.
 */
import type * as NodeFs from 'node:fs';
import type * as NodePath from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { DistillError, DistillTypeError, describeValue } from '../errors.js';
import { requireNodeBuiltin } from '../node-builtins.js';
import { readFileBytes, sha256, writeFilesAtomically } from './atomic-write.js';
import {
  CHECKPOINT_FORMAT,
  CHECKPOINT_FORMAT_VERSION,
  CHECKPOINT_JSON,
  OPTIMIZER_BIN,
  parseCheckpointJson,
  validateMeta,
  type CheckpointInfo,
  type CheckpointMeta,
  type FileDigest,
} from './checkpoint-format.js';
import { loadModelArtifacts } from './checkpoint-io.js';
import { encodeModelFiles, type FileToWrite } from './model-files.js';
import { encodeOptimizerState, restoreOptimizerState } from './optimizer-state.js';

/** Options of {@link saveCheckpoint}. */
export interface SaveCheckpointOptions {
  /** Also save this optimizer's state (Adam moments, step count, ...). */
  readonly optimizer?: tf.Optimizer;
}

/** Options of {@link loadCheckpoint}. */
export interface LoadCheckpointOptions {
  /**
   * A newly created optimizer of the saved class to restore the saved state into. Ignored
   * (and `optimizerRestored` is false) when the checkpoint has no optimizer state.
   */
  readonly optimizer?: tf.Optimizer;
}

/** What {@link loadCheckpoint} returns. */
export interface LoadedCheckpoint {
  /** The restored model (uncompiled); the caller owns and disposes it. */
  readonly model: tf.LayersModel;
  /** The contents of checkpoint.json. */
  readonly info: CheckpointInfo;
  /** Whether the optimizer state was restored into `options.optimizer`. */
  readonly optimizerRestored: boolean;
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
 * @param options - `optimizer`, to save its state too.
 * @returns The checkpoint.json contents written.
 * @throws DistillError `INVALID_ARGUMENT` (bad meta, optimizer without getWeights) or `IO_ERROR`.
 *
 * @example
 * ```ts
 * await saveCheckpoint(student, `runs/a/epoch-${epoch}`, { epoch, step, metrics: { valAcc } }, { optimizer });
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
  };
  files.push({
    name: CHECKPOINT_JSON,
    data: new TextEncoder().encode(`${JSON.stringify(info, null, 2)}\n`),
  });
  await writeFilesAtomically(dir, files, 'saveCheckpoint');
  if (!optimizerState) await removeStale(dir, OPTIMIZER_BIN);
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
 * optimizer state.
 *
 * @param dir - The checkpoint directory.
 * @param options - `optimizer`: a fresh optimizer to restore the saved state into.
 * @throws DistillError `FILE_NOT_FOUND`, `DATA_CORRUPT` (a file is truncated, modified or from
 *   another save), `INVALID_ARGUMENT` (optimizer of another class, or already used), `IO_ERROR`.
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
  const model = await tf.loadLayersModel({
    load: () => loadModelArtifacts(dir, verify),
  });
  const state = info.optimizerState;
  if (options.optimizer === undefined || state === undefined) {
    return { model, info, optimizerRestored: false };
  }
  try {
    const file = path.join(dir, state.path);
    const data = await readFileBytes(file, 'optimizer state');
    verify(state.path, data);
    await restoreOptimizerState(
      options.optimizer,
      { className: state.className, specs: state.weights, data },
      file,
    );
  } catch (error) {
    model.dispose();
    throw error;
  }
  return { model, info, optimizerRestored: true };
}
