/**
 * What quantization costs a model: for each dtype, its size in the web format and its test
 * errors, agreement with the float32 model and latency, measured on the exported bytes as a page
 * would load them.
 */
import * as tf from '@tensorflow/tfjs';
import type { DataSplit } from '../data/sources/source.js';
import { agreement, evaluateSplit } from '../train/evaluate-split.js';
import { inferenceMs } from '../train/inference-time.js';
import { exportModelFiles, loadExported, type ExportedModel } from './export-model.js';
import type { QuantizeDtype } from './quantize.js';

/** One dtype's figures. */
export interface QuantizedRow {
  /** The weights' storage. */
  readonly quantize: QuantizeDtype | 'float32';
  /** Bytes of model.json and the weight files. */
  readonly bytes: number;
  /** Test errors. */
  readonly errors: number;
  /** Test accuracy in [0, 1]. */
  readonly accuracy: number;
  /** Test examples. */
  readonly count: number;
  /** Fraction of test examples on which it predicts the float32 model's class. */
  readonly agreement: number;
  /** Largest absolute difference from the float32 model's outputs, over the test examples. */
  readonly maxAbsDiff: number;
  /** Median milliseconds to predict a batch of up to 1000 test examples. */
  readonly inferenceMsPerBatch: number;
}

/** Options of {@link compareQuantizations}. */
export interface CompareQuantizationsOptions {
  /** Classes of the data. */
  readonly numClasses: number;
  /** The dtypes to measure, float32 included or not. Default float32, float16, uint8. */
  readonly dtypes?: readonly (QuantizeDtype | 'float32')[];
  /** What the model sees of a batch (its view); default the batch itself. */
  readonly view?: (x: tf.Tensor) => tf.Tensor;
  /** Examples per forward pass. Default 1000. */
  readonly batchSize?: number;
}

/**
 * The largest absolute difference between two models' outputs over `split`.
 *
 * @param a - One model's outputs of a batch (the caller's tensors are not kept).
 * @param b - The other's.
 * @param split - The examples.
 * @param batchSize - Examples per forward pass.
 */
export async function outputGap(
  a: (x: tf.Tensor) => tf.Tensor,
  b: (x: tf.Tensor) => tf.Tensor,
  split: DataSplit,
  batchSize: number,
): Promise<number> {
  let gap = 0;
  for await (const batch of split.batches({ batchSize, seed: 0, epoch: 0, shuffle: false })) {
    const d = tf.tidy(() => tf.max(tf.abs(tf.sub(a(batch.x), b(batch.x)))));
    gap = Math.max(gap, (await d.data())[0]!);
    tf.dispose([d, batch.x, batch.y]);
  }
  return gap;
}

/**
 * Exports `model` at each dtype in memory, loads each export back as stock TF.js would, and
 * measures it on `split` against the float32 model.
 *
 * @param model - The trained model (left as it is).
 * @param split - The test split.
 * @param options - Classes, dtypes, view.
 */
export async function compareQuantizations(
  model: tf.LayersModel,
  split: DataSplit,
  options: CompareQuantizationsOptions,
): Promise<QuantizedRow[]> {
  const dtypes = options.dtypes ?? ['float32', 'float16', 'uint8'];
  const batchSize = options.batchSize ?? 1000;
  const view = options.view ?? ((x: tf.Tensor) => x);
  const predictWith =
    (m: tf.LayersModel) =>
    (x: tf.Tensor): tf.Tensor =>
      tf.tidy(() => m.predict(view(x)) as tf.Tensor);
  const reference = predictWith(model);
  const base = await evaluateSplit(reference, split, { numClasses: options.numClasses, batchSize });
  const rows: QuantizedRow[] = [];
  for (const quantize of dtypes) {
    const exported: ExportedModel = await exportModelFiles(model, { quantize });
    const loaded = await loadExported(exported);
    try {
      const predict = predictWith(loaded);
      const result = await evaluateSplit(predict, split, {
        numClasses: options.numClasses,
        batchSize,
      });
      rows.push({
        quantize,
        bytes: exported.bytes,
        errors: result.errors,
        accuracy: result.accuracy,
        count: result.count,
        agreement: agreement(result.predictions, base.predictions),
        maxAbsDiff: await outputGap(reference, predict, split, batchSize),
        inferenceMsPerBatch: await inferenceMs(predict, split, batchSize),
      });
    } finally {
      loaded.dispose();
    }
  }
  return rows;
}
