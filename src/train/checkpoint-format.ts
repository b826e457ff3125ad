/**
 * The `checkpoint.json` file: training metadata plus a digest of every file of the checkpoint.
 * Pure validation and types; the Node.js side lives in `checkpoint.ts`.
 */
import type * as tf from '@tensorflow/tfjs';
import { isPlainObject } from '../config/validate.js';
import { DistillError, DistillTypeError, describeValue } from '../errors.js';
import { isWeightsManifestEntry } from './model-files.js';

/** File name of the checkpoint metadata, written last: its presence marks a complete save. */
export const CHECKPOINT_JSON = 'checkpoint.json';
/** File name of the optimizer state. */
export const OPTIMIZER_BIN = 'optimizer.bin';
/** File name of the connectors' weights. */
export const CONNECTORS_BIN = 'connectors.bin';
/** Value of the `format` field of checkpoint.json. */
export const CHECKPOINT_FORMAT = 'tfjs-distill-checkpoint';
/**
 * Version of the checkpoint.json layout this code writes; it reads this one and every earlier
 * one. Version 2 added the connectors' weights (`connectorState`): a version 1 reader would
 * ignore them and resume with new connectors, so it must refuse the file instead.
 */
export const CHECKPOINT_FORMAT_VERSION = 2;

/** Any value JSON can represent. */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** What a training loop records with each checkpoint. */
export interface CheckpointMeta {
  /** Epoch the checkpoint was taken in (or after); a non-negative integer. */
  readonly epoch: number;
  /** Global optimizer step count; a non-negative integer. */
  readonly step: number;
  /** Latest metrics, e.g. `{ valAccuracy: 0.981, loss: 0.07 }`; finite numbers only. */
  readonly metrics?: Readonly<Record<string, number>>;
  /** Optimizer name, e.g. `'adam'` (defaults to the class name of a saved optimizer). */
  readonly optimizer?: string;
  /** Seed of the run, so resuming reproduces the data order. */
  readonly seed?: number;
  /** Anything else worth keeping (JSON values). */
  readonly extra?: Readonly<Record<string, JsonValue>>;
}

/** Size and SHA-256 of one file of a checkpoint. */
export interface FileDigest {
  /** Length in bytes. */
  readonly bytes: number;
  /** SHA-256, lower-case hex. */
  readonly sha256: string;
}

/** Where and how the optimizer state is stored. */
export interface OptimizerStateEntry {
  /** The optimizer class, e.g. `'Adam'`. */
  readonly className: string;
  /** File holding the values, relative to the checkpoint directory. */
  readonly path: string;
  /** One manifest entry per state tensor, in `getWeights()` order. */
  readonly weights: tf.io.WeightsManifestEntry[];
}

/** The saved weights of one connector. */
export interface SavedConnector {
  /** The connector's name in the distiller, e.g. `'hint'`. */
  readonly name: string;
  /** One manifest entry per weight, in `trainableWeights` order. */
  readonly weights: tf.io.WeightsManifestEntry[];
}

/** Where and how the connectors' weights are stored. */
export interface ConnectorStateEntry {
  /** File holding the values, relative to the checkpoint directory. */
  readonly path: string;
  /** The connectors in the order their values are stored; names are unique. */
  readonly connectors: SavedConnector[];
}

/** The full contents of checkpoint.json. */
export interface CheckpointInfo extends CheckpointMeta {
  /** Always {@link CHECKPOINT_FORMAT}. */
  readonly format: typeof CHECKPOINT_FORMAT;
  /** Layout version: {@link CHECKPOINT_FORMAT_VERSION} when saved by this version, 1 before. */
  readonly formatVersion: number;
  /** When it was saved, ISO 8601. */
  readonly savedAt: string;
  /** Digest of every other file of the checkpoint, by file name. */
  readonly files: Readonly<Record<string, FileDigest>>;
  /** Present when the optimizer state was saved. */
  readonly optimizerState?: OptimizerStateEntry;
  /** Present when connector weights were saved (format version 2 and later). */
  readonly connectorState?: ConnectorStateEntry;
}

const META_KEYS: readonly string[] = ['epoch', 'step', 'metrics', 'optimizer', 'seed', 'extra'];

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Problems with `meta`, as `[key, what is wrong]` pairs; empty when valid. */
function metaProblems(meta: Record<string, unknown>): [string, string][] {
  const problems: [string, string][] = [];
  if (!isCount(meta.epoch)) problems.push(['epoch', 'a non-negative integer']);
  if (!isCount(meta.step)) problems.push(['step', 'a non-negative integer']);
  const { metrics, optimizer, seed, extra } = meta;
  if (
    metrics !== undefined &&
    !(
      isPlainObject(metrics) &&
      Object.values(metrics).every((v) => typeof v === 'number' && Number.isFinite(v))
    )
  ) {
    problems.push(['metrics', 'an object of finite numbers']);
  }
  if (optimizer !== undefined && typeof optimizer !== 'string') {
    problems.push(['optimizer', 'a string']);
  }
  if (seed !== undefined && !(typeof seed === 'number' && Number.isSafeInteger(seed))) {
    problems.push(['seed', 'an integer']);
  }
  if (extra !== undefined && !isPlainObject(extra)) problems.push(['extra', 'a plain object']);
  return problems;
}

/**
 * Checks the metadata given to `saveCheckpoint`.
 *
 * @param meta - The value given.
 * @throws DistillTypeError `INVALID_ARGUMENT` naming the first bad field.
 */
export function validateMeta(meta: unknown): CheckpointMeta {
  if (!isPlainObject(meta)) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected checkpoint meta { epoch, step, metrics?, optimizer?, seed?, extra? }, but got ${describeValue(meta)}.`,
    );
  }
  const unknown = Object.keys(meta).find((key) => !META_KEYS.includes(key));
  if (unknown !== undefined) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Unknown checkpoint meta field ${describeValue(unknown)}; the fields are ${META_KEYS.join(', ')}. Put other values in meta.extra.`,
    );
  }
  const [problem] = metaProblems(meta);
  if (problem) {
    const [key, expected] = problem;
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected meta.${key} to be ${expected}, but got ${describeValue(meta[key])}.`,
    );
  }
  return meta as unknown as CheckpointMeta;
}

/**
 * Parses and validates the text of a checkpoint.json.
 *
 * @param text - The file's contents.
 * @param source - Its path, for messages.
 * @throws DistillError `DATA_CORRUPT` naming the problem.
 */
export function parseCheckpointJson(text: string, source: string): CheckpointInfo {
  const bad = (problem: string): DistillError =>
    new DistillError(
      'DATA_CORRUPT',
      `${source} is not a valid checkpoint.json: ${problem}. Use another checkpoint or save again.`,
    );
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw bad(
      `invalid JSON, perhaps truncated (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  if (!isPlainObject(json) || json.format !== CHECKPOINT_FORMAT) {
    throw bad(`format is not ${JSON.stringify(CHECKPOINT_FORMAT)}`);
  }
  const version = json.formatVersion;
  if (!(isCount(version) && version >= 1 && version <= CHECKPOINT_FORMAT_VERSION)) {
    const newer = typeof version === 'number' && version > CHECKPOINT_FORMAT_VERSION;
    throw bad(
      `formatVersion ${describeValue(version)} is not supported (this version reads 1 to ${CHECKPOINT_FORMAT_VERSION}${newer ? '; a newer tfjs-distill wrote it' : ''})`,
    );
  }
  const [problem] = metaProblems(json);
  if (problem) throw bad(`${problem[0]} is not ${problem[1]}`);
  if (typeof json.savedAt !== 'string') throw bad('savedAt is missing');
  const files = json.files;
  if (
    !isPlainObject(files) ||
    !Object.values(files).every(
      (f) => isPlainObject(f) && isCount(f.bytes) && typeof f.sha256 === 'string',
    )
  ) {
    throw bad('files must map file names to { bytes, sha256 }');
  }
  const state = json.optimizerState;
  if (
    state !== undefined &&
    !(
      isPlainObject(state) &&
      typeof state.className === 'string' &&
      typeof state.path === 'string' &&
      state.path in files &&
      Array.isArray(state.weights) &&
      state.weights.every(isWeightsManifestEntry)
    )
  ) {
    throw bad('optimizerState must be { className, path, weights } with path listed in files');
  }
  if (json.connectorState !== undefined && !isConnectorState(json.connectorState, files)) {
    throw bad(
      'connectorState must be { path, connectors: [{ name, weights }] } with unique names and path listed in files',
    );
  }
  return json as unknown as CheckpointInfo;
}

/** A plain file name inside the checkpoint directory: no folders, no climbing out of it. */
function isFileName(value: unknown): value is string {
  return typeof value === 'string' && /^[^\\/]+$/.test(value) && value !== '.' && value !== '..';
}

function isConnectorState(
  value: unknown,
  files: Record<string, unknown>,
): value is ConnectorStateEntry {
  if (!isPlainObject(value) || !isFileName(value.path) || !Object.hasOwn(files, value.path)) {
    return false;
  }
  const connectors = value.connectors;
  if (!Array.isArray(connectors)) return false;
  const names = new Set<string>();
  return connectors.every((c: unknown) => {
    if (!isPlainObject(c) || typeof c.name !== 'string' || names.has(c.name)) return false;
    names.add(c.name);
    return Array.isArray(c.weights) && c.weights.every(isWeightsManifestEntry);
  });
}
