/**
 * The options of an image-folder source and their validation, kept apart from the reader so a
 * run config can be checked (every key path named) before any folder is opened.
 */
import { DistillError, describeValue } from '../../errors.js';
import { isPlainObject, rejectUnknownKeys } from '../../config/validate.js';

/** Per-split caps on the number of images; see {@link ImageFolderOptions.limit}. */
export interface ImageFolderLimits {
  /** At most this many training images. */
  readonly train?: number;
  /** At most this many validation images. */
  readonly validation?: number;
  /** At most this many test images. */
  readonly test?: number;
}

/** Options of {@link openImageFolder}; in a run config, the `data` object minus its `type`. */
export interface ImageFolderOptions {
  /**
   * The root folder: either one subfolder per class (`<path>/<class>/*.png`), or `train/` and
   * `test/` folders that each hold one subfolder per class (the same classes in both).
   */
  readonly path: string;
  /**
   * Resize every image to `[height, width]` (bilinear). Without it all images must have the
   * same size, which becomes the input shape.
   */
  readonly size?: readonly [number, number];
  /**
   * Channels of the input: 1 (gray; colour images are converted with the BT.601 luma weights)
   * or 3 (RGB; gray images are repeated). Default: 3 if any image read when opening the folder
   * (a few per class) is in colour, else 1.
   */
  readonly channels?: 1 | 3;
  /** `[min, max]`: pixel value 0 maps to `min` and 255 to `max`, linearly. Default `[0, 1]`. */
  readonly scale?: readonly [number, number];
  /**
   * The fraction of each class held out as the test split, when the folder has no `train/` and
   * `test/` folders. Default 0.2. Not allowed when the folders fix the split.
   */
  readonly testFraction?: number;
  /** The fraction of each class's training images held out for validation. Default 0 (none). */
  readonly validationFraction?: number;
  /** Seed of the test and validation splits and of the limits' choices. Default 0. */
  readonly seed?: number;
  /**
   * Skip images that cannot be read or decoded instead of failing (default false). Skipped files
   * are counted in `source.skipped` and reported to {@link ImageFolderOptions.onSkip}.
   */
  readonly skipBad?: boolean;
  /** Called once per skipped file (with `skipBad`), with the file's path and what is wrong. */
  readonly onSkip?: (file: string, reason: string) => void;
  /**
   * Use at most this many images per split (a number applies to every split), chosen at random
   * from `seed` in proportion to the classes. Default: all.
   */
  readonly limit?: number | ImageFolderLimits;
  /**
   * Reads a file's bytes; default `fs.promises.readFile`. For other storage, or to watch what
   * is read.
   */
  readonly readFile?: (file: string) => Promise<Uint8Array>;
}

/** The keys {@link ImageFolderOptions} allows. */
export const IMAGE_FOLDER_OPTION_KEYS = [
  'path',
  'size',
  'channels',
  'scale',
  'testFraction',
  'validationFraction',
  'seed',
  'skipBad',
  'onSkip',
  'limit',
  'readFile',
] as const;

/** {@link ImageFolderOptions} with defaults filled in and every value checked. */
export interface CheckedImageFolderOptions {
  readonly path: string;
  readonly size: readonly [number, number] | undefined;
  readonly channels: 1 | 3 | undefined;
  readonly scale: readonly [number, number];
  /** Undefined when not given: the layout decides (0.2 for one folder per class). */
  readonly testFraction: number | undefined;
  readonly validationFraction: number;
  readonly seed: number;
  readonly skipBad: boolean;
  readonly onSkip: ((file: string, reason: string) => void) | undefined;
  readonly limit: {
    readonly train: number | undefined;
    readonly validation: number | undefined;
    readonly test: number | undefined;
  };
  readonly readFile: ((file: string) => Promise<Uint8Array>) | undefined;
}

function bad(path: string, expected: string, value: unknown): never {
  throw new DistillError(
    'INVALID_CONFIG',
    `Expected ${path} to be ${expected}, but got ${describeValue(value)}.`,
  );
}

function pair(value: unknown, path: string, integer: boolean): readonly [number, number] {
  const ok = (v: unknown): v is number =>
    typeof v === 'number' && (integer ? Number.isSafeInteger(v) && v > 0 : Number.isFinite(v));
  if (!Array.isArray(value) || value.length !== 2 || !value.every(ok)) {
    bad(path, integer ? 'two positive integers [height, width]' : 'two numbers [min, max]', value);
  }
  return [value[0] as number, value[1] as number];
}

function fraction(value: unknown, path: string, fallback: number, allowZero: boolean): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value < 1) || !(allowZero ? value >= 0 : value > 0)) {
    bad(path, allowZero ? 'a fraction in [0, 1)' : 'a fraction in (0, 1)', value);
  }
  return value;
}

function count(value: unknown, path: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    bad(path, 'a positive integer', value);
  }
  return value;
}

function fn<F>(value: unknown, path: string): F | undefined {
  if (value !== undefined && typeof value !== 'function') bad(path, 'a function', value);
  return value as F | undefined;
}

/**
 * Checks image-folder options and fills in the defaults.
 *
 * @param value - The options (e.g. a run config's `data` object without `type`).
 * @param path - Their key path in messages, e.g. `'data'` gives `data.testFraction`.
 * @throws DistillError `INVALID_CONFIG` naming the first bad key and its value.
 */
export function checkImageFolderOptions(
  value: unknown,
  path = 'options',
): CheckedImageFolderOptions {
  if (!isPlainObject(value)) bad(path, 'an object such as { path: "data/shapes" }', value);
  rejectUnknownKeys(value, IMAGE_FOLDER_OPTION_KEYS, path);
  const at = (key: string): string => `${path}.${key}`;
  if (typeof value.path !== 'string' || value.path === '') {
    bad(at('path'), 'the path of a folder of images', value.path);
  }
  if (value.channels !== undefined && value.channels !== 1 && value.channels !== 3) {
    bad(at('channels'), '1 (gray) or 3 (RGB)', value.channels);
  }
  if (value.skipBad !== undefined && typeof value.skipBad !== 'boolean') {
    bad(at('skipBad'), 'true or false', value.skipBad);
  }
  const seed = value.seed ?? 0;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) bad(at('seed'), 'an integer', seed);
  const scale =
    value.scale === undefined ? ([0, 1] as const) : pair(value.scale, at('scale'), false);
  if (scale[0] === scale[1]) bad(at('scale'), 'two different numbers [min, max]', value.scale);
  const limit = value.limit;
  let limits: CheckedImageFolderOptions['limit'];
  if (limit === undefined || typeof limit === 'number') {
    const n = count(limit, at('limit'));
    limits = { train: n, validation: n, test: n };
  } else {
    if (!isPlainObject(limit)) bad(at('limit'), 'a number or { train, validation, test }', limit);
    rejectUnknownKeys(limit, ['train', 'validation', 'test'], at('limit'));
    limits = {
      train: count(limit.train, at('limit.train')),
      validation: count(limit.validation, at('limit.validation')),
      test: count(limit.test, at('limit.test')),
    };
  }
  return {
    path: value.path,
    size: value.size === undefined ? undefined : pair(value.size, at('size'), true),
    channels: value.channels,
    scale,
    testFraction:
      value.testFraction === undefined
        ? undefined
        : fraction(value.testFraction, at('testFraction'), 0.2, false),
    validationFraction: fraction(value.validationFraction, at('validationFraction'), 0, true),
    seed,
    skipBad: value.skipBad === true,
    onSkip: fn(value.onSkip, at('onSkip')),
    limit: limits,
    readFile: fn(value.readFile, at('readFile')),
  };
}
