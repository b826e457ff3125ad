/**
 * Multi-layer perceptrons with named layers, and the MLP presets of the MNIST experiments.
 */
import * as tf from '@tensorflow/tfjs';
import { DistillTypeError, describeValue } from '../errors.js';
import {
  dropoutRate,
  kernelInitializer,
  optionalSeed,
  positiveUnits,
  stringOption,
  type ModelActivation,
} from './options.js';

/** Options of {@link mlp}. */
export interface MlpOptions {
  /** Features per example (default 784, a flattened MNIST image). */
  readonly inputSize?: number;
  /**
   * The shape of one example, for inputs that are not flat (such as `[32, 32, 3]`): a `flatten`
   * layer comes first. Overrides `inputSize`.
   */
  readonly inputShape?: readonly number[];
  /** Units of each hidden layer, in order; layers are named `fc1`, `fc2`, ... */
  readonly hidden: readonly number[];
  /** Number of classes, the units of the final `logits` layer (default 10). */
  readonly numClasses?: number;
  /** Dropout rate after each hidden layer (default 0: no dropout layers). */
  readonly dropout?: number;
  /** Dropout rate on the input (default 0). */
  readonly inputDropout?: number;
  /** Activation of the hidden layers (default `'relu'`); `logits` has none. */
  readonly activation?: ModelActivation;
  /** Prepended to every layer name (e.g. `'teacher_'` gives `teacher_fc1`); default none. */
  readonly namePrefix?: string;
  /** Name of the model (default `${namePrefix}mlp`). */
  readonly name?: string;
  /**
   * Seed of the kernel initializers, for reproducible initial weights. Dropout masks stay
   * unseeded: a seeded tfjs dropout layer would reuse one mask at every step.
   */
  readonly seed?: number;
}

/**
 * Builds an uncompiled multi-layer perceptron that outputs logits (no softmax).
 *
 * Layers: `[dropout_input]`, `fc1`, `[dropout1]`, `fc2`, `[dropout2]`, ..., `logits`, each name
 * prefixed with `namePrefix`, so recorders can find them with `model.getLayer(name)`.
 *
 * @param options - Sizes, dropout, activation, names and seed.
 *
 * @example
 * ```ts
 * const model = mlp({ hidden: [256, 256], seed: 1 });
 * model.getLayer('fc2'); // the second hidden layer
 * ```
 */
export function mlp(options: MlpOptions): tf.Sequential {
  if (typeof options !== 'object' || options === null || !Array.isArray(options.hidden)) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected mlp options with hidden: number[] (e.g. { hidden: [800, 800] }), but got ${describeValue(options)}.`,
    );
  }
  const shape = exampleShape(options.inputShape, options.inputSize);
  const numClasses = positiveUnits(options.numClasses ?? 10, 'numClasses');
  const hidden = options.hidden.map((units, i) => positiveUnits(units, `hidden[${i}]`));
  const dropout = dropoutRate(options.dropout, 'dropout');
  const inputDropout = dropoutRate(options.inputDropout, 'inputDropout');
  const seed = optionalSeed(options.seed);
  const prefix = stringOption(options.namePrefix, 'namePrefix', '');
  const activation = options.activation ?? 'relu';

  const layers: tf.layers.Layer[] = [];
  if (shape.length > 1) {
    layers.push(tf.layers.flatten({ inputShape: shape, name: `${prefix}flatten` }));
  }
  // Only the first layer declares the input shape; Sequential infers the rest.
  const inputShape = (): { inputShape?: number[] } =>
    layers.length === 0 ? { inputShape: shape } : {};
  if (inputDropout > 0) {
    layers.push(
      tf.layers.dropout({ rate: inputDropout, name: `${prefix}dropout_input`, ...inputShape() }),
    );
  }
  hidden.forEach((units, i) => {
    layers.push(
      tf.layers.dense({
        units,
        activation,
        name: `${prefix}fc${i + 1}`,
        kernelInitializer: kernelInitializer(seed, i),
        ...inputShape(),
      }),
    );
    if (dropout > 0)
      layers.push(tf.layers.dropout({ rate: dropout, name: `${prefix}dropout${i + 1}` }));
  });
  layers.push(
    tf.layers.dense({
      units: numClasses,
      name: `${prefix}logits`,
      kernelInitializer: kernelInitializer(seed, hidden.length),
      ...inputShape(),
    }),
  );
  return tf.sequential({ layers, name: stringOption(options.name, 'name', `${prefix}mlp`) });
}

/** Options shared by the MLP presets. */
export type MlpPresetOptions = Pick<MlpOptions, 'namePrefix' | 'name' | 'seed'>;

/**
 * The teacher of Hinton et al. (2015) on MNIST: 784-1200-1200-10, ReLU, dropout 0.2 on the
 * input and 0.5 after each hidden layer (2,395,210 parameters).
 *
 * @param options - Optional names and seed.
 */
export function hintonTeacher(options: MlpPresetOptions = {}): tf.Sequential {
  return mlp({
    hidden: [1200, 1200],
    dropout: 0.5,
    inputDropout: 0.2,
    ...withName(options, 'hinton_teacher'),
  });
}

/**
 * The student of Hinton et al. (2015) on MNIST: 784-800-800-10, ReLU, no dropout
 * (1,276,810 parameters).
 *
 * @param options - Optional names and seed.
 */
export function hintonStudent(options: MlpPresetOptions = {}): tf.Sequential {
  return mlp({ hidden: [800, 800], ...withName(options, 'hinton_student') });
}

/**
 * A very small student for quick experiments and tests: 784-64-10 (50,890 parameters).
 *
 * @param options - Optional names and seed.
 */
export function smallMlp(options: MlpPresetOptions = {}): tf.Sequential {
  return mlp({ hidden: [64], ...withName(options, 'small_mlp') });
}

function withName(options: MlpPresetOptions, base: string): MlpPresetOptions {
  return { ...options, name: options.name ?? `${options.namePrefix ?? ''}${base}` };
}

/** The example shape of a zoo model: `inputShape` when given, else `[inputSize]` (default 784). */
export function exampleShape(
  inputShape: readonly number[] | undefined,
  inputSize: number | undefined,
): number[] {
  if (inputShape === undefined) return [positiveUnits(inputSize ?? 784, 'inputSize')];
  if (!Array.isArray(inputShape) || inputShape.length === 0) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected inputShape to be the shape of one example, such as [784] or [32, 32, 3], but got ${describeValue(inputShape)}.`,
    );
  }
  return inputShape.map((d, i) => positiveUnits(d, `inputShape[${i}]`));
}
