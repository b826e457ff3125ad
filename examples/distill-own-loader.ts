/**
 * Distillation on data from a loader of your own, in a TypeScript config object: the training
 * split is an async generator of batches (as a loader that reads from a database or the
 * network would be), the test split a `tf.data.Dataset`. `fromBatches` turns both into a data
 * source that re-cuts, shuffles (seeded) and checks the batches, and disposes their tensors.
 *
 * Run: `npm run examples`, or `node build/examples/distill-own-loader.js` after building.
 */
import * as tf from '@tensorflow/tfjs';
import { fromBatches, type DataSource } from 'tfjs-distill';
import { errors, logLine, trainThenDistill } from './toys/runs.js';

const CLASSES = ['inner', 'middle', 'outer'];

/** Points on three noisy rings, the class the ring: `count` of them from a seeded generator. */
function rings(count: number, seed: number): { xs: number[][]; ys: number[] } {
  let state = seed;
  const random = (): number => (state = (state * 16807) % 2147483647) / 2147483647;
  const xs: number[][] = [];
  const ys: number[] = [];
  for (let i = 0; i < count; i++) {
    const label = i % 3;
    const radius = 1 + label + 0.6 * (random() - 0.5);
    const angle = 2 * Math.PI * random();
    xs.push([radius * Math.cos(angle), radius * Math.sin(angle)]);
    ys.push(label);
  }
  return { xs, ys };
}

/** The loader: 12 batches of 25 points, a fresh generator (and the same points) every epoch. */
async function* trainBatches(): AsyncGenerator<{ xs: tf.Tensor2D; ys: tf.Tensor1D }> {
  const { xs, ys } = rings(300, 7);
  for (let start = 0; start < xs.length; start += 25) {
    await new Promise((resolve) => setImmediate(resolve)); // as if waiting for I/O
    yield {
      xs: tf.tensor2d(xs.slice(start, start + 25)),
      ys: tf.tensor1d(ys.slice(start, start + 25), 'int32'),
    };
  }
}

/** The source, opened anew by each run. */
function openRings(): Promise<DataSource> {
  const test = rings(90, 11);
  return fromBatches({
    train: trainBatches, // a function: one generator per epoch
    test: tf.data.zip({ xs: tf.data.array(test.xs), ys: tf.data.array(test.ys) }).batch(30),
    inputShape: [2],
    classNames: CLASSES,
    shuffleBuffer: 300,
    description: 'three rings, from a generator and a tf.data.Dataset',
  });
}

const { teacher, student, leaked } = await trainThenDistill({
  name: 'rings',
  data: { source: openRings },
  teacher: { type: 'mlp', hidden: [64, 64] },
  student: { type: 'mlp', hidden: [8] },
  train: { epochs: 15, batchSize: 25, optimizer: { type: 'adam', learningRate: 1e-2 } },
});

console.log(logLine(student, 'Data:'));
console.log(`teacher: ${errors(teacher.summary)}`);
console.log(`distilled student: ${errors(student.summary)}`);
console.log(`tensors leaked: ${leaked}`);
