/**
 * Loading a GraphModel (tfjs-converter's model.json and weight shards) from disk in Node.js,
 * without tfjs-node: the files are read with `fs` and handed to `tf.loadGraphModel`.
 */
import type * as NodeFs from 'node:fs';
import type * as NodePath from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { DistillError, describeValue } from '../errors.js';
import { fileError } from '../file-errors.js';
import { requireNodeBuiltin } from '../node-builtins.js';

const CONVERT_HINT =
  'Convert the model with tensorflowjs_converter (--output_format=tfjs_graph_model) and point at its model.json or folder.';

interface GraphModelJson {
  readonly format?: string;
  readonly modelTopology: unknown;
  readonly weightsManifest: tf.io.WeightsManifestConfig;
  readonly [key: string]: unknown;
}

function parseJson(text: string, file: string): GraphModelJson {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new DistillError(
      'DATA_CORRUPT',
      `${file} is not valid JSON: ${String(error)}. ${CONVERT_HINT}`,
      {
        cause: error,
      },
    );
  }
  const j = json as Partial<GraphModelJson> | null;
  if (
    typeof j !== 'object' ||
    j === null ||
    typeof j.modelTopology !== 'object' ||
    !Array.isArray(j.weightsManifest)
  ) {
    throw new DistillError(
      'DATA_CORRUPT',
      `${file} is not a tfjs model.json: it needs modelTopology and weightsManifest. ${CONVERT_HINT}`,
    );
  }
  if (j.format !== undefined && j.format !== 'graph-model') {
    throw new DistillError(
      'INVALID_ARGUMENT',
      `${file} holds a ${describeValue(j.format)} model, not a graph model; load a layers model with tf.loadLayersModel (or the run's "saved" model type).`,
    );
  }
  return j as GraphModelJson;
}

/**
 * Reads a GraphModel's files into model artifacts: the topology, signature and initializer
 * from model.json, and the weight shards concatenated in manifest order.
 *
 * @param path - A model.json, or the folder holding one.
 * @throws `FILE_NOT_FOUND` naming a missing model.json or shard; `DATA_CORRUPT` for an
 *   unreadable model.json or shards whose size does not fit the manifest; `IO_ERROR`.
 */
export async function readGraphModelArtifacts(path: string): Promise<tf.io.ModelArtifacts> {
  const fs = requireNodeBuiltin<typeof NodeFs>('node:fs', 'loadGraphTeacher');
  const nodePath = requireNodeBuiltin<typeof NodePath>('node:path', 'loadGraphTeacher');
  let jsonPath = path;
  let text: string;
  try {
    if ((await fs.promises.stat(path)).isDirectory()) jsonPath = nodePath.join(path, 'model.json');
    text = await fs.promises.readFile(jsonPath, 'utf8');
  } catch (error) {
    throw fileError(error, 'load a GraphModel from', jsonPath, CONVERT_HINT);
  }
  const json = parseJson(text, jsonPath);
  const dir = nodePath.dirname(jsonPath);
  const shards: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    for (const name of group.paths) {
      const file = nodePath.join(dir, name);
      try {
        shards.push(await fs.promises.readFile(file));
      } catch (error) {
        throw fileError(
          error,
          'read the weights',
          file,
          `${jsonPath} lists it; copy every shard beside model.json.`,
        );
      }
    }
  }
  const weightSpecs = json.weightsManifest.flatMap((g) => g.weights);
  const weightData = new Uint8Array(shards.reduce((n, s) => n + s.length, 0));
  let offset = 0;
  for (const shard of shards) {
    weightData.set(shard, offset);
    offset += shard.length;
  }
  const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };
  const expected = weightSpecs.reduce(
    (n, w) => n + w.shape.reduce((a, b) => a * b, 1) * (BYTES[w.dtype] ?? NaN),
    0,
  );
  // Quantized and string weights have no fixed size per element: only plain ones are checked.
  const plain = weightSpecs.every((w) => w.quantization === undefined) && !Number.isNaN(expected);
  if (plain && expected !== weightData.length) {
    throw new DistillError(
      'DATA_CORRUPT',
      `The weight shards of ${jsonPath} hold ${weightData.length} bytes, but its manifest describes ${expected}. Re-copy the shards, or convert the model again.`,
    );
  }
  const { weightsManifest: _manifest, modelTopology, ...rest } = json;
  return {
    ...rest,
    modelTopology: modelTopology as tf.io.ModelArtifacts['modelTopology'],
    weightSpecs,
    weightData: weightData.buffer,
  };
}

/**
 * Loads a GraphModel written by tfjs-converter from disk (Node.js), for
 * {@link graphModelAsLayers}.
 *
 * @param path - A model.json, or the folder holding one.
 * @throws See {@link readGraphModelArtifacts}; tfjs's own error for a graph it cannot run.
 *
 * @example
 * ```ts
 * const graph = await loadGraphTeacher('models/teacher-graph');
 * const teacher = graphModelAsLayers(graph, { disposeGraph: true });
 * ```
 */
export async function loadGraphTeacher(path: string): Promise<tf.GraphModel> {
  if (typeof path !== 'string' || path === '') {
    throw new DistillError(
      'INVALID_ARGUMENT',
      `loadGraphTeacher expects the path of a model.json or its folder, but got ${describeValue(path)}.`,
    );
  }
  const artifacts = await readGraphModelArtifacts(path);
  return tf.loadGraphModel({ load: () => Promise.resolve(artifacts) });
}
