/**
 * Teachers that output probabilities instead of logits: telling them apart, and turning
 * probabilities into log-probabilities, which temperature scaling treats as logits.
 */
import * as tf from '@tensorflow/tfjs';
import { DistillError, DistillTypeError, describeValue } from '../errors.js';
import { graphOutputOp } from './graph-teacher.js';
import { LOGITS_LAYER, tapModel } from './tap-model.js';

/** What a teacher outputs, and why {@link detectOutputKind} thinks so. */
export interface OutputKind {
  /** `logits` (any real numbers) or `probabilities` (rows of non-negative numbers summing to 1). */
  readonly kind: 'logits' | 'probabilities';
  /** How it was told: the output layer's activation, the output op, or the values. */
  readonly reason: string;
}

/**
 * The default floor of the probabilities {@link asLogits} takes the log of (`log(1e-30)` is
 * about -69). It is far below the usual 1e-7 on purpose: a float32 softmax keeps tiny
 * probabilities accurately, and a confident teacher has many below 1e-7; clipping them there
 * changes its distribution at temperature 4 by up to 4e-3 (measured on the MNIST fixtures).
 * Exact zeros (underflow) still get a finite log. Backends computing in float16 need a
 * floor of about 1e-7: pass `minProbability`.
 */
export const MIN_PROBABILITY = 1e-30;

/**
 * Whether a batch of outputs `[N, K]` looks like probabilities: every value non-negative and
 * every row summing to 1 within `tolerance`.
 */
export function numericOutputKind(output: tf.Tensor, tolerance = 1e-4): OutputKind {
  const [min, worst] = tf.tidy(() => {
    const rows = output.reshape([output.shape[0] ?? 1, -1]);
    return [rows.min().dataSync()[0]!, rows.sum(1).sub(1).abs().max().dataSync()[0]!];
  });
  if (min >= 0 && worst <= tolerance) {
    return {
      kind: 'probabilities',
      reason: `every output is non-negative and every row sums to 1 within ${tolerance} (largest deviation ${worst.toExponential(2)})`,
    };
  }
  return {
    kind: 'logits',
    reason:
      min < 0
        ? `some outputs are negative (smallest ${min.toPrecision(4)})`
        : `rows do not sum to 1 (largest deviation ${worst.toPrecision(4)})`,
  };
}

/** The kind an op or activation name says, if it says one. */
function kindOfOp(op: string | undefined, what: string): OutputKind | undefined {
  if (op === undefined) return undefined;
  if (/^softmax$/i.test(op)) return { kind: 'probabilities', reason: `${what} is ${op}` };
  if (/^(logsoftmax|log)$/i.test(op))
    return { kind: 'logits', reason: `${what} is ${op} (log-probabilities)` };
  return undefined;
}

/** The structural verdict for a LayersModel: its last layer's activation or class, recursively. */
function layersKind(model: tf.LayersModel): OutputKind | undefined {
  const layer = model.outputs[0]?.sourceLayer;
  if (layer === undefined) return undefined;
  if (layer instanceof tf.LayersModel) return layersKind(layer);
  const op = (layer as { outputOp?: unknown }).outputOp;
  if (typeof op === 'string') return kindOfOp(op, `the output op of layer "${layer.name}"`);
  if (layer.getClassName() === 'Softmax') {
    return { kind: 'probabilities', reason: `the output layer "${layer.name}" is a Softmax layer` };
  }
  const activation = (layer.getConfig() as { activation?: unknown }).activation;
  return typeof activation === 'string'
    ? kindOfOp(activation, `the activation of the output layer "${layer.name}"`)
    : undefined;
}

/**
 * Tells whether a teacher outputs logits or probabilities: from its structure (the output
 * layer's activation or a Softmax layer; a GraphModel's output op), else from its outputs on
 * `sample` (see {@link numericOutputKind}), else it assumes logits.
 *
 * @param model - A LayersModel (a {@link graphModelAsLayers} wrapper included) or a GraphModel.
 * @param sample - A batch of inputs, for the numeric check.
 * @param options - `outputNode` of a GraphModel (default its first output).
 */
export function detectOutputKind(
  model: tf.LayersModel | tf.GraphModel,
  sample?: tf.Tensor,
  options: { outputNode?: string } = {},
): OutputKind {
  let structural: OutputKind | undefined;
  if (model instanceof tf.GraphModel) {
    structural = kindOfOp(graphOutputOp(model, options.outputNode), 'the output op');
  } else if (model instanceof tf.LayersModel) {
    structural = layersKind(model);
  } else {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `detectOutputKind expects a tfjs LayersModel or GraphModel, but got ${describeValue(model)}.`,
    );
  }
  if (structural !== undefined) return structural;
  if (sample === undefined) {
    return {
      kind: 'logits',
      reason: 'nothing in its structure says probabilities and no sample batch was given',
    };
  }
  const output = tf.tidy(() =>
    model instanceof tf.GraphModel
      ? (model.execute(sample, options.outputNode) as tf.Tensor)
      : (model.apply(sample, { training: false }) as tf.Tensor),
  );
  try {
    return numericOutputKind(output);
  } finally {
    output.dispose();
  }
}

/**
 * `log(clip(p, minProbability, 1))`: log-probabilities, logits up to a constant per row.
 *
 * @param probabilities - Rows of probabilities.
 * @param minProbability - The floor; default {@link MIN_PROBABILITY}.
 */
export function logProbabilities(
  probabilities: tf.Tensor,
  minProbability = MIN_PROBABILITY,
): tf.Tensor {
  return tf.tidy(() => tf.log(tf.clipByValue(probabilities, minProbability, 1)));
}

/**
 * A model that outputs the log-probabilities of a model that outputs probabilities, from a
 * layer named `logits`: `log(clip(p, minProbability, 1))` (default {@link MIN_PROBABILITY}). These differ from the logits the softmax was
 * taken of only by a constant per row, which softmax ignores, so `softmax(out / tau)` is the
 * teacher's distribution at temperature `tau`; dividing probabilities by `tau` would not be.
 *
 * The wrapped model's layers stay findable by recorders (its own `logits` layer, if any, is
 * shadowed by the new one). The result is frozen (no trainable weights): use it for a frozen
 * teacher. Disposing it disposes `model`.
 *
 * @param model - A model outputting probabilities `[N, K]`.
 * @param options - `minProbability`, the floor before the log.
 */
export function asLogits(
  model: tf.LayersModel,
  options: { minProbability?: number } = {},
): tf.LayersModel {
  const floor = options.minProbability ?? MIN_PROBABILITY;
  if (typeof floor !== 'number' || !(floor > 0 && floor < 1)) {
    throw new DistillError(
      'INVALID_ARGUMENT',
      `asLogits: minProbability must be a number between 0 and 1 (exclusive), but got ${describeValue(options.minProbability)}.`,
    );
  }
  if (!(model instanceof tf.LayersModel)) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `asLogits expects a tfjs LayersModel that outputs probabilities, but got ${describeValue(model)}.`,
    );
  }
  const input = model.inputs[0]?.shape;
  const output = model.outputs[0]?.shape;
  const width = output?.[1];
  if (
    model.inputs.length !== 1 ||
    input === undefined ||
    output?.length !== 2 ||
    typeof width !== 'number'
  ) {
    throw new DistillError(
      'SHAPE_MISMATCH',
      `asLogits expects a model with one input and one output [N, K]; "${model.name}" outputs ${JSON.stringify(model.outputs.map((o) => o.shape))}.`,
    );
  }
  return tapModel({
    name: `${model.name}_${LOGITS_LAYER}`,
    inputShape: input.slice(1),
    numClasses: width,
    nodes: [],
    outputOp: 'LogSoftmax',
    innerLayers: [model],
    run: (x) => ({
      logits: logProbabilities(model.apply(x, { training: false }) as tf.Tensor, floor),
      nodes: {},
    }),
    onDispose: () => model.dispose(),
  });
}
