/**
 * tf.io handlers that save and load layers models as `model.json` + `weights.bin` on disk
 * (Node.js only). They stand in for `model.save('file://...')`, which needs tfjs-node.
 */
import type * as NodeFs from 'node:fs';
import type * as NodePath from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { DistillTypeError, describeValue } from '../errors.js';
import { fileError } from '../file-errors.js';
import { requireNodeBuiltin } from '../node-builtins.js';
import { readFileBytes, writeFilesAtomically } from './atomic-write.js';
import { MODEL_JSON, checkWeightBytes, encodeModelFiles, parseModelJson } from './model-files.js';

function checkPathArgument(value: unknown, api: string): asserts value is string {
  if (typeof value !== 'string' || value === '') {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `${api} expects a directory path, but got ${describeValue(value)}.`,
    );
  }
}

/**
 * A save handler that writes `model.json` and `weights.bin` into `dir` atomically: both are
 * written to temporary files and flushed first, then `weights.bin` is renamed into place and
 * `model.json` last, so a crash never leaves a `model.json` that points at a partial weights
 * file. The directory is created if needed.
 *
 * @param dir - Target directory.
 * @returns An IO handler for `model.save(handler)`.
 *
 * @example
 * ```ts
 * await model.save(fileSaver('runs/teacher'));
 * const again = await tf.loadLayersModel(fileLoader('runs/teacher'));
 * ```
 */
export function fileSaver(dir: string): tf.io.IOHandler {
  checkPathArgument(dir, 'fileSaver');
  return {
    save: async (artifacts) => {
      await writeFilesAtomically(dir, encodeModelFiles(artifacts), 'fileSaver');
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
}

/**
 * A load handler that reads a model written by {@link fileSaver} (or any tfjs `model.json` with
 * weight files beside it), checking each weight group's size against the manifest.
 *
 * @param path - Path of `model.json` or of the directory holding it.
 * @returns An IO handler for `tf.loadLayersModel(handler)`.
 * @throws (when loading) DistillError `FILE_NOT_FOUND`, `DATA_CORRUPT` (invalid JSON, size
 *   mismatch) or `IO_ERROR`.
 *
 * @example
 * ```ts
 * const model = await tf.loadLayersModel(fileLoader('runs/teacher'));
 * ```
 */
export function fileLoader(path: string): tf.io.IOHandler {
  checkPathArgument(path, 'fileLoader');
  return { load: () => loadModelArtifacts(path) };
}

/**
 * Resolves `path` (a model.json or a directory) to the model.json path.
 *
 * @param path - File or directory.
 */
export async function modelJsonPath(path: string): Promise<string> {
  const fs = requireNodeBuiltin<typeof NodeFs>('node:fs', 'fileLoader');
  const nodePath = requireNodeBuiltin<typeof NodePath>('node:path', 'fileLoader');
  try {
    const stat = await fs.promises.stat(path);
    return stat.isDirectory() ? nodePath.join(path, MODEL_JSON) : path;
  } catch (error) {
    throw fileError(error, 'load a model from', path, 'Save one there first with fileSaver.');
  }
}

/**
 * Reads a model.json and its weight files into tf.io model artifacts.
 *
 * @param path - Path of model.json or its directory.
 * @param onFile - Called with each file's name (relative to the model directory) and bytes,
 *   e.g. to verify checksums.
 */
export async function loadModelArtifacts(
  path: string,
  onFile?: (name: string, bytes: Uint8Array) => void,
): Promise<tf.io.ModelArtifacts> {
  const nodePath = requireNodeBuiltin<typeof NodePath>('node:path', 'fileLoader');
  const jsonPath = await modelJsonPath(path);
  const jsonBytes = await readFileBytes(jsonPath, 'model.json', 'Save the model with fileSaver.');
  onFile?.(nodePath.basename(jsonPath), jsonBytes);
  const modelJson = parseModelJson(new TextDecoder().decode(jsonBytes), jsonPath);
  const dir = nodePath.dirname(jsonPath);
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: Uint8Array[] = [];
  for (const group of modelJson.weightsManifest) {
    const parts: Uint8Array[] = [];
    for (const name of group.paths) {
      const bytes = await readFileBytes(
        nodePath.join(dir, name),
        'weights',
        `${jsonPath} lists it; the model was not saved completely.`,
      );
      onFile?.(name, bytes);
      parts.push(bytes);
    }
    const groupBytes = parts.reduce((n, p) => n + p.length, 0);
    checkWeightBytes(
      group.weights,
      groupBytes,
      group.paths.map((p) => nodePath.join(dir, p)).join(' + '),
      jsonPath,
    );
    specs.push(...group.weights);
    buffers.push(...parts);
  }
  const weightData = new Uint8Array(buffers.reduce((n, b) => n + b.length, 0));
  let offset = 0;
  for (const b of buffers) {
    weightData.set(b, offset);
    offset += b.length;
  }
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: modelJson.modelTopology,
    weightSpecs: specs,
    weightData: weightData.buffer,
  };
  for (const key of [
    'format',
    'generatedBy',
    'convertedBy',
    'trainingConfig',
    'userDefinedMetadata',
    'signature',
    'modelInitializer',
    'initializerSignature',
  ] as const) {
    if (modelJson[key] !== undefined) Object.assign(artifacts, { [key]: modelJson[key] });
  }
  return artifacts;
}
