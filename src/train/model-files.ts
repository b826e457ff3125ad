/**
 * The tfjs layers-model file format (`model.json` + one `weights.bin`), encoded and validated
 * without touching the file system, so the same checks serve Node and any other host.
 */
import * as tf from '@tensorflow/tfjs';
import { DistillError } from '../errors.js';

/** File name of the model topology and weights manifest. */
export const MODEL_JSON = 'model.json';
/** File name of the concatenated weight values. */
export const WEIGHTS_BIN = 'weights.bin';

/** A file to be written: a name inside the target directory and its bytes. */
export interface FileToWrite {
  /** Plain file name (no directories). */
  readonly name: string;
  /** The contents. */
  readonly data: Uint8Array;
}

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8 };
const QUANTIZED_BYTES: Record<string, number> = { uint8: 1, uint16: 2, float16: 2 };

function corrupt(source: string, problem: string): DistillError {
  return new DistillError(
    'DATA_CORRUPT',
    `${source} is not a valid tfjs model.json: ${problem}. Save the model again or restore the file from a backup.`,
  );
}

/** Bytes of a whole `WeightData` (one buffer or several). */
function weightBytes(data: tf.io.WeightData | undefined): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  return new Uint8Array(tf.io.CompositeArrayBuffer.join(data));
}

/**
 * Encodes the artifacts that `model.save()` hands to an IO handler as the two files tfjs
 * writes: `weights.bin` first, then `model.json` (the order they should be committed in).
 *
 * @param artifacts - What `LayersModel.save` passes to a save handler.
 * @throws DistillError `INVALID_ARGUMENT` for a binary (GraphDef) topology.
 */
export function encodeModelFiles(artifacts: tf.io.ModelArtifacts): FileToWrite[] {
  if (artifacts.modelTopology instanceof ArrayBuffer) {
    throw new DistillError(
      'INVALID_ARGUMENT',
      'fileSaver writes layers models with a JSON topology; this model has a binary (GraphDef) topology.',
    );
  }
  const weights = weightBytes(artifacts.weightData);
  const modelJson: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology ?? {},
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
  };
  if (artifacts.trainingConfig !== undefined) modelJson.trainingConfig = artifacts.trainingConfig;
  if (artifacts.userDefinedMetadata !== undefined) {
    modelJson.userDefinedMetadata = artifacts.userDefinedMetadata;
  }
  if (artifacts.signature !== undefined) modelJson.signature = artifacts.signature;
  return [
    { name: WEIGHTS_BIN, data: weights },
    { name: MODEL_JSON, data: new TextEncoder().encode(JSON.stringify(modelJson)) },
  ];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isShape(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((d) => Number.isSafeInteger(d) && (d as number) >= 0);
}

/**
 * Is `value` a well-formed weights-manifest entry (name, shape, known dtype)?
 *
 * @param value - A parsed JSON value.
 */
export function isWeightsManifestEntry(value: unknown): value is tf.io.WeightsManifestEntry {
  return (
    isObject(value) &&
    typeof value.name === 'string' &&
    isShape(value.shape) &&
    typeof value.dtype === 'string' &&
    (value.dtype in DTYPE_BYTES || value.dtype === 'string')
  );
}

function checkEntry(entry: unknown, at: string, source: string): void {
  if (!isObject(entry) || typeof entry.name !== 'string') {
    throw corrupt(source, `${at} must be an object with a string name`);
  }
  if (!isShape(entry.shape)) {
    throw corrupt(source, `${at}.shape must be an array of non-negative integers`);
  }
  if (
    typeof entry.dtype !== 'string' ||
    !(entry.dtype in DTYPE_BYTES || entry.dtype === 'string')
  ) {
    throw corrupt(source, `${at}.dtype ${JSON.stringify(entry.dtype)} is not a tfjs dtype`);
  }
}

function checkPath(path: unknown, at: string, source: string): void {
  // Weight files must sit beside model.json: no absolute paths, no climbing out of the folder.
  if (
    typeof path !== 'string' ||
    path === '' ||
    /^([a-zA-Z]:)?[\\/]/.test(path) ||
    path.split(/[\\/]/).includes('..')
  ) {
    throw corrupt(
      source,
      `${at} must be a relative file name beside model.json, got ${JSON.stringify(path)}`,
    );
  }
}

/**
 * Parses and validates the text of a `model.json`.
 *
 * @param text - The file's contents.
 * @param source - The file's path, for messages.
 * @throws DistillError `DATA_CORRUPT` for invalid JSON (e.g. a truncated file) or a missing or
 *   malformed `modelTopology` or `weightsManifest`.
 */
export function parseModelJson(text: string, source: string): tf.io.ModelJSON {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw corrupt(
      source,
      `it is not valid JSON, perhaps truncated (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  if (!isObject(json)) throw corrupt(source, 'the top level must be an object');
  if (!isObject(json.modelTopology)) throw corrupt(source, 'modelTopology is missing');
  if (!Array.isArray(json.weightsManifest)) throw corrupt(source, 'weightsManifest is missing');
  json.weightsManifest.forEach((group: unknown, g) => {
    const at = `weightsManifest[${g}]`;
    if (!isObject(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw corrupt(source, `${at} must have paths and weights arrays`);
    }
    group.paths.forEach((p, i) => checkPath(p, `${at}.paths[${i}]`, source));
    group.weights.forEach((w, i) => checkEntry(w, `${at}.weights[${i}]`, source));
  });
  return json as unknown as tf.io.ModelJSON;
}

/**
 * Number of bytes the given weight specs occupy, or undefined when it cannot be known in
 * advance (string weights have variable length).
 *
 * @param specs - Weight entries of a manifest group, in order.
 */
export function manifestByteLength(
  specs: readonly tf.io.WeightsManifestEntry[],
): number | undefined {
  let total = 0;
  for (const spec of specs) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const bytes = spec.quantization
      ? QUANTIZED_BYTES[spec.quantization.dtype]
      : DTYPE_BYTES[spec.dtype];
    if (bytes === undefined) return undefined;
    total += size * bytes;
  }
  return total;
}

/**
 * Checks that the weight bytes of a manifest group have exactly the length its specs need.
 *
 * @param specs - The group's weight entries.
 * @param actual - Bytes found on disk.
 * @param files - The group's file paths, for the message.
 * @param source - The model.json path, for the message.
 * @throws DistillError `DATA_CORRUPT` with both sizes when they differ.
 */
export function checkWeightBytes(
  specs: readonly tf.io.WeightsManifestEntry[],
  actual: number,
  files: string,
  source: string,
): void {
  const expected = manifestByteLength(specs);
  if (expected !== undefined && expected !== actual) {
    throw new DistillError(
      'DATA_CORRUPT',
      `${files} does not match the weightsManifest of ${source}: expected ${expected} bytes for ${specs.length} weights, got ${actual}. ` +
        'The file is truncated or belongs to another model; save the model again.',
    );
  }
}
