/**
 * Distillation on a CSV file (test/fixtures/tabular/blobs.csv: 300 rows, 8 numeric features,
 * 3 named classes), read by name from a run config: `data.source: { type: 'csv', ... }`. The
 * label column (`species`) and the header are found on their own; 20% of the rows are held
 * out for testing, the same for every class.
 *
 * Run: `npm run examples`, or `node build/examples/distill-csv.js` after building.
 */
import { errors, fixture, logLine, trainThenDistill } from './toys/runs.js';

const { teacher, student, leaked } = await trainThenDistill({
  name: 'blobs-csv',
  // Features z-scored with the training rows' statistics.
  data: { source: { type: 'csv', path: fixture('tabular/blobs.csv'), standardize: true } },
  teacher: { type: 'mlp', hidden: [64] },
  student: { type: 'mlp', hidden: [4] },
  train: { epochs: 10, batchSize: 30, optimizer: { type: 'adam', learningRate: 1e-2 } },
});

console.log(logLine(student, 'Data:').replace(/ [^ ]*blobs\.csv/, ' blobs.csv'));
console.log(`teacher: ${errors(teacher.summary)}`);
console.log(`distilled student: ${errors(student.summary)}`);
console.log(`tensors leaked: ${leaked}`);
