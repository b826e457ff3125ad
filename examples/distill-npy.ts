/**
 * Distillation on NumPy arrays (test/fixtures/tabular/blobs-npy: `x.npy` float features
 * [300, 8] and `y.npy` integer labels [300]), read by name from a run config:
 * `data.source: { type: 'npy', dir }`. A folder with just x.npy and y.npy is split at random,
 * stratified; one with train/ and test/ subfolders keeps that split.
 *
 * Run: `npm run examples`, or `node build/examples/distill-npy.js` after building.
 */
import { errors, fixture, logLine, trainThenDistill } from './toys/runs.js';

const { teacher, student, leaked } = await trainThenDistill({
  name: 'blobs-npy',
  data: {
    source: {
      type: 'npy',
      dir: fixture('tabular/blobs-npy'),
      testFraction: 0.2,
      classNames: ['amber', 'cobalt', 'olive'],
    },
  },
  teacher: { type: 'mlp', hidden: [64] },
  student: { type: 'mlp', hidden: [4] },
  train: { epochs: 10, batchSize: 30, optimizer: { type: 'adam', learningRate: 1e-2 } },
});

console.log(logLine(student, 'Data:').replace(/ [^ ]*blobs-npy/, ' blobs-npy'));
console.log(`teacher: ${errors(teacher.summary)}`);
console.log(`distilled student: ${errors(student.summary)}`);
console.log(`tensors leaked: ${leaked}`);
