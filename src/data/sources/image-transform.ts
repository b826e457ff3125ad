/**
 * Channel conversion, bilinear resizing and pixel scaling of decoded images, on plain typed
 * arrays. Doing this in JavaScript rather than with tfjs ops keeps a batch's tensors to the two
 * that are handed to the consumer, and for the small images classifiers use it is as fast as the
 * decoding itself.
 */
import type { RawImage } from './image-decode.js';

// ITU-R BT.601 luma weights, as used by PIL's convert('L') and tf.image.rgbToGrayscale.
const LUMA_R = 0.299;
const LUMA_G = 0.587;
const LUMA_B = 0.114;

/**
 * The image's pixels with `channels` values per pixel: RGB to gray by the BT.601 luma weights,
 * gray to RGB by repeating the value.
 *
 * @param image - A decoded image.
 * @param channels - 1 or 3.
 * @returns `image.data` itself when it already has that many channels, else a new array.
 */
export function convertChannels(image: RawImage, channels: 1 | 3): Float32Array {
  if (image.channels === channels) return image.data;
  const pixels = image.width * image.height;
  const src = image.data;
  const out = new Float32Array(pixels * channels);
  if (channels === 1) {
    for (let p = 0; p < pixels; p++) {
      out[p] = LUMA_R * src[p * 3]! + LUMA_G * src[p * 3 + 1]! + LUMA_B * src[p * 3 + 2]!;
    }
  } else {
    for (let p = 0; p < pixels; p++) out.fill(src[p]!, p * 3, p * 3 + 3);
  }
  return out;
}

/**
 * Resizes row-major, channels-last pixels by bilinear interpolation with half-pixel centres
 * (the convention of PIL, OpenCV and `tf.image.resizeBilinear(..., halfPixelCenters = true)`):
 * each output pixel samples the input at its centre and blends the four nearest input pixels.
 * Shrinking by more than about 2x skips input pixels (there is no anti-aliasing), so very large
 * images are best shrunk beforehand.
 *
 * @param src - `height * width * channels` values.
 * @param height - Input height.
 * @param width - Input width.
 * @param channels - Values per pixel.
 * @param outHeight - Output height.
 * @param outWidth - Output width.
 * @returns `src` itself when the size is unchanged, else a new array.
 */
export function resizeBilinear(
  src: Float32Array,
  height: number,
  width: number,
  channels: number,
  outHeight: number,
  outWidth: number,
): Float32Array {
  if (height === outHeight && width === outWidth) return src;
  const out = new Float32Array(outHeight * outWidth * channels);
  const scaleY = height / outHeight;
  const scaleX = width / outWidth;
  // Precompute the column taps once; they are the same for every row.
  const x0s = new Int32Array(outWidth);
  const x1s = new Int32Array(outWidth);
  const wxs = new Float32Array(outWidth);
  for (let x = 0; x < outWidth; x++) {
    const sx = Math.min(Math.max((x + 0.5) * scaleX - 0.5, 0), width - 1);
    x0s[x] = Math.floor(sx);
    x1s[x] = Math.min(x0s[x]! + 1, width - 1);
    wxs[x] = sx - x0s[x]!;
  }
  for (let y = 0; y < outHeight; y++) {
    const sy = Math.min(Math.max((y + 0.5) * scaleY - 0.5, 0), height - 1);
    const y0 = Math.floor(sy);
    const y1 = Math.min(y0 + 1, height - 1);
    const wy = sy - y0;
    const row0 = y0 * width * channels;
    const row1 = y1 * width * channels;
    for (let x = 0; x < outWidth; x++) {
      const a = row0 + x0s[x]! * channels;
      const b = row0 + x1s[x]! * channels;
      const c = row1 + x0s[x]! * channels;
      const d = row1 + x1s[x]! * channels;
      const wx = wxs[x]!;
      const o = (y * outWidth + x) * channels;
      for (let k = 0; k < channels; k++) {
        const top = src[a + k]! + (src[b + k]! - src[a + k]!) * wx;
        const bottom = src[c + k]! + (src[d + k]! - src[c + k]!) * wx;
        out[o + k] = top + (bottom - top) * wy;
      }
    }
  }
  return out;
}

/**
 * Writes pixels in `0..255` into `target` at `offset`, mapped linearly onto `[min, max]`.
 *
 * @param pixels - Values in `0..255`.
 * @param target - The batch's feature array.
 * @param offset - Where this image starts in `target`.
 * @param range - `[min, max]`: 0 maps to `min`, 255 to `max`.
 */
export function writeScaled(
  pixels: Float32Array,
  target: Float32Array,
  offset: number,
  range: readonly [number, number],
): void {
  const [min, max] = range;
  const factor = (max - min) / 255;
  for (let i = 0; i < pixels.length; i++) target[offset + i] = min + pixels[i]! * factor;
}
