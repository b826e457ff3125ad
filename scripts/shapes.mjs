// Draws and writes "shapes" images: circles, squares and triangles at random positions, sizes and
// colours on noisy backgrounds, as PNG and JPEG files in <dir>/<class>/NNN.png|jpg. Shared by the
// fixture script (scripts/make-shapes-fixture.mjs) and the image-loading benchmark
// (bench/image-folder.bench.ts), which needs a folder larger than the read-ahead window. The same
// seed and sizes always give the same bytes.
//
// Run as a script, it writes an image folder in the train/ and test/ layout:
//   node scripts/shapes.mjs <outDir> <size> <perClass> [distinct]
// <perClass> images of each class in train/ (<distinct> of them distinct, see writeShapeClasses)
// and 2 in test/, and prints {"files":...,"bytes":...} of train/ as JSON.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { encode as encodePng } from 'fast-png';
import jpeg from 'jpeg-js';

/** The class folders, in label order. */
export const SHAPE_CLASSES = ['circle', 'square', 'triangle'];

/** mulberry32, as in src/data/random.ts: a function returning uniform numbers in [0, 1). */
export function createRng(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let z = Math.imul(state ^ (state >>> 15), state | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
}

/** Whether pixel (x, y) lies in the shape centred at (cx, cy) with half-size r. */
const inside = {
  circle: (x, y, cx, cy, r) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r,
  square: (x, y, cx, cy, r) => Math.abs(x - cx) <= r * 0.85 && Math.abs(y - cy) <= r * 0.85,
  // Apex up, base at cy + r, as wide at the base as it is tall.
  triangle: (x, y, cx, cy, r) =>
    y >= cy - r && y <= cy + r && Math.abs(x - cx) <= (y - (cy - r)) / 2,
};

/** One `size` x `size` RGB image (Uint8Array, row-major) of `shape`, drawn from `rng`. */
export function drawShape(rng, shape, size) {
  const uniform = (lo, hi) => lo + rng() * (hi - lo);
  const int = (lo, hi) => Math.floor(uniform(lo, hi + 1));
  const colour = () => [int(0, 255), int(0, 255), int(0, 255)];
  const distance = (a, b) => Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1]) + Math.abs(a[2] - b[2]);
  const background = colour();
  let foreground = colour();
  // Enough contrast that the shape is visible after JPEG compression.
  while (distance(background, foreground) < 200) foreground = colour();
  // Half-sizes of 6 to 12 pixels at 32x32, in proportion at other sizes.
  const r = uniform((6 * size) / 32, (12 * size) / 32);
  const cx = uniform(r, size - 1 - r);
  const cy = uniform(r, size - 1 - r);
  const data = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const base = inside[shape](x + 0.5, y + 0.5, cx, cy, r) ? foreground : background;
      // Noise in steps of 8 keeps the PNGs small while still varying every pixel.
      const noise = 8 * int(-2, 2);
      for (let c = 0; c < 3; c++) {
        data[(y * size + x) * 3 + c] = Math.min(255, Math.max(0, base[c] + noise));
      }
    }
  }
  return data;
}

function toRgba(rgb, size) {
  const rgba = new Uint8Array(size * size * 4);
  for (let p = 0; p < size * size; p++) {
    rgba.set(rgb.subarray(p * 3, p * 3 + 3), p * 4);
    rgba[p * 4 + 3] = 255;
  }
  return rgba;
}

/**
 * Encodes the `index`-th image of a class: odd indices as JPEG (quality 90), the others as PNG,
 * one PNG in ten with an alpha channel (as exported by many tools). Returns `{ ext, content }`.
 */
export function encodeShape(rgb, size, index) {
  if (index % 2 === 1) {
    // jpeg-js encodes RGBA input (alpha ignored).
    const content = jpeg.encode({ data: toRgba(rgb, size), width: size, height: size }, 90).data;
    return { ext: 'jpg', content };
  }
  const content =
    index % 10 === 4
      ? encodePng({ width: size, height: size, data: toRgba(rgb, size), channels: 4, depth: 8 })
      : encodePng({ width: size, height: size, data: rgb, channels: 3, depth: 8 });
  return { ext: 'png', content };
}

/**
 * Writes `count` images of each class to `<dir>/<class>/NNN.png|jpg`, class by class, drawing
 * from `rng` (so consecutive calls with the same generator continue its sequence). With
 * `distinct` below `count`, only the first `distinct` images of a class are drawn and encoded,
 * and file `i` repeats the bytes of image `i % distinct`: jpeg-js sets up its encoder for every
 * image (some 60 ms), so a large folder is quicker made this way. Keep `distinct` a multiple of
 * 10 to keep the pattern of formats. Returns `{ files, bytes }` written.
 */
export function writeShapeClasses(dir, { count, size, rng, distinct = count }) {
  const digits = Math.max(3, String(count - 1).length);
  let files = 0;
  let bytes = 0;
  for (const shape of SHAPE_CLASSES) {
    const classDir = join(dir, shape);
    mkdirSync(classDir, { recursive: true });
    const encoded = [];
    for (let i = 0; i < count; i++) {
      if (i < distinct) encoded.push(encodeShape(drawShape(rng, shape, size), size, i));
      const { ext, content } = encoded[i % distinct];
      writeFileSync(join(classDir, `${String(i).padStart(digits, '0')}.${ext}`), content);
      files += 1;
      bytes += content.length;
    }
  }
  return { files, bytes };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [out, size, perClass, distinct] = process.argv.slice(2);
  const numbers = [size, perClass, distinct ?? perClass].map(Number);
  if (out === undefined || !numbers.every((v) => Number.isInteger(v) && v > 0)) {
    console.error('Usage: node scripts/shapes.mjs <outDir> <size> <perClass> [distinct]');
    process.exit(2);
  }
  const rng = createRng(numbers[0]);
  const written = writeShapeClasses(join(out, 'train'), {
    count: numbers[1],
    size: numbers[0],
    rng,
    distinct: numbers[2],
  });
  writeShapeClasses(join(out, 'test'), { count: 2, size: numbers[0], rng });
  console.log(JSON.stringify(written));
}
