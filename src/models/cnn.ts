/**
 * A small convolutional network with named layers for MNIST-sized images.
 */
import * as tf from '@tensorflow/tfjs';
import { DistillError, DistillTypeError, describeValue } from '../errors.js';
import {
  dropoutRate,
  kernelInitializer,
  optionalSeed,
  positiveUnits,
  stringOption,
  type ModelActivation,
} from './options.js';

/** Options of {@link smallCnn}. */
export interface SmallCnnOptions {
  /** Features per example, a flattened square single-channel image (default 784 = 28x28). */
  readonly inputSize?: number;
  /**
   * The shape of one image, `[height, width, channels]` (such as `[32, 32, 3]`), for inputs
   * that are images already; then no `reshape` layer comes first. Overrides `inputSize`.
   */
  readonly inputShape?: readonly [number, number, number];
  /** Filters of `conv1` and `conv2` (default `[16, 32]`). */
  readonly filters?: readonly [number, number];
  /** Side of the square convolution kernels (default 3); convolutions use 'valid' padding. */
  readonly kernelSize?: number;
  /** Units of the dense `fc1` layer (default 128). */
  readonly hidden?: number;
  /** Number of classes, the units of `logits` (default 10). */
  readonly numClasses?: number;
  /** Dropout rate before `logits` (default 0: no dropout layer). */
  readonly dropout?: number;
  /** Activation of `conv1`, `conv2` and `fc1` (default `'relu'`). */
  readonly activation?: ModelActivation;
  /** Prepended to every layer name; default none. */
  readonly namePrefix?: string;
  /** Name of the model (default `${namePrefix}small_cnn`). */
  readonly name?: string;
  /** Seed of the kernel initializers, for reproducible initial weights. */
  readonly seed?: number;
}

/**
 * Builds an uncompiled small CNN that takes flat `[N, 784]` input (or images of `inputShape`)
 * and outputs logits.
 *
 * Layers: `reshape` (to 28x28x1; absent with `inputShape`), `conv1`, `pool1` (2x2 max), `conv2`, `pool2`, `flatten`,
 * `fc1`, `[dropout]`, `logits`, each prefixed with `namePrefix`. With the defaults it has
 * 108,618 parameters.
 *
 * Note: the tfjs wasm backend has no convolution gradients; train it on the cpu backend.
 *
 * @param options - Sizes, dropout, activation, names and seed.
 *
 * @example
 * ```ts
 * const cnn = smallCnn({ seed: 7 });
 * cnn.getLayer('conv2').outputShape; // [null, 11, 11, 32]
 * ```
 */
export function smallCnn(options: SmallCnnOptions = {}): tf.Sequential {
  if (typeof options !== 'object' || options === null) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected smallCnn options to be an object, but got ${describeValue(options)}.`,
    );
  }
  const image = imageShape(options);
  const filters: unknown = options.filters ?? [16, 32];
  // A string or a number would otherwise be destructured (or fail) with a misleading message.
  if (!Array.isArray(filters) || filters.length !== 2) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected filters to be the filters of conv1 and conv2, such as [16, 32], but got ${describeValue(filters)}.`,
    );
  }
  const [filters1, filters2] = filters as unknown[];
  const kernelSize = positiveUnits(options.kernelSize ?? 3, 'kernelSize');
  checkFits(image.shape[0], image.shape[1], kernelSize);
  const hidden = positiveUnits(options.hidden ?? 128, 'hidden');
  const numClasses = positiveUnits(options.numClasses ?? 10, 'numClasses');
  const dropout = dropoutRate(options.dropout, 'dropout');
  const seed = optionalSeed(options.seed);
  const p = stringOption(options.namePrefix, 'namePrefix', '');
  const activation = options.activation ?? 'relu';

  const conv = (
    filters: number,
    name: string,
    index: number,
    input: { inputShape?: number[] } = {},
  ): tf.layers.Layer =>
    tf.layers.conv2d({
      filters,
      kernelSize,
      activation,
      name: `${p}${name}`,
      kernelInitializer: kernelInitializer(seed, index),
      ...input,
    });
  const layers: tf.layers.Layer[] = [];
  if (image.flat !== undefined) {
    layers.push(
      tf.layers.reshape({
        targetShape: image.shape,
        inputShape: [image.flat],
        name: `${p}reshape`,
      }),
    );
  }
  layers.push(
    conv(
      positiveUnits(filters1, 'filters[0]'),
      'conv1',
      0,
      image.flat === undefined ? { inputShape: image.shape } : {},
    ),
    tf.layers.maxPooling2d({ poolSize: 2, name: `${p}pool1` }),
    conv(positiveUnits(filters2, 'filters[1]'), 'conv2', 1),
    tf.layers.maxPooling2d({ poolSize: 2, name: `${p}pool2` }),
    tf.layers.flatten({ name: `${p}flatten` }),
    tf.layers.dense({
      units: hidden,
      activation,
      name: `${p}fc1`,
      kernelInitializer: kernelInitializer(seed, 2),
    }),
  );
  if (dropout > 0) layers.push(tf.layers.dropout({ rate: dropout, name: `${p}dropout` }));
  layers.push(
    tf.layers.dense({
      units: numClasses,
      name: `${p}logits`,
      kernelInitializer: kernelInitializer(seed, 3),
    }),
  );
  return tf.sequential({ layers, name: stringOption(options.name, 'name', `${p}small_cnn`) });
}

/**
 * The image shape of a small CNN: `inputShape` as given, or the square single-channel image
 * whose flattened size is `inputSize` (then `flat` is that size, and a reshape comes first).
 */
function imageShape(options: SmallCnnOptions): { shape: [number, number, number]; flat?: number } {
  if (options.inputShape !== undefined) {
    const shape: unknown = options.inputShape;
    if (!Array.isArray(shape) || shape.length !== 3) {
      throw new DistillTypeError(
        'INVALID_ARGUMENT',
        `Expected inputShape to be [height, width, channels], such as [32, 32, 3], but got ${describeValue(shape)}.`,
      );
    }
    const [h, w, c] = (shape as unknown[]).map((d, i) => positiveUnits(d, `inputShape[${i}]`));
    return { shape: [h!, w!, c!] };
  }
  const inputSize = positiveUnits(options.inputSize ?? 784, 'inputSize');
  const side = Math.round(Math.sqrt(inputSize));
  if (side * side !== inputSize) {
    throw new DistillError(
      'INVALID_ARGUMENT',
      `smallCnn needs a square image, but inputSize ${inputSize} is not a perfect square (784 = 28x28 is); give inputShape [height, width, channels] instead.`,
    );
  }
  return { shape: [side, side, 1], flat: inputSize };
}

/** Throws unless two conv + pool stages leave at least one pixel. */
function checkFits(height: number, width: number, kernelSize: number): void {
  const after = (side: number): number =>
    Math.floor((Math.floor((side - kernelSize + 1) / 2) - kernelSize + 1) / 2);
  if (after(height) < 1 || after(width) < 1) {
    throw new DistillError(
      'INVALID_ARGUMENT',
      `kernelSize ${kernelSize} is too large for ${height}x${width} images: two convolution and pooling stages leave nothing; use a smaller kernelSize.`,
    );
  }
}
