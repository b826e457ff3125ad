// Writes the "shapes" image-folder fixture: small RGB images of circles, squares and triangles
// at random positions, sizes and colours on noisy backgrounds, from a fixed seed, as PNG and JPEG
// files in test/fixtures/shapes/{train,test}/<class>/NNN.png|jpg. Rerunning it gives the same
// bytes. The classes are learnable by a small convolutional network, though not trivially so
// (position, size and colour all vary). The drawing is in scripts/shapes.mjs.
//
// Usage: node scripts/make-shapes-fixture.mjs [outDir]
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createRng, writeShapeClasses } from './shapes.mjs';

const SIZE = 32;
const COUNTS = { train: 100, test: 30 };
const SEED = 20240611;
const out = process.argv[2] ?? join('test', 'fixtures', 'shapes');

rmSync(out, { recursive: true, force: true });
const rng = createRng(SEED);
let files = 0;
let bytes = 0;
for (const [split, count] of Object.entries(COUNTS)) {
  const written = writeShapeClasses(join(out, split), { count, size: SIZE, rng });
  files += written.files;
  bytes += written.bytes;
}
console.log(`Wrote ${files} images (${(bytes / 1024).toFixed(0)} KiB) to ${out}`);
