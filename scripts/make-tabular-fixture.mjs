// Writes the small synthetic tabular fixture used by the data-source tests: 300 rows of 8
// features in 3 Gaussian classes with named labels, as test/fixtures/tabular/blobs.csv and as
// the pair test/fixtures/tabular/blobs-npy/{x.npy,y.npy} (float32 features, int64 labels).
// Deterministic (seeded); run `npm run build` first, then `node scripts/make-tabular-fixture.mjs`.
import { Buffer } from 'node:buffer';
import { mkdirSync, writeFileSync } from 'node:fs';
import { TextEncoder } from 'node:util';
import { createRng } from '../dist/data/random.js';

const CLASSES = ['amber', 'cobalt', 'olive']; // sorted, so label index = position
const FEATURES = 8;
const PER_CLASS = 100;
const rng = createRng(2024);

/** A standard normal draw (Box-Muller). */
function gaussian() {
  const u = 1 - rng.next();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

const centers = CLASSES.map(() => Array.from({ length: FEATURES }, () => 4 * gaussian()));
const rows = [];
for (let i = 0; i < PER_CLASS * CLASSES.length; i++) {
  // Interleaved classes, so the file is not sorted by label.
  const label = i % CLASSES.length;
  const x = centers[label].map((c) => Math.fround(c + gaussian()));
  rows.push({ x, label });
}

const out = new URL('../test/fixtures/tabular/', import.meta.url);
mkdirSync(new URL('blobs-npy/', out), { recursive: true });
const header = [...Array.from({ length: FEATURES }, (_, k) => `f${k + 1}`), 'species'];
const csv = [header.join(',')]
  .concat(rows.map((r) => [...r.x.map((v) => v.toPrecision(6)), CLASSES[r.label]].join(',')))
  .join('\n');
writeFileSync(new URL('blobs.csv', out), `${csv}\n`);

/** The bytes of a version 1.0 .npy file. */
function npy(descr, shape, body) {
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const unpadded = 10 + dict.length + 1;
  const text = dict + ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const head = new Uint8Array(10 + text.length);
  head.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(head.buffer).setUint16(8, text.length, true);
  head.set(new TextEncoder().encode(text), 10);
  return Buffer.concat([head, new Uint8Array(body.buffer)]);
}

// The NPY features are the CSV's values as written (6 significant digits), so both agree.
const x = Float32Array.from(rows.flatMap((r) => r.x.map((v) => Number(v.toPrecision(6)))));
const y = BigInt64Array.from(rows.map((r) => BigInt(r.label)));
writeFileSync(new URL('blobs-npy/x.npy', out), npy('<f4', [rows.length, FEATURES], x));
writeFileSync(new URL('blobs-npy/y.npy', out), npy('<i8', [rows.length], y));
console.log(`wrote ${rows.length} rows to test/fixtures/tabular/`);
