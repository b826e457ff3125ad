// Converts scikit-learn's copy of the UCI "Optical Recognition of Handwritten Digits" set
// (sklearn/datasets/data/digits.csv.gz: 1,797 rows of 64 pixels in 0..16 and the digit) into
// the NPY pair the digits configs read: x.npy, uint8 [1797, 8, 8, 1] (pixels 0..16, rows in
// the file's order), and y.npy, uint8 [1797] (the digit).
//
//   node scripts/prepare-digits.mjs [digits.csv.gz | digits.csv | folder] [--out <folder>]
//
// Without a path it reads Debian's python3-sklearn (`apt-get install python3-sklearn`, or
// `apt-get download python3-sklearn && dpkg -x python3-sklearn_*.deb pkg` and pass
// pkg/usr/lib/python3/dist-packages/sklearn/datasets/data). The default output is
// examples/data/digits, where the committed copy lives; plain Node, no build needed.
import { Buffer } from 'node:buffer';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';

const DEBIAN = '/usr/lib/python3/dist-packages/sklearn/datasets/data';
const ROWS = 1797;
const PIXELS = 64;

function fail(message) {
  console.error(`prepare-digits: ${message}`);
  process.exit(1);
}

function parseArgs(argv) {
  let input;
  let out = new URL('../examples/data/digits/', import.meta.url).pathname;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') {
      out = argv[++i] ?? fail('--out needs a folder.');
    } else if (argv[i].startsWith('--')) {
      fail(`unknown option ${argv[i]}; usage: prepare-digits.mjs [digits.csv.gz] [--out <folder>]`);
    } else {
      input = argv[i];
    }
  }
  return { input: findInput(input ?? DEBIAN), out: resolve(out) };
}

/** The digits file: the path itself, or digits.csv.gz / digits.csv inside a folder. */
function findInput(path) {
  if (!existsSync(path)) {
    fail(
      `${path} does not exist. Install python3-sklearn (Debian/Ubuntu), or pass the path of ` +
        "scikit-learn's sklearn/datasets/data/digits.csv.gz.",
    );
  }
  if (!statSync(path).isDirectory()) return path;
  for (const name of ['digits.csv.gz', 'digits.csv']) {
    if (existsSync(join(path, name))) return join(path, name);
  }
  return fail(`${path} holds neither digits.csv.gz nor digits.csv.`);
}

/** Rows of 64 pixels and a label, checked: a truncated or foreign file is refused by line. */
function parse(file) {
  const bytes = readFileSync(file);
  const text = (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString();
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines.length !== ROWS) fail(`${file}: expected ${ROWS} rows, got ${lines.length}.`);
  const x = new Uint8Array(ROWS * PIXELS);
  const y = new Uint8Array(ROWS);
  lines.forEach((line, row) => {
    const fields = line.split(',').map(Number);
    const bad = (what) => fail(`${file}:${row + 1}: ${what}; is this scikit-learn's digits file?`);
    if (fields.length !== PIXELS + 1) bad(`expected ${PIXELS + 1} fields, got ${fields.length}`);
    fields.forEach((v, k) => {
      const max = k < PIXELS ? 16 : 9;
      if (!Number.isInteger(v) || v < 0 || v > max) bad(`field ${k + 1} is ${v}, not in 0..${max}`);
    });
    x.set(fields.slice(0, PIXELS), row * PIXELS);
    y[row] = fields[PIXELS];
  });
  return { x, y };
}

/** The bytes of a version 1.0 .npy file of uint8 values. */
function npyUint8(shape, body) {
  const dict = `{'descr': '|u1', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const text = dict + ' '.repeat((64 - ((10 + dict.length + 1) % 64)) % 64) + '\n';
  const head = Buffer.alloc(10 + text.length);
  head.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  head.writeUInt16LE(text.length, 8);
  head.write(text, 10, 'latin1');
  return Buffer.concat([head, body]);
}

const { input, out } = parseArgs(process.argv.slice(2));
const { x, y } = parse(input);
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'x.npy'), npyUint8([ROWS, 8, 8, 1], x));
writeFileSync(join(out, 'y.npy'), npyUint8([ROWS], y));
const counts = Array.from({ length: 10 }, (_, d) => y.filter((v) => v === d).length);
console.log(`wrote ${ROWS} digits (per class: ${counts.join(' ')}) to ${out}`);
