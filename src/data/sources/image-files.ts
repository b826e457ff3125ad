/**
 * Reading and decoding the files of an image folder, one at a time: what failed is remembered
 * (so a skipped file is reported once and not read again), and each image is brought to the
 * source's input shape.
 */
import { DistillError } from '../../errors.js';
import { fileError } from '../../file-errors.js';
import { decodeImage, ImageDecodeError, type ImageFormat, type RawImage } from './image-decode.js';
import { convertChannels, resizeBilinear } from './image-transform.js';

/** Reads a file's bytes. */
export type ReadFileFn = (file: string) => Promise<Uint8Array>;

/** Options of {@link ImageFiles}. */
export interface ImageFilesOptions {
  /** Reads a file's bytes. */
  readonly readFile: ReadFileFn;
  /** Skip unreadable and corrupt files instead of throwing. */
  readonly skipBad: boolean;
  /** Called once per skipped file. */
  readonly onSkip: ((file: string, reason: string) => void) | undefined;
}

/** Reads and decodes image files, remembering the bad ones and the formats seen. */
export class ImageFiles {
  /** Files skipped so far (with `skipBad`), each with what was wrong with it. */
  readonly bad = new Map<string, string>();
  /** The formats decoded so far. */
  readonly formats = new Set<ImageFormat>();
  private readonly options: ImageFilesOptions;

  /** @param options - How files are read and what happens to bad ones. */
  constructor(options: ImageFilesOptions) {
    this.options = options;
  }

  /**
   * Reads and decodes one file.
   *
   * @param file - Its path.
   * @returns The image, or `undefined` when it is bad and bad files are skipped.
   * @throws DistillError `DATA_CORRUPT` (not an image, or broken), `FILE_NOT_FOUND` or
   *   `IO_ERROR` (cannot be read), naming the file, unless bad files are skipped.
   */
  async decode(file: string): Promise<RawImage | undefined> {
    if (this.bad.has(file)) return undefined;
    let bytes: Uint8Array;
    try {
      bytes = await this.options.readFile(file);
    } catch (error) {
      const failure = fileError(error, 'read the image', file);
      return this.fail(file, failure, failure.message);
    }
    try {
      const image = decodeImage(bytes);
      this.formats.add(image.format);
      return image;
    } catch (error) {
      const reason = error instanceof ImageDecodeError ? error.message : String(error);
      return this.fail(
        file,
        new DistillError(
          'DATA_CORRUPT',
          `The image ${file} cannot be decoded: ${reason}. Replace or delete the file, or set skipBad: true to skip bad images.`,
          { cause: error },
        ),
        `${file} cannot be decoded: ${reason}`,
      );
    }
  }

  private fail(file: string, error: DistillError, reason: string): undefined {
    if (!this.options.skipBad) throw error;
    this.bad.set(file, reason);
    this.options.onSkip?.(file, reason);
    return undefined;
  }
}

/** The input shape images are brought to, and how. */
export interface PixelTarget {
  /** Output height. */
  readonly height: number;
  /** Output width. */
  readonly width: number;
  /** Output channels. */
  readonly channels: 1 | 3;
  /** Resize images of another size (the `size` option); without it they are an error. */
  readonly resize: boolean;
  /** The file whose size set the shape when not resizing, for the error message. */
  readonly reference: string | undefined;
}

/**
 * A decoded image's pixels in the target's channels and size, values still in `0..255`.
 *
 * @param image - The decoded image.
 * @param file - Its path, for the message.
 * @param target - The input shape.
 * @throws DistillError `INVALID_CONFIG` when the size differs and resizing is off.
 */
export function toPixels(image: RawImage, file: string, target: PixelTarget): Float32Array {
  const { height, width, channels } = target;
  if (!target.resize && (image.height !== height || image.width !== width)) {
    throw new DistillError(
      'INVALID_CONFIG',
      `The images differ in size: ${file} is ${image.width}x${image.height} (width x height) but ` +
        `${target.reference ?? 'the first image'} is ${width}x${height}. Set size: [${height}, ${width}] ` +
        '(height, width) to resize every image to one size.',
    );
  }
  const converted = convertChannels(image, channels);
  return resizeBilinear(converted, image.height, image.width, channels, height, width);
}
