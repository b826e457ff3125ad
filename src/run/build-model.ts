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

/**
 * Builds the model of `config`.
 *
 * @param config - The model config.
 * @param options - `seed` for initial weights, `name` of the model, `baseDir` for relative paths,
 *   `path` of the config key for messages.
 */
export async function buildModel(
  config: ModelConfig,
  options: { seed: number; name: string; baseDir: string; path: string },
): Promise<tf.LayersModel> {
  const model = await build(config, options);
  checkMnistModel(model, config, options.path);
  return model;
}

async function build(
  config: ModelConfig,
  options: { seed: number; name: string; baseDir: string; path: string },
): Promise<tf.LayersModel> {
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

function isFlat(shape: readonly (number | null)[] | undefined, size: number): boolean {
  return shape !== undefined && shape.length === 2 && shape[1] === size;
}

function formatShape(shape: readonly (number | null)[] | undefined): string {
  return shape === undefined ? 'several tensors' : `[${shape.map((d) => d ?? 'N').join(', ')}]`;
}

/**
 * A run trains on flat MNIST digits: its models must take `[N, 784]` and output `[N, 10]`.
 * Checked when the model is built, so that a mismatch (such as `inputSize: 100`) stops the run
 * before anything is written instead of failing in its first step.
 */
function checkMnistModel(model: tf.LayersModel, config: ModelConfig, path: string): void {
  const zoo = typeof config === 'object' && (config.type === 'mlp' || config.type === 'smallCnn');
  const input = onlyShape(model.inputs);
  const output = onlyShape(model.outputs);
  let problem: string | undefined;
  if (!isFlat(input, 784)) {
    problem =
      `takes inputs of shape ${formatShape(input)}, but a run feeds it flat MNIST digits, [N, 784]` +
      (zoo ? `; set ${path}.inputSize to 784 or remove it` : '');
  } else if (!isFlat(output, 10)) {
    problem =
      `outputs ${formatShape(output)}, but a run needs the logits of the ten digits, [N, 10]` +
      (zoo ? `; set ${path}.numClasses to 10 or remove it` : '');
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
