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
import { evaluateModel } from '../run/evaluate-model.js';
import { detectSource, inspectModel } from '../run/inspect.js';
import { openRunData } from '../run/open-data.js';
import { viewFor } from '../run/propose-config.js';
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

/**
 * `eval --model PATH --data PATH`: accuracy and errors of any model (a LayersModel, a GraphModel
 * or an ONNX model) on the test split of any data, through the view that fits the model.
 */
export async function evalOnDataCommand(
  model: string | undefined,
  data: string | undefined,
  rest: readonly string[],
): Promise<string> {
  if (model === undefined || data === undefined || rest.length > 0) {
    throw new UsageError(
      'eval --model <model.json|model.onnx> --data <folder|file.csv> evaluates a model on data; give both, and no other path.',
    );
  }
  const cwd = process.cwd();
  const facts = await inspectModel(model, cwd);
  const source = await detectSource(data, cwd);
  const name = 'eval';
  const opened = await openRunData(
    checkRunConfig({ name, model: { type: 'mlp', hidden: [1] }, data: { source } }, name),
    cwd,
  );
  const view = viewFor(facts.inputShape, opened.inputShape);
  if (view === null) {
    throw new DistillError(
      'SHAPE_MISMATCH',
      `The model ${model} takes inputs of shape [${facts.inputShape.map((d) => d ?? 'N').join(', ')}], but ${data} has examples of shape [${opened.inputShape.join(', ')}], and no resize, channel change or flattening turns one into the other.`,
    );
  }
  await selectBackend('wasm').catch(() => selectBackend('cpu'));
  const r = await evaluateModel(facts.model, opened, {
    view,
    baseDir: cwd,
    path: model,
    inputKey: 'the view',
  });
  return [
    `${model} on ${opened.description}${view ? ` (seen as ${JSON.stringify(view)})` : ''}:`,
    `  ${r.errors} test errors of ${r.count} (${(r.accuracy * 100).toFixed(2)}%), loss ${r.loss.toFixed(4)}, ${r.inferenceMsPerBatch.toFixed(1)} ms per batch of up to 1000`,
    `  outputs ${r.outputs}${r.params > 0 ? `, ${r.params.toLocaleString('en-US')} parameters` : ''}`,
  ].join('\n');
}
