/**
 * Decodes PNG and JPEG bytes into plain pixel arrays (pure JavaScript, no tensors, no Node APIs).
 *
 * The format is told by the file's first bytes, never by its name, so a `.png` that holds a JPEG
 * still decodes and a text file named `x.png` is reported as corrupt. Every image comes out as
 * gray or RGB with values in `0..255` (16-bit samples are scaled down, alpha is dropped, palette
 * indices are looked up), which is all a classifier's input pipeline needs.
 */
import { decode as decodePng, type DecodedPng } from 'fast-png';
import jpeg from 'jpeg-js';

/** The image formats the decoders read. */
export type ImageFormat = 'PNG' | 'JPEG';

/** A decoded image: row-major pixels, `channels` values per pixel, each in `0..255`. */
export interface RawImage {
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** 1 (gray) or 3 (RGB) values per pixel. */
  readonly channels: 1 | 3;
  /** `height * width * channels` values in `0..255`, row-major, channels last. */
  readonly data: Float32Array;
  /** The format the bytes were in. */
  readonly format: ImageFormat;
}

/** Thrown by {@link decodeImage} for bytes that are not a readable PNG or JPEG. */
export class ImageDecodeError extends Error {
  /**
   * @param reason - What is wrong with the bytes, e.g. `not a PNG or JPEG file`.
   * @param options - The decoder's own error, as `cause`.
   */
  constructor(reason: string, options?: { cause?: unknown }) {
    super(reason, options);
    this.name = 'ImageDecodeError';
  }
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * The format of an image file from its first bytes (PNG signature, or JPEG's `FF D8 FF`).
 *
 * @param bytes - The file's contents (at least its first 8 bytes).
 * @returns `'PNG'`, `'JPEG'`, or `undefined` for anything else.
 */
export function detectImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return 'PNG';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    return 'JPEG';
  }
  return undefined;
}

/**
 * Decodes a PNG or JPEG file's contents.
 *
 * @param bytes - The whole file.
 * @returns Its pixels as gray or RGB in `0..255`.
 * @throws ImageDecodeError when the bytes are neither format or the decoder fails on them.
 */
export function decodeImage(bytes: Uint8Array): RawImage {
  const format = detectImageFormat(bytes);
  if (format === undefined) {
    const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0'));
    throw new ImageDecodeError(
      bytes.length === 0
        ? 'the file is empty'
        : `not a PNG or JPEG file (it starts with bytes ${head.join(' ')})`,
    );
  }
  try {
    return format === 'PNG' ? fromPng(decodePng(bytes)) : fromJpeg(bytes);
  } catch (error) {
    if (error instanceof ImageDecodeError) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw new ImageDecodeError(`the ${format} decoder failed: ${detail}`, { cause: error });
  }
}

function fromPng(png: DecodedPng): RawImage {
  const { width, height, depth } = png;
  const pixels = width * height;
  if (png.palette !== undefined) return fromPalette(png, png.palette);
  // 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA: the colour channels come first, alpha (if any) last.
  const stride = png.channels;
  const channels: 1 | 3 = stride >= 3 ? 3 : 1;
  const samples = depth < 8 ? unpackBits(png) : png.data;
  const expected = pixels * stride;
  if (samples.length < expected) {
    throw new ImageDecodeError(
      `the PNG has ${samples.length} samples for a ${width}x${height} image (expected ${expected}); the file is truncated`,
    );
  }
  const max = 2 ** depth - 1;
  const factor = 255 / max;
  const data = new Float32Array(pixels * channels);
  for (let p = 0; p < pixels; p++) {
    for (let c = 0; c < channels; c++) data[p * channels + c] = samples[p * stride + c]! * factor;
  }
  return { width, height, channels, data, format: 'PNG' };
}

/** Gray PNGs of depth 1, 2 or 4 pack several pixels per byte, each row starting on a byte. */
function unpackBits(png: DecodedPng): Uint8Array {
  const { width, height, depth, data } = png;
  const rowBytes = Math.ceil((width * depth) / 8);
  const out = new Uint8Array(width * height);
  const mask = (1 << depth) - 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bit = x * depth;
      const byte = data[y * rowBytes + (bit >> 3)] ?? 0;
      out[y * width + x] = (byte >> (8 - depth - (bit & 7))) & mask;
    }
  }
  return out;
}

function fromPalette(png: DecodedPng, palette: readonly (readonly number[])[]): RawImage {
  const { width, height } = png;
  const indices = png.depth < 8 ? unpackBits(png) : png.data;
  const data = new Float32Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    const colour = palette[indices[p] ?? 0];
    if (colour === undefined) {
      throw new ImageDecodeError(
        `pixel ${p} of the PNG uses palette entry ${indices[p]}, but the palette has ${palette.length} entries`,
      );
    }
    data[p * 3] = colour[0]!;
    data[p * 3 + 1] = colour[1]!;
    data[p * 3 + 2] = colour[2]!;
  }
  return { width, height, channels: 3, data, format: 'PNG' };
}

function fromJpeg(bytes: Uint8Array): RawImage {
  const components = jpegComponents(bytes);
  // jpeg-js always returns RGB (gray repeated); keep one channel when the file has only one.
  const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false });
  const { width, height } = image;
  const pixels = width * height;
  if (width === 0 || height === 0 || image.data.length < pixels * 3) {
    throw new ImageDecodeError(`the JPEG decoded to an empty ${width}x${height} image`);
  }
  if (components === 1) {
    const data = new Float32Array(pixels);
    for (let p = 0; p < pixels; p++) data[p] = image.data[p * 3]!;
    return { width, height, channels: 1, data, format: 'JPEG' };
  }
  return { width, height, channels: 3, data: Float32Array.from(image.data), format: 'JPEG' };
}

/** The number of colour components in the JPEG's frame header (SOFn), or undefined if none. */
function jpegComponents(bytes: Uint8Array): number | undefined {
  let offset = 2;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) return undefined;
    const marker = bytes[offset + 1]!;
    // Fill bytes (FF FF ...) may precede a marker.
    if (marker === 0xff) {
      offset += 1;
      continue;
    }
    const length = (bytes[offset + 2]! << 8) | bytes[offset + 3]!;
    // SOF0..SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range.
    const isFrame = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
    if (isFrame) return bytes[offset + 9];
    if (marker === 0xda) return undefined; // start of scan: no frame header came first
    offset += 2 + length;
  }
  return undefined;
}
