/**
 * Whether loading an image folder keeps up with training: decoded images per second through
 * `openImageFolder(...).train.batches()` over whole epochs, against the examples per second of
 * a student's optimizer steps on in-memory batches of the same shape (a small CNN on the cpu
 * backend, as a run with a convolutional model uses; and an MLP on wasm). Also the memory
 * high-water mark while streaming a folder once, against the folder's decoded size, at 32x32
 * and at 64x64 (four times the pixels), to show that it is bounded by the batch, not the folder.
 *
 * The folders are generated in a temporary folder (removed at the end) with scripts/shapes.mjs,
 * in the `train/` and `test/` layout so that the whole folder is the training split. Every
 * figure is a median or a ratio measured in this run; the files are read from the page cache
 * (they were just written). BENCH_IMAGES_PER_CLASS, BENCH_IMAGE_CNN_STEPS, BENCH_IMAGE_MLP_STEPS
 * and BENCH_IMAGE_LARGE=0 (no 64x64 folder) make it smaller.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import * as tf from '@tensorflow/tfjs';
import { openImageFolder, type ImageFolderSource } from '../src/data/sources/image-folder.js';
import { ImageClassifier } from '../src/models/image-classifier.js';
import { mlp } from '../src/models/mlp.js';
import { kernelInitializer } from '../src/models/options.js';
import { selectBackend } from '../src/train/backend.js';
import { report, type Row } from './harness.js';

const BATCH = 64;
const PER_CLASS = Number(process.env.BENCH_IMAGES_PER_CLASS ?? 1000);
// Distinct images per class; the other files repeat their bytes (see scripts/shapes.mjs).
const DISTINCT = Math.min(PER_CLASS, 40);
const CNN_STEPS = Number(process.env.BENCH_IMAGE_CNN_STEPS ?? 2);
const MLP_STEPS = Number(process.env.BENCH_IMAGE_MLP_STEPS ?? 10);
const LARGE = process.env.BENCH_IMAGE_LARGE !== '0';
const COMMAND = 'npm run bench -- image-folder';
const MB = 1e6;

// A collector to call between samples, for the live (not yet collected) memory.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/**
 * Writes `PER_CLASS` images of each class of `size` x `size` to `<dir>/train`, and a few to
 * `<dir>/test`, in a child process (so its memory does not count in this one's).
 */
function writeFolder(dir: string, size: number): { files: number; bytes: number } {
  // From build/bench/ (the compiled bench) to the repository's scripts/.
  const script = fileURLToPath(new URL('../../scripts/shapes.mjs', import.meta.url));
  const args = [script, dir, String(size), String(PER_CLASS), String(DISTINCT)];
  const result = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${script} failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as { files: number; bytes: number };
}

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Reads one epoch of the training split, disposing each batch; returns its milliseconds. */
async function loadEpoch(source: ImageFolderSource, epoch: number): Promise<number> {
  const start = performance.now();
  let images = 0;
  for await (const { x, y } of source.train.batches({ batchSize: BATCH, seed: 1, epoch })) {
    images += x.shape[0];
    tf.dispose([x, y]);
  }
  if (images !== source.train.count) throw new Error(`read ${images} of ${source.train.count}`);
  return performance.now() - start;
}

/** Memory high-water marks of one epoch, in bytes over the values just before it. */
interface Peak {
  /** Resident set size. */
  readonly rss: number;
  /** `heapUsed + arrayBuffers`: pixels live in ArrayBuffers, outside V8's heap. */
  readonly heap: number;
  /** The same with garbage collected before each sample: what is still referenced. */
  readonly live: number;
  /** Bytes of tfjs tensors. */
  readonly tensors: number;
  /** Batches read. */
  readonly batches: number;
  /** Tensors left over after the epoch. */
  readonly drift: number;
}

const heapOf = (m: NodeJS.MemoryUsage): number => m.heapUsed + m.arrayBuffers;

/** Collects garbage, including ArrayBuffers, whose memory is freed only at the next collection. */
async function collect(): Promise<void> {
  gc();
  await new Promise((resolve) => setImmediate(resolve));
  gc();
}

/**
 * Streams the folder's first epoch, sampling memory after every batch (while the consumer holds
 * it and the next one is being read), as a training loop would; then a second epoch collecting
 * garbage before each sample.
 */
async function peakWhileStreaming(source: ImageFolderSource): Promise<Peak> {
  await collect();
  const before = process.memoryUsage();
  const countBefore = tf.memory().numTensors;
  const bytesBefore = tf.memory().numBytes;
  let rss = 0;
  let heap = 0;
  let tensors = 0;
  let batches = 0;
  for await (const { x, y } of source.train.batches({ batchSize: BATCH, seed: 1, epoch: 0 })) {
    const now = process.memoryUsage();
    rss = Math.max(rss, now.rss - before.rss);
    heap = Math.max(heap, heapOf(now) - heapOf(before));
    tensors = Math.max(tensors, tf.memory().numBytes - bytesBefore);
    batches += 1;
    tf.dispose([x, y]);
  }
  const drift = tf.memory().numTensors - countBefore;
  await collect();
  const liveBefore = heapOf(process.memoryUsage());
  let live = 0;
  for await (const { x, y } of source.train.batches({ batchSize: BATCH, seed: 1, epoch: 1 })) {
    await collect();
    live = Math.max(live, heapOf(process.memoryUsage()) - liveBefore);
    tf.dispose([x, y]);
  }
  return { rss, heap, live, tensors, batches, drift };
}

/** Times `steps` optimizer steps (loss, gradients, Adam, loss read back), after a warm-up. */
function stepper(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor): () => number {
  const student = new ImageClassifier({ model });
  const weights = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const optimizer = tf.train.adam(1e-3);
  const step = (): number => {
    const start = performance.now();
    const cost = optimizer.minimize(() => student.loss(x, y).loss, true, weights)!;
    cost.dataSync();
    cost.dispose();
    return performance.now() - start;
  };
  step(); // builds the graph and the optimizer's slots
  return step;
}

/**
 * The layers of `smallCnn`'s defaults (conv 16 and 32 filters of 3x3, 2x2 max pools, fc1 of 128),
 * seeded the same way, on `[height, width, 3]` input: `smallCnn` takes flat square
 * single-channel input only.
 */
function colourCnn(shape: readonly [number, number, number], numClasses: number): tf.Sequential {
  const conv = (filters: number, layer: number): tf.layers.Layer =>
    tf.layers.conv2d({
      filters,
      kernelSize: 3,
      activation: 'relu',
      kernelInitializer: kernelInitializer(7, layer),
    });
  return tf.sequential({
    name: 'bench_colour_cnn',
    layers: [
      tf.layers.inputLayer({ inputShape: [...shape] }),
      conv(16, 0),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      conv(32, 1),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({
        units: 128,
        activation: 'relu',
        kernelInitializer: kernelInitializer(7, 2),
      }),
      tf.layers.dense({ units: numClasses, kernelInitializer: kernelInitializer(7, 3) }),
    ],
  });
}

const fmt = (v: number): string => v.toLocaleString('en-US', { maximumFractionDigits: 0 });
const mb = (bytes: number): string => `${(bytes / MB).toFixed(1)} MB`;
const perS = (count: number, ms: number): number => (count / ms) * 1000;

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-distill-image-bench-'));
const rows: Row[] = [];
try {
  await selectBackend('cpu');
  const genStart = performance.now();
  const written = writeFolder(path.join(root, 'small'), 32);
  const writtenLarge = LARGE ? writeFolder(path.join(root, 'large'), 64) : undefined;
  const genSeconds = (performance.now() - genStart) / 1000;
  const source = await openImageFolder({ path: path.join(root, 'small') });
  const n = source.train.count;
  const [h, w, c] = source.inputShape;
  const section =
    `Loading images: ${n} shapes images ${w}x${h} RGB, half PNG half JPEG, batch ${BATCH} ` +
    `(${COMMAND})`;
  rows.push({
    section,
    what: `generated folder${LARGE ? 's' : ''} (${DISTINCT} distinct images a class)`,
    value:
      `${mb(written.bytes)} at ${w}x${h}` +
      (writtenLarge ? `, ${mb(writtenLarge.bytes)} at 64x64` : '') +
      `, in ${genSeconds.toFixed(1)} s`,
  });

  // Memory first, before any model has grown the process.
  const sizes = [{ label: `${w}x${h}`, source }];
  if (LARGE) {
    sizes.push({
      label: '64x64',
      source: await openImageFolder({ path: path.join(root, 'large') }),
    });
  }
  for (const { label, source: s } of sizes) {
    const pixels = s.inputShape[0] * s.inputShape[1] * s.inputShape[2];
    const decoded = s.train.count * pixels * 4;
    const batch = BATCH * (pixels + 1) * 4; // float32 pixels and int32 labels
    const peak = await peakWhileStreaming(s);
    const loadMs = await loadEpoch(s, 2);
    const share = (bytes: number): string =>
      `${mb(bytes)} = ${(bytes / decoded).toFixed(3)} of decoded, ${(bytes / batch).toFixed(1)} batches`;
    rows.push(
      {
        section,
        what: `${label}: loading, cpu backend (one epoch)`,
        value: `${fmt(perS(s.train.count, loadMs))} images/s`,
      },
      {
        section,
        what: `${label}: decoded size of the folder; of a batch`,
        value: `${mb(decoded)}; ${mb(batch)}`,
      },
      {
        section,
        what: `${label}: peak heap + arrayBuffers growth, streaming once (${peak.batches} batches)`,
        value: share(peak.heap),
      },
      { section, what: `${label}: peak RSS growth`, value: share(peak.rss) },
      {
        section,
        what: `${label}: peak live growth (collecting before each sample)`,
        value: share(peak.live),
        goal: '<= 4 batches',
        met: peak.live <= 4 * batch,
      },
      {
        section,
        what: `${label}: peak tensor bytes; tensors left after the epoch`,
        value: `${(peak.tensors / batch).toFixed(2)} batches; ${peak.drift}`,
        goal: '<= 1 batch; 0',
        met: peak.tensors <= batch && peak.drift === 0,
      },
    );
  }

  // Loading against training, alternating epochs and steps so that noise hits both alike.
  const x = tf.randomUniform([BATCH, h, w, c], 0, 1, 'float32', 3);
  const y = tf.tensor1d(
    Array.from({ length: BATCH }, (_, i) => i % source.numClasses),
    'int32',
  );
  const cnnStep = stepper(colourCnn(source.inputShape, source.numClasses), x, y);
  const loadMs = [await loadEpoch(source, 2)];
  const cnnMs: number[] = [];
  for (let i = 0; i < CNN_STEPS; i++) {
    cnnMs.push(cnnStep());
    loadMs.push(await loadEpoch(source, 3 + i));
  }

  // The MLP on wasm, where batches are made on wasm too.
  await selectBackend('wasm');
  const xFlat = tf.tidy(() => x.reshape([BATCH, h * w * c]));
  const mlpModel = mlp({ inputSize: h * w * c, hidden: [300, 300], numClasses: 3, seed: 2 });
  const mlpStep = stepper(mlpModel, xFlat, y);
  const loadWasmMs = [await loadEpoch(source, 2)];
  const mlpMs: number[] = [];
  for (let block = 0; block < 2; block++) {
    for (let i = 0; i < MLP_STEPS; i++) mlpMs.push(mlpStep());
    loadWasmMs.push(await loadEpoch(source, 3 + block));
  }
  tf.dispose([x, y, xFlat]);

  const loadRate = perS(n, median(loadMs));
  const loadWasmRate = perS(n, median(loadWasmMs));
  const cnnRate = perS(BATCH, median(cnnMs));
  const mlpRate = perS(BATCH, median(mlpMs));
  // In a run the decoding shares the thread with training: its share of an epoch.
  const share = (load: number, train: number): string =>
    `loading ${((100 * train) / (load + train)).toFixed(1)}% of an epoch`;
  rows.push(
    {
      section,
      what: `loading, cpu backend (median of ${loadMs.length} epochs)`,
      value: `${fmt(loadRate)} images/s (${(median(loadMs) / 1000).toFixed(2)} s an epoch)`,
    },
    {
      section,
      what: `CNN step, cpu backend (conv 16-32, fc 128; median of ${cnnMs.length})`,
      value: `${fmt(median(cnnMs))} ms (${cnnRate.toFixed(1)} ex/s)`,
    },
    {
      section,
      what: 'loading / CNN training throughput',
      value: `${fmt(loadRate / cnnRate)} (${share(loadRate, cnnRate)})`,
      goal: '> 1',
      met: loadRate > cnnRate,
    },
    {
      section,
      what: `loading, wasm backend (median of ${loadWasmMs.length} epochs)`,
      value: `${fmt(loadWasmRate)} images/s`,
    },
    {
      section,
      what: `MLP 3072-300-300-3 step, wasm backend (median of ${mlpMs.length})`,
      value: `${median(mlpMs).toFixed(1)} ms (${fmt(mlpRate)} ex/s)`,
    },
    {
      section,
      what: 'loading / MLP training throughput',
      value: `${(loadWasmRate / mlpRate).toFixed(2)} (${share(loadWasmRate, mlpRate)})`,
      goal: '> 1',
      met: loadWasmRate > mlpRate,
    },
  );
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
await report(rows);
