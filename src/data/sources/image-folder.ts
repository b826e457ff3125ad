/**
 * A {@link DataSource} over a folder of PNG and JPEG images, one subfolder per class (Node.js).
 *
 * Opening the folder lists it (paths and labels only) and decodes a few images per class to
 * settle the input shape; the images themselves are decoded batch by batch as a split is read,
 * so a folder larger than memory trains.
 */
import type * as NodeFs from 'node:fs';
import type * as NodePath from 'node:path';
import { DistillError, DistillTypeError, describeValue } from '../../errors.js';
import { requireNodeBuiltin } from '../../node-builtins.js';
import { epochOrder } from '../batches.js';
import { positiveInt } from '../options.js';
import type { ImageFormat, RawImage } from './image-decode.js';
import { readImageBatches } from './image-batches.js';
import { ImageFiles, toPixels, type PixelTarget, type ReadFileFn } from './image-files.js';
import { listImageFolder, type ListedImage } from './image-folder-list.js';
import {
  checkImageFolderOptions,
  type CheckedImageFolderOptions,
  type ImageFolderOptions,
} from './image-folder-options.js';
import { SPLIT_STREAMS, stratifiedLimit, stratifiedSplit } from './image-folder-split.js';
import type { DataSource, DataSplit, SourceBatch, SplitReadOptions } from './source.js';

/** One split of an image folder: its files are known up front, their pixels read lazily. */
export interface ImageFolderSplit extends DataSplit {
  /** Number of images, less those skipped so far as bad. */
  readonly count: number;
  /** The split's image files, in listing order (by class, then file name). */
  readonly files: readonly string[];
  /** The label of each file. */
  readonly labels: readonly number[];
}

/** An image folder opened by {@link openImageFolder}. */
export interface ImageFolderSource extends DataSource {
  /** `[height, width, channels]`. */
  readonly inputShape: readonly [number, number, number];
  /** The folder given. */
  readonly root: string;
  /** `classes` (split at random from `seed`) or `split` (by `train/` and `test/` folders). */
  readonly layout: 'classes' | 'split';
  /** The training images. */
  readonly train: ImageFolderSplit;
  /** The test images. */
  readonly test: ImageFolderSplit;
  /** The validation images, when `validationFraction` is above 0. */
  readonly validation: ImageFolderSplit | undefined;
  /** Number of files skipped so far as unreadable or corrupt (with `skipBad`). */
  readonly skipped: number;
  /** The files skipped so far, each with what was wrong with it. */
  readonly skippedFiles: ReadonlyMap<string, string>;
  /** The image formats decoded so far (by content, not by file name). */
  readonly formats: readonly ImageFormat[];
}

// Images decoded when opening, per class and listed folder: the first and the last file.
function sampleOf(images: readonly ListedImage[], numClasses: number): string[] {
  const first = new Map<number, string>();
  const last = new Map<number, string>();
  for (const { file, label } of images) {
    if (!first.has(label)) first.set(label, file);
    last.set(label, file);
  }
  const files: string[] = [];
  for (let label = 0; label < numClasses; label++) {
    for (const file of [first.get(label), last.get(label)]) {
      if (file !== undefined && !files.includes(file)) files.push(file);
    }
  }
  return files;
}

function defaultReadFile(): ReadFileFn {
  const fs = requireNodeBuiltin<typeof NodeFs>('node:fs', 'openImageFolder');
  return (file) => fs.promises.readFile(file);
}

interface SplitLists {
  readonly train: ListedImage[];
  readonly validation: ListedImage[] | undefined;
  readonly test: ListedImage[];
}

function splitListing(
  opts: CheckedImageFolderOptions,
  listing: Awaited<ReturnType<typeof listImageFolder>>,
): SplitLists {
  const k = listing.classNames.length;
  if (listing.layout === 'split' && opts.testFraction !== undefined) {
    throw new DistillError(
      'INVALID_CONFIG',
      `The image folder ${opts.path} has train/ and test/ folders, which fix the test split, so ` +
        `testFraction (${opts.testFraction}) does not apply; remove it.`,
    );
  }
  let train: ListedImage[] = [...listing.train];
  let test: ListedImage[] = listing.test ? [...listing.test] : [];
  if (listing.test === undefined) {
    const fraction = opts.testFraction ?? 0.2;
    ({ kept: train, held: test } = stratifiedSplit(
      train,
      k,
      fraction,
      opts.seed,
      SPLIT_STREAMS.test,
    ));
  }
  let validation: ListedImage[] | undefined;
  if (opts.validationFraction > 0) {
    const split = stratifiedSplit(
      train,
      k,
      opts.validationFraction,
      opts.seed,
      SPLIT_STREAMS.validation,
    );
    ({ kept: train, held: validation } = split);
  }
  const limit = (images: ListedImage[], n: number | undefined, stream: number): ListedImage[] =>
    n === undefined ? images : stratifiedLimit(images, k, n, opts.seed, stream);
  const lists = {
    train: limit(train, opts.limit.train, SPLIT_STREAMS.limitTrain),
    validation:
      validation && limit(validation, opts.limit.validation, SPLIT_STREAMS.limitValidation),
    test: limit(test, opts.limit.test, SPLIT_STREAMS.limitTest),
  };
  for (const [name, list] of Object.entries(lists)) {
    if (list !== undefined && list.length === 0) {
      throw new DistillError(
        'INVALID_CONFIG',
        `The ${name} split of the image folder ${opts.path} is empty (${listing.train.length} images listed); ` +
          `raise ${name === 'validation' ? 'validationFraction' : 'testFraction'} or add images.`,
      );
    }
  }
  return lists;
}

/** Settles `[height, width, channels]` from the options and the images decoded when opening. */
async function settleShape(
  opts: CheckedImageFolderOptions,
  images: ImageFiles,
  sample: readonly string[],
): Promise<PixelTarget> {
  const decoded: { file: string; image: RawImage }[] = [];
  for (const file of sample) {
    const image = await images.decode(file);
    if (image !== undefined) decoded.push({ file, image });
  }
  const first = decoded[0];
  if (first === undefined) {
    throw new DistillError(
      'DATA_CORRUPT',
      `None of the ${sample.length} images of ${opts.path} read to settle the input shape could be decoded ` +
        `(e.g. ${images.bad.keys().next().value ?? sample[0]}); check that the folder holds PNG or JPEG images.`,
    );
  }
  const channels = opts.channels ?? (decoded.some((d) => d.image.channels === 3) ? 3 : 1);
  const [height, width] = opts.size ?? [first.image.height, first.image.width];
  const target: PixelTarget = {
    height,
    width,
    channels,
    resize: opts.size !== undefined,
    reference: first.file,
  };
  // Mixed sizes among the sampled images are reported now rather than in the middle of an epoch.
  for (const { file, image } of decoded) toPixels(image, file, target);
  return target;
}

function formatsByName(files: readonly ListedImage[]): string {
  const png = files.some((f) => f.file.toLowerCase().endsWith('.png'));
  const jpeg = files.some((f) => !f.file.toLowerCase().endsWith('.png'));
  return [png && 'PNG', jpeg && 'JPEG'].filter(Boolean).join('/');
}

/**
 * Opens a folder of images as a {@link DataSource}: lists it, splits it (by its `train/` and
 * `test/` folders, or at random per class from `seed`), and decodes a few images per class to
 * settle the input shape. Batches are decoded lazily when a split is read.
 *
 * @param options - The folder and how to read it; see {@link ImageFolderOptions}.
 * @returns The source, with `train`, `test` and (with `validationFraction`) `validation` splits.
 * @throws DistillError `FILE_NOT_FOUND` when the folder does not exist; `INVALID_CONFIG` for bad
 *   options, a folder without class folders, an empty class folder, `train/` and `test/` with
 *   different classes, or images of different sizes without `size`; `DATA_CORRUPT` for an image
 *   that cannot be decoded (without `skipBad`).
 *
 * @example
 * ```ts
 * const source = await openImageFolder({ path: 'data/shapes', size: [32, 32] });
 * for await (const { x, y } of source.train.batches({ batchSize: 64, seed: 1, epoch: 0 })) {
 *   try { trainStep(x, y); } finally { tf.dispose([x, y]); }
 * }
 * ```
 */
export async function openImageFolder(options: ImageFolderOptions): Promise<ImageFolderSource> {
  const opts = checkImageFolderOptions(options);
  const listing = await listImageFolder(opts.path);
  const lists = splitListing(opts, listing);
  const k = listing.classNames.length;
  const images = new ImageFiles({
    readFile: opts.readFile ?? defaultReadFile(),
    skipBad: opts.skipBad,
    onSkip: opts.onSkip,
  });
  const sample = [...sampleOf(listing.train, k), ...sampleOf(listing.test ?? [], k)];
  const target = await settleShape(opts, images, sample);
  const inputShape = [target.height, target.width, target.channels] as const;
  const all = [...listing.train, ...(listing.test ?? [])];
  const path = requireNodeBuiltin<typeof NodePath>('node:path', 'openImageFolder');
  const load = async (file: string): Promise<Float32Array | undefined> => {
    const image = await images.decode(file);
    return image && toPixels(image, file, target);
  };
  const makeSplit = (list: readonly ListedImage[]): ImageFolderSplit => {
    const files = list.map((f) => f.file);
    const labels = list.map((f) => f.label);
    const members = new Set(files);
    return {
      files,
      labels,
      get count(): number {
        let bad = 0;
        for (const file of images.bad.keys()) if (members.has(file)) bad++;
        return files.length - bad;
      },
      batches(read: SplitReadOptions): AsyncIterableIterator<SourceBatch> {
        // Checked here: a generator's body would only run at the first next().
        if (typeof read !== 'object' || read === null) {
          throw new DistillTypeError(
            'INVALID_ARGUMENT',
            `Expected read options { batchSize, seed, epoch }, but got ${describeValue(read)}.`,
          );
        }
        const batchSize = positiveInt(read.batchSize, 'batchSize');
        const order = epochOrder(files.length, read);
        const imageSize = target.height * target.width * target.channels;
        const plan = { files, labels, order, batchSize, imageSize, inputShape, scale: opts.scale };
        return readImageBatches(plan, load);
      },
    };
  };
  const colour = target.channels === 3 ? 'RGB' : 'gray';
  return {
    root: opts.path,
    layout: listing.layout,
    inputShape,
    numClasses: k,
    classNames: listing.classNames,
    description:
      `image folder ${path.basename(path.resolve(opts.path))} (${k} classes, ${all.length} ` +
      `${formatsByName(all)} images, ${target.width}x${target.height} ${colour})`,
    train: makeSplit(lists.train),
    test: makeSplit(lists.test),
    validation: lists.validation && makeSplit(lists.validation),
    get skipped(): number {
      return images.bad.size;
    },
    skippedFiles: images.bad,
    get formats(): readonly ImageFormat[] {
      return [...images.formats].sort();
    },
  };
}

export type { ImageFolderOptions, ImageFolderLimits } from './image-folder-options.js';
export { looksLikeImageFolder } from './image-folder-list.js';
