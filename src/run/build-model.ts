/**
 * Turns a {@link ModelConfig} into a tfjs model: a zoo model, a saved model or checkpoint, or
 * the model a `.ts`/`.js` config's function returns.
 */
import type * as NodeFs from 'node:fs';
import type * as NodePath from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { DistillError, describeValue } from '../errors.js';
import { atPath } from '../config/validate.js';
import { requireNodeBuiltin } from '../node-builtins.js';
import { smallCnn } from '../models/cnn.js';
import { hintonStudent, hintonTeacher, mlp, smallMlp } from '../models/mlp.js';
import { fileLoader } from '../train/checkpoint-io.js';
import { CHECKPOINT_JSON } from '../train/checkpoint-format.js';
import { loadCheckpoint } from '../train/checkpoint.js';
import type { ModelConfig } from './run-config.js';

/** What a run's model must fit: the examples it sees and the classes of the data. */
export interface ModelFit {
  /** The shape of one example as the model sees it (after its view). */
  readonly inputShape: readonly number[];
  /** The number of classes of the data. */
  readonly numClasses: number;
  /** The config key of the model's view (`input`, `teacher.input`), for the fix in messages. */
  readonly inputKey: string;
}

/** Options of {@link buildModel}. */
export interface BuildModelOptions {
  /** Seed of initial weights. */
  readonly seed: number;
  /** The model's name. */
  readonly name: string;
  /** Base of relative paths (the config file's folder). */
  readonly baseDir: string;
  /** The config key of the model, for messages (`model`, `teacher.model`). */
  readonly path: string;
  /** What the model must fit; zoo models are sized from it. Default: flat MNIST. */
  readonly fit?: ModelFit;
}

const MNIST_FIT: ModelFit = { inputShape: [784], numClasses: 10, inputKey: 'input' };

/**
 * Builds the model of `config` and checks that it fits the data: it takes examples of
 * `fit.inputShape` and outputs `[N, fit.numClasses]`. Zoo models without `inputSize` or
 * `numClasses` are sized from `fit`.
 *
 * @param config - The model config.
 * @param options - Seed, name, base folder, config key and the fit.
 * @throws `SHAPE_MISMATCH` naming the key and the fix when the model does not fit.
 */
export async function buildModel(
  config: ModelConfig,
  options: BuildModelOptions,
): Promise<tf.LayersModel> {
  const fit = options.fit ?? MNIST_FIT;
  const model = await build(sized(config, fit), options);
  checkFits(model, config, fit, options.path);
  return model;
}

/** A zoo config with the data's example shape and classes where it names none. */
function sized(config: ModelConfig, fit: ModelFit): ModelConfig {
  if (typeof config !== 'object' || (config.type !== 'mlp' && config.type !== 'smallCnn'))
    return config;
  const numClasses = config.numClasses ?? fit.numClasses;
  if (config.inputSize !== undefined || config.inputShape !== undefined)
    return { ...config, numClasses };
  const shape = [...fit.inputShape];
  if (config.type === 'smallCnn') {
    // A flat square image keeps the reshape of the MNIST CNN; an image goes in as it is.
    return shape.length === 3
      ? { ...config, numClasses, inputShape: shape as [number, number, number] }
      : { ...config, numClasses, inputSize: shape.reduce((a, b) => a * b, 1) };
  }
  return shape.length === 1
    ? { ...config, numClasses, inputSize: shape[0] }
    : { ...config, numClasses, inputShape: shape };
}

async function build(config: ModelConfig, options: BuildModelOptions): Promise<tf.LayersModel> {
  const { seed, name, baseDir, path } = options;
  if (typeof config === 'function') {
    let model: unknown;
    try {
      model = await config(seed);
    } catch (error) {
      if (error instanceof DistillError) throw error;
      // The config's own code failed: name the key instead of surfacing a bare message.
      throw new DistillError(
        'INVALID_CONFIG',
        `${path}: the model function threw: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
    if (!(model instanceof tf.LayersModel)) {
      throw new DistillError(
        'INVALID_CONFIG',
        `${path}: the model function must return a tfjs LayersModel, but returned ${describeValue(model)}.`,
      );
    }
    return model;
  }
  // Synchronous, so that atPath sees the zoo builders' errors (it cannot catch a rejection).
  return atPath(path, (): tf.LayersModel | Promise<tf.LayersModel> => {
    switch (config.type) {
      case 'mlp': {
        const { type: _type, ...rest } = config;
        return mlp({ ...rest, seed, name });
      }
      case 'smallCnn': {
        const { type: _type, ...rest } = config;
        return smallCnn({ ...rest, seed, name });
      }
      case 'hintonTeacher':
        return hintonTeacher({ seed, name });
      case 'hintonStudent':
        return hintonStudent({ seed, name });
      case 'smallMlp':
        return smallMlp({ seed, name });
      case 'saved':
        return loadSavedModel(config.path, baseDir, path);
    }
  });
}

/** The shape of a model's only input or output, or undefined when it has several. */
function onlyShape(tensors: readonly tf.SymbolicTensor[]): readonly (number | null)[] | undefined {
  return tensors.length === 1 ? tensors[0]!.shape : undefined;
}

function formatShape(shape: readonly (number | null)[] | undefined): string {
  return shape === undefined ? 'several tensors' : `[${shape.map((d) => d ?? 'N').join(', ')}]`;
}

/** Whether a model input of `shape` (batch axis first) takes examples of `example`. */
function takes(shape: readonly (number | null)[] | undefined, example: readonly number[]): boolean {
  return (
    shape !== undefined &&
    shape.length === example.length + 1 &&
    example.every((d, i) => shape[i + 1] === null || shape[i + 1] === d)
  );
}

/** How to make the data fit a model that takes `shape`: the view that gives it. */
function viewHint(shape: readonly (number | null)[] | undefined, fit: ModelFit): string {
  if (shape === undefined) return '';
  const dims = shape.slice(1);
  if (dims.some((d) => d === null)) return '';
  const size = (dims as number[]).reduce((a, b) => a * b, 1);
  const dataSize = fit.inputShape.reduce((a, b) => a * b, 1);
  if (dims.length === 1 && size === dataSize) return `; set ${fit.inputKey}: { "flatten": true }`;
  if (dims.length === 3 && fit.inputShape.length === 3 && (dims[2] === 1 || dims[2] === 3)) {
    return `; set ${fit.inputKey}: { "size": [${dims[0]}, ${dims[1]}], "channels": ${dims[2]} }`;
  }
  return '';
}

/**
 * A model must take the examples the data gives it and output one logit per class. Checked
 * when the model is built, so that a mismatch stops the run before anything is written
 * instead of failing in its first step.
 *
 * @throws `SHAPE_MISMATCH` naming `path` and the fix; the model is disposed first.
 */
export function checkFits(
  model: tf.LayersModel,
  config: ModelConfig | { readonly type: string },
  fit: ModelFit,
  path: string,
): void {
  const zoo = typeof config === 'object' && (config.type === 'mlp' || config.type === 'smallCnn');
  const input = onlyShape(model.inputs);
  const output = onlyShape(model.outputs);
  const example = `[N, ${fit.inputShape.join(', ')}]`;
  let problem: string | undefined;
  if (!takes(input, fit.inputShape)) {
    problem =
      `takes inputs of shape ${formatShape(input)}, but the data gives it ${example}` +
      (zoo
        ? fit.inputShape.length === 1
          ? `; set ${path}.inputSize to ${fit.inputShape[0]} or remove it`
          : `; remove ${path}.inputSize and ${path}.inputShape: they are sized from the data`
        : viewHint(input, fit));
  } else if (output?.length !== 2 || output[1] !== fit.numClasses) {
    problem =
      `outputs ${formatShape(output)}, but the data has ${fit.numClasses} classes: it needs logits [N, ${fit.numClasses}]` +
      (zoo
        ? `; set ${path}.numClasses to ${fit.numClasses} or remove it`
        : '; use a model of these classes, or data of its classes');
  }
  if (problem !== undefined) {
    model.dispose();
    throw new DistillError('SHAPE_MISMATCH', `${path} ${problem}.`);
  }
}

/** Loads a model written by tfjs-distill: a checkpoint directory, a model directory or a model.json. */
export async function loadSavedModel(
  target: string,
  baseDir: string,
  path = 'model',
): Promise<tf.LayersModel> {
  const fs = requireNodeBuiltin<typeof NodeFs>('node:fs', 'loading a saved model');
  const nodePath = requireNodeBuiltin<typeof NodePath>('node:path', 'loading a saved model');
  const full = nodePath.resolve(baseDir, target);
  if (!fs.existsSync(full)) {
    throw new DistillError(
      'FILE_NOT_FOUND',
      `${path}.path: ${describeValue(target)} does not exist (resolved to ${full}). Train the model first (tfjs-distill train <config>) or fix the path.`,
    );
  }
  if (fs.statSync(full).isDirectory() && fs.existsSync(nodePath.join(full, CHECKPOINT_JSON))) {
    return (await loadCheckpoint(full)).model;
  }
  return tf.loadLayersModel(fileLoader(full));
}
