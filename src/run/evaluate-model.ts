/**
 * Evaluates a model of any format on the test split of any data source, through the view that
 * fits it: the teacher row of a comparison, and `tfjs-distill eval --model --data`.
 */
import type * as tf from '@tensorflow/tfjs';
import type { DataSource } from '../data/sources/source.js';
import { makeView, viewedSample, type ViewConfig } from '../data/view.js';
import { evaluateSplit, type SplitEvaluation } from '../train/evaluate-split.js';
import { inferenceMs } from '../train/inference-time.js';
import { buildTeacher } from './build-teacher.js';
import type { TeacherModelConfig, TeacherOutputKind } from './run-config.js';

/** What {@link evaluateModel} measured. */
export interface ModelEvaluation extends SplitEvaluation {
  /** Parameters of the model (0 for ONNX, whose weights tfjs does not hold). */
  readonly params: number;
  /** Median milliseconds to predict one batch of up to 1000 test examples. */
  readonly inferenceMsPerBatch: number;
  /** What the model outputs, and how that was found. */
  readonly outputs: string;
}

/** Options of {@link evaluateModel}. */
export interface EvaluateModelOptions {
  /** The model's view of the data. */
  readonly view?: ViewConfig;
  /** What the model outputs; default `auto`. */
  readonly outputs?: TeacherOutputKind;
  /** Base of relative paths. */
  readonly baseDir: string;
  /** The config key of the model, for messages. */
  readonly path: string;
  /** The config key of the view, for messages. */
  readonly inputKey: string;
  /** Examples per forward pass. Default 1000. */
  readonly batchSize?: number;
}

/**
 * Loads `model`, checks that it fits `data` through `view`, and measures its test errors,
 * accuracy, loss and latency. Frees the model afterwards.
 */
export async function evaluateModel(
  model: TeacherModelConfig,
  data: DataSource,
  options: EvaluateModelOptions,
): Promise<ModelEvaluation> {
  const view = makeView(options.view, data.inputShape, options.inputKey);
  const outputs = options.outputs ?? 'auto';
  // Without a structural sign of a softmax, the model's outputs on a test batch tell.
  const sample = outputs === 'auto' ? await viewedSample(data.test, view.apply) : undefined;
  let built;
  try {
    built = await buildTeacher(
      { model, outputs },
      {
        seed: 0,
        name: 'model',
        baseDir: options.baseDir,
        path: options.path,
        fit: {
          inputShape: view.inputShape,
          numClasses: data.numClasses,
          inputKey: options.inputKey,
        },
      },
      sample,
    );
  } finally {
    sample?.dispose();
  }
  const predict = async (x: tf.Tensor): Promise<tf.Tensor> => {
    const viewed = view.apply(x);
    try {
      return built.onnx
        ? await built.onnx.predict(viewed)
        : (built.model.predict(viewed) as tf.Tensor);
    } finally {
      if (viewed !== x) viewed.dispose();
    }
  };
  try {
    const result = await evaluateSplit(predict, data.test, {
      numClasses: data.numClasses,
      batchSize: options.batchSize,
      name: options.path,
    });
    return {
      ...result,
      params: built.model.countParams(),
      inferenceMsPerBatch: await inferenceMs(predict, data.test),
      outputs: `${built.outputs.kind} (${built.outputs.reason})`,
    };
  } finally {
    built.model.dispose();
    await built.onnx?.close();
  }
}
