/**
 * A model in the tfjs web format, ready for a page: `model.json` (topology and weights manifest,
 * without a training config) and weight shards, quantized on request. Pure: it returns the files,
 * so it runs in a browser too; {@link writeExport} puts them on disk.
 */
import * as tf from '@tensorflow/tfjs';
import { DistillError, DistillTypeError, describeValue } from '../errors.js';
import { MODEL_JSON, type FileToWrite } from '../train/model-files.js';
import { encodeWeights, type QuantizeDtype } from './quantize.js';
import { DEFAULT_SHARD_BYTES, shardFiles } from './shards.js';
import { checkStockLayers } from './stock-layers.js';

/** Options of {@link exportModelFiles}. */
export interface ExportOptions {
  /** Quantize float32 weights to this dtype; default none (`float32`). */
  readonly quantize?: QuantizeDtype | 'float32';
  /** Largest weight file, in bytes (default 4 MiB, as tfjs-converter). */
  readonly shardBytes?: number;
  /**
   * JSON written as `userDefinedMetadata` of model.json (what the inputs are, class names...);
   * `model.getUserDefinedMetadata()` returns it after loading.
   */
  readonly metadata?: Readonly<Record<string, object>>;
  /** Names the model in messages. Default `the model`. */
  readonly source?: string;
}

/** The files of an exported model. */
export interface ExportedModel {
  /** Weight shards first, model.json last (the order to commit them in). */
  readonly files: readonly FileToWrite[];
  /** The contents of model.json. */
  readonly modelJson: tf.io.ModelJSON;
  /** The quantization applied. */
  readonly quantize: QuantizeDtype | 'float32';
  /** Bytes of all files. */
  readonly bytes: number;
}

/** The artifacts `model.save` would write, captured in memory. */
async function artifactsOf(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let captured: tf.io.ModelArtifacts | undefined;
  await model.save({
    save: (artifacts) => {
      captured = artifacts;
      return Promise.resolve({ modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) });
    },
  });
  return captured!;
}

/**
 * Writes the artifacts of a layers model as the files of the tfjs web format.
 *
 * @param artifacts - What `LayersModel.save` hands to a save handler, or what a model.json and
 *   its weights hold.
 * @param options - Quantization, shard size, metadata.
 * @throws DistillError `INVALID_ARGUMENT` for a model that stock TF.js cannot load (a custom
 *   layer, a graph model) or weights float16 cannot hold.
 */
export function exportArtifacts(
  artifacts: tf.io.ModelArtifacts,
  options: ExportOptions = {},
): ExportedModel {
  const source = options.source ?? 'the model';
  const shardBytes = options.shardBytes ?? DEFAULT_SHARD_BYTES;
  if (!Number.isSafeInteger(shardBytes) || shardBytes < 1) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `shardBytes must be a positive integer, but got ${describeValue(shardBytes)}.`,
    );
  }
  if (artifacts.modelTopology instanceof ArrayBuffer || artifacts.format === 'graph-model') {
    throw new DistillError(
      'INVALID_ARGUMENT',
      `${source} is a graph model; an export writes layers models (tf.LayersModel) only.`,
    );
  }
  checkStockLayers(artifacts.modelTopology, source);
  const quantize = options.quantize ?? 'float32';
  const data =
    artifacts.weightData === undefined
      ? new Uint8Array(0)
      : new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData));
  const weights = encodeWeights(
    artifacts.weightSpecs ?? [],
    data,
    quantize === 'float32' ? undefined : quantize,
  );
  const all = new Uint8Array(weights.reduce((n, w) => n + w.bytes.length, 0));
  let offset = 0;
  for (const w of weights) {
    all.set(w.bytes, offset);
    offset += w.bytes.length;
  }
  const shards = shardFiles(all, shardBytes);
  const metadata: Record<string, object> = {
    ...(artifacts.userDefinedMetadata ?? {}),
    ...(options.metadata ?? {}),
  };
  // No trainingConfig: the page predicts, and a custom loss named there would fail to load.
  const modelJson: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology ?? {},
    format: 'layers-model',
    generatedBy: artifacts.generatedBy,
    convertedBy: 'tfjs-distill export',
    weightsManifest: [{ paths: shards.map((s) => s.name), weights: weights.map((w) => w.spec) }],
    ...(Object.keys(metadata).length > 0 ? { userDefinedMetadata: metadata } : {}),
  };
  const json = { name: MODEL_JSON, data: new TextEncoder().encode(JSON.stringify(modelJson)) };
  const files = [...shards, json];
  return {
    files,
    modelJson,
    quantize,
    bytes: files.reduce((n, f) => n + f.data.length, 0),
  };
}

/**
 * Exports a layers model as the files of the tfjs web format (model.json + weight shards),
 * quantized on request, loadable by a stock `tf.loadLayersModel`.
 *
 * @example
 * ```ts
 * const { files } = await exportModelFiles(student, { quantize: 'uint8' });
 * ```
 */
export async function exportModelFiles(
  model: tf.LayersModel,
  options: ExportOptions = {},
): Promise<ExportedModel> {
  if (!(model instanceof tf.LayersModel)) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `exportModelFiles expects a tf.LayersModel, but got ${describeValue(model)}.`,
    );
  }
  return exportArtifacts(await artifactsOf(model), { source: model.name, ...options });
}

/**
 * A model from exported files, loaded as a page would load it (the weights dequantized by tfjs).
 *
 * @param exported - What {@link exportArtifacts} returned.
 */
export function loadExported(exported: ExportedModel): Promise<tf.LayersModel> {
  const shards = exported.files.filter((f) => f.name !== MODEL_JSON);
  const joined = new Uint8Array(shards.reduce((n, f) => n + f.data.length, 0));
  let offset = 0;
  for (const s of shards) {
    joined.set(s.data, offset);
    offset += s.data.length;
  }
  const group = exported.modelJson.weightsManifest[0];
  if (group === undefined) {
    throw new DistillError('DATA_CORRUPT', 'The exported model.json has no weights group.');
  }
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: exported.modelJson.modelTopology,
      weightSpecs: group.weights,
      weightData: joined.buffer,
    }),
  );
}
