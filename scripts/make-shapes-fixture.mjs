// Writes the "shapes" image-folder fixture: small RGB images of circles, squares and triangles
// at random positions, sizes and colours on noisy backgrounds, from a fixed seed, as PNG and JPEG
// files in test/fixtures/shapes/{train,test}/<class>/NNN.png|jpg. Rerunning it gives the same
// bytes. The classes are learnable by a small convolutional network, though not trivially so
// (position, size and colour all vary).
//
// Usage: node scripts/make-shapes-fixture.mjs [outDir]
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encode as encodePng } from 'fast-png';
import jpeg from 'jpeg-js';

const SIZE = 32;
const CLASSES = ['circle', 'square', 'triangle'];
const COUNTS = { train: 100, test: 30 };
const SEED = 20240611;
const out = process.argv[2] ?? join('test', 'fixtures', 'shapes');

/** mulberry32, as in src/data/random.ts. */
function createRng(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let z = Math.imul(state ^ (state >>> 15), state | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
}

const rng = createRng(SEED);
const uniform = (lo, hi) => lo + rng() * (hi - lo);
const int = (lo, hi) => Math.floor(uniform(lo, hi + 1));
const colour = () => [int(0, 255), int(0, 255), int(0, 255)];
const distance = (a, b) => Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1]) + Math.abs(a[2] - b[2]);

/** Whether pixel (x, y) lies in the shape centred at (cx, cy) with half-size r. */
const inside = {
  circle: (x, y, cx, cy, r) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r,
  square: (x, y, cx, cy, r) => Math.abs(x - cx) <= r * 0.85 && Math.abs(y - cy) <= r * 0.85,
  // Apex up, base at cy + r, as wide at the base as it is tall.
  triangle: (x, y, cx, cy, r) =>
    y >= cy - r && y <= cy + r && Math.abs(x - cx) <= (y - (cy - r)) / 2,
};

function draw(shape) {
  const background = colour();
  let foreground = colour();
  // Enough contrast that the shape is visible after JPEG compression.
  while (distance(background, foreground) < 200) foreground = colour();
  const r = uniform(6, 12);
  const cx = uniform(r, SIZE - 1 - r);
  const cy = uniform(r, SIZE - 1 - r);
  const data = new Uint8Array(SIZE * SIZE * 3);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const base = inside[shape](x + 0.5, y + 0.5, cx, cy, r) ? foreground : background;
      // Noise in steps of 8 keeps the PNGs small while still varying every pixel.
      const noise = 8 * int(-2, 2);
      for (let c = 0; c < 3; c++) {
        data[(y * SIZE + x) * 3 + c] = Math.min(255, Math.max(0, base[c] + noise));
      }
    }
  }
  return data;
}

function toRgba(rgb) {
  const rgba = new Uint8Array(SIZE * SIZE * 4);
  for (let p = 0; p < SIZE * SIZE; p++) {
    rgba.set(rgb.subarray(p * 3, p * 3 + 3), p * 4);
    rgba[p * 4 + 3] = 255;
  }
  return rgba;
}

rmSync(out, { recursive: true, force: true });
let files = 0;
let bytes = 0;
for (const [split, count] of Object.entries(COUNTS)) {
  for (const shape of CLASSES) {
    const dir = join(out, split, shape);
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < count; i++) {
      const rgb = draw(shape);
      const name = String(i).padStart(3, '0');
      let file;
      let content;
      if (i % 2 === 1) {
        // jpeg-js encodes RGBA input (alpha ignored).
        file = `${name}.jpg`;
        content = jpeg.encode({ data: toRgba(rgb), width: SIZE, height: SIZE }, 90).data;
      } else if (i % 10 === 4) {
        // Some PNGs carry an alpha channel, as exported by many tools.
        file = `${name}.png`;
        content = encodePng({
          width: SIZE,
          height: SIZE,
          data: toRgba(rgb),
          channels: 4,
          depth: 8,
        });
      } else {
        file = `${name}.png`;
        content = encodePng({ width: SIZE, height: SIZE, data: rgb, channels: 3, depth: 8 });
      }
      writeFileSync(join(dir, file), content);
      files += 1;
      bytes += content.length;
    }
  }
}
console.log(`Wrote ${files} images (${(bytes / 1024).toFixed(0)} KiB) to ${out}`);
