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
  const { seed, name, baseDir, path } = options;
  if (typeof config === 'function') {
    const model = await config(seed);
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
