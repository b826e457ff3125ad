/**
 * `tfjs-distill eval <config|run-dir|checkpoint|model.json>`: test errors of a trained model.
 */
import type * as NodeFs from 'node:fs';
import type * as NodePath from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { loadMnist } from '../data/mnist-node.js';
import { DistillError } from '../errors.js';
import { requireNodeBuiltin } from '../node-builtins.js';
import { countParams } from '../models/params.js';
import { loadSavedModel } from '../run/build-model.js';
import { checkRunConfig } from '../run/check-run-config.js';
import { datasetSplit } from '../data/sources/in-memory.js';
import { recommendedBackend, selectBackend } from '../train/backend.js';
import type { EvaluationResult } from '../train/evaluate.js';
import { evaluate } from '../train/evaluate.js';
import { inferenceMs } from '../train/inference-time.js';
import { UsageError } from './cli-error.js';
import { loadConfigFile } from './load-config.js';

/** What `eval` measured. */
export interface EvalResult extends EvaluationResult {
  /** The model that was evaluated. */
  readonly modelPath: string;
  /** Its trainable parameters. */
  readonly params: number;
  /** Median milliseconds to predict one batch of 1000 test examples. */
  readonly inferenceMsPerBatch: number;
}

function modelPathOf(
  target: string,
  runsDir: string,
  fs: typeof NodeFs,
  path: typeof NodePath,
): Promise<string> | string {
  const full = path.resolve(target);
  if (!fs.existsSync(full))
    throw new DistillError(
      'FILE_NOT_FOUND',
      `${target} does not exist: give a config, a run directory, a checkpoint or a model.json.`,
    );
  if (fs.statSync(full).isDirectory()) {
    const model = path.join(full, 'model');
    return fs.existsSync(path.join(model, 'model.json')) ? model : full;
  }
  if (/\.(json|mjs|js|ts|mts)$/.test(full) && path.basename(full) !== 'model.json') {
    return loadConfigFile(full).then((loaded) => {
      const config = checkRunConfig(loaded.raw, loaded.defaultName);
      const model = path.resolve(runsDir, config.name, 'model');
      if (!fs.existsSync(model)) {
        throw new DistillError(
          'FILE_NOT_FOUND',
          `Run "${config.name}" has no final model in ${model}: train it first (tfjs-distill train ${target}).`,
        );
      }
      return model;
    });
  }
  return full;
}

/** Evaluates a trained model on the MNIST test set. */
export async function evalCommand(
  target: string | undefined,
  options: { runsDir: string; testLimit?: number },
): Promise<EvalResult> {
  if (target === undefined)
    throw new UsageError(
      'eval needs a config, a run directory, a checkpoint or a model.json: tfjs-distill eval <path>',
    );
  const fs = requireNodeBuiltin<typeof NodeFs>('node:fs', 'eval');
  const path = requireNodeBuiltin<typeof NodePath>('node:path', 'eval');
  const modelPath = await modelPathOf(target, options.runsDir, fs, path);
  const model = await loadSavedModel(modelPath, process.cwd());
  try {
    // Measure on the backend a run would use (wasm for dense models), falling back to cpu.
    await selectBackend(recommendedBackend(model)).catch(() => selectBackend('cpu'));
    const { test } = await loadMnist({ trainLimit: 0, testLimit: options.testLimit });
    const result = await evaluate(model, test);
    return {
      ...result,
      modelPath,
      params: countParams(model, 'trainable'),
      inferenceMsPerBatch: await inferenceMs(
        (x) => model.predict(x) as tf.Tensor,
        datasetSplit(test, [test.images.length / Math.max(1, test.count)]),
      ),
    };
  } finally {
    model.dispose();
  }
}
