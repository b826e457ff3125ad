/**
 * What `init` and `eval` need to know of files a user names: which kind of data a path holds,
 * and what a model file is (a LayersModel, a GraphModel or an ONNX model), its input shape,
 * its classes and whether it outputs logits or probabilities.
 */
import type * as NodeFs from 'node:fs';
import type * as NodePath from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { looksLikeImageFolder } from '../data/sources/image-folder-list.js';
import { looksLikeCsv, looksLikeMnistDir, looksLikeNpy } from '../data/sources/detect.js';
import { DistillError, describeValue } from '../errors.js';
import { requireNodeBuiltin } from '../node-builtins.js';
import type { OutputKind } from '../teacher/output-kind.js';
import { buildTeacher, type BuiltTeacher } from './build-teacher.js';
import type { TeacherModelConfig } from './run-config.js';

/** The source config of the data at `path` (relative to `baseDir`), as a run config names it. */
export async function detectSource(
  path: string,
  baseDir: string,
): Promise<{
  readonly type: 'imageFolder' | 'csv' | 'npy' | 'mnist';
  readonly [k: string]: unknown;
}> {
  const nodePath = requireNodeBuiltin<typeof NodePath>('node:path', 'reading data');
  const fs = requireNodeBuiltin<typeof NodeFs>('node:fs', 'reading data');
  const full = nodePath.resolve(baseDir, path);
  if (!fs.existsSync(full)) {
    throw new DistillError(
      'FILE_NOT_FOUND',
      `The data ${describeValue(path)} does not exist (resolved to ${full}): give a folder of images (one subfolder per class), a .csv file, a folder with x.npy and y.npy, or a folder of MNIST IDX files.`,
    );
  }
  if (looksLikeImageFolder(full)) return { type: 'imageFolder', path };
  if (await looksLikeCsv(full)) return { type: 'csv', path };
  if (await looksLikeNpy(full)) {
    return fs.statSync(full).isDirectory() ? { type: 'npy', dir: path } : { type: 'npy', x: path };
  }
  if (await looksLikeMnistDir(full)) return { type: 'mnist', dir: path };
  throw new DistillError(
    'INVALID_ARGUMENT',
    `Cannot tell what data ${describeValue(path)} holds: give a folder of images with one subfolder per class (PNG or JPEG), a .csv file with a label column, a folder with x.npy and y.npy, or a folder of MNIST IDX files.`,
  );
}

/** The model config of the model file at `path`, from its format. */
export function modelConfigOf(
  path: string,
  baseDir: string,
): Extract<TeacherModelConfig, { readonly type: 'saved' | 'graph' | 'onnx' }> {
  const nodePath = requireNodeBuiltin<typeof NodePath>('node:path', 'reading a model');
  const fs = requireNodeBuiltin<typeof NodeFs>('node:fs', 'reading a model');
  const full = nodePath.resolve(baseDir, path);
  if (!fs.existsSync(full)) {
    throw new DistillError(
      'FILE_NOT_FOUND',
      `The model ${describeValue(path)} does not exist (resolved to ${full}): give a model.json (a LayersModel or a GraphModel), its folder, or an .onnx file.`,
    );
  }
  if (full.toLowerCase().endsWith('.onnx')) return { type: 'onnx', path };
  const json = fs.statSync(full).isDirectory() ? nodePath.join(full, 'model.json') : full;
  let format: unknown;
  try {
    format = (JSON.parse(fs.readFileSync(json, 'utf8')) as { format?: unknown }).format;
  } catch {
    // A checkpoint folder or a run's model folder: the saved-model loader says what is wrong.
    return { type: 'saved', path };
  }
  return format === 'graph-model' ? { type: 'graph', path } : { type: 'saved', path };
}

/** What a model file is. */
export interface ModelFacts {
  /** The model config naming it. */
  readonly model: ReturnType<typeof modelConfigOf>;
  /** The shape of one input example (`null` for a free dimension), as batches give it (NHWC). */
  readonly inputShape: readonly (number | null)[];
  /** The width of its output. */
  readonly numClasses: number;
  /** Logits or probabilities, and how that was found (from its structure only). */
  readonly outputs: OutputKind;
  /** The name of the layer whose output a logits recorder reads. */
  readonly outputLayer: string;
  /**
   * Its parameters: counted for a LayersModel, summed from a GraphModel's weights manifest,
   * estimated from an ONNX file's size (4 bytes per float32 weight).
   */
  readonly params: number;
}

/** The parameters of a GraphModel (from its weights manifest) or an ONNX file (from its size). */
function fileParams(model: { type: 'graph' | 'onnx'; path: string }, baseDir: string): number {
  const nodePath = requireNodeBuiltin<typeof NodePath>('node:path', 'reading a model');
  const fs = requireNodeBuiltin<typeof NodeFs>('node:fs', 'reading a model');
  const full = nodePath.resolve(baseDir, model.path);
  if (model.type === 'onnx') return Math.round(fs.statSync(full).size / 4);
  const json = fs.statSync(full).isDirectory() ? nodePath.join(full, 'model.json') : full;
  const manifest = (
    JSON.parse(fs.readFileSync(json, 'utf8')) as {
      weightsManifest?: { weights?: { shape?: number[] }[] }[];
    }
  ).weightsManifest;
  return (manifest ?? [])
    .flatMap((group) => group.weights ?? [])
    .reduce((sum, w) => sum + (w.shape ?? []).reduce((a, b) => a * b, 1), 0);
}

/** The shape of a LayersModel's only input and output, or an error naming the file. */
function ioShapes(
  model: tf.LayersModel,
  path: string,
): { input: (number | null)[]; width: number } {
  const input = model.inputs.length === 1 ? model.inputs[0]!.shape : undefined;
  const output = model.outputs.length === 1 ? model.outputs[0]!.shape : undefined;
  if (input === undefined || output?.length !== 2 || typeof output[1] !== 'number') {
    throw new DistillError(
      'SHAPE_MISMATCH',
      `The model ${path} must have one input and one output of shape [N, classes], but has inputs ${JSON.stringify(model.inputs.map((i) => i.shape))} and outputs ${JSON.stringify(model.outputs.map((o) => o.shape))}.`,
    );
  }
  return { input: input.slice(1), width: output[1] };
}

/**
 * Loads the model at `path`, reads what it is, and frees it.
 *
 * @param path - A model.json (LayersModel or GraphModel), its folder, or an .onnx file.
 * @param baseDir - Base of a relative `path`.
 */
export async function inspectModel(path: string, baseDir: string): Promise<ModelFacts> {
  const model = modelConfigOf(path, baseDir);
  let built: BuiltTeacher | undefined;
  try {
    // Built as a teacher without a fit to check against: the shapes are what is read here.
    built = await buildTeacher(
      { model, outputs: 'auto' },
      { seed: 0, name: 'model', baseDir, path },
    );
    const { input, width } = ioShapes(built.model, path);
    const inputShape = built.onnx ? built.onnx.inputShape : input;
    const outputLayer =
      built.outputs.kind === 'probabilities' || built.onnx || model.type === 'graph'
        ? 'logits'
        : built.model.layers.at(-1)!.name;
    return {
      model,
      inputShape,
      numClasses: width,
      outputs: built.outputs,
      outputLayer,
      params: model.type === 'saved' ? built.model.countParams() : fileParams(model, baseDir),
    };
  } finally {
    built?.model.dispose();
    await built?.onnx?.close();
  }
}
