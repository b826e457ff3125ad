/**
 * Distillation on a folder of images (test/fixtures/shapes: circles, squares and triangles in
 * class folders under train/ and test/), read by name from a run config. The teacher sees the
 * images as they are, 32x32 RGB; the student sees them through its own view, 16x16 gray. Both
 * read the same batches, mixed up once by the teacher's mixup and delivered to the student.
 *
 * Small MLPs memorise these 300 training images but barely generalise: the shapes need a CNN,
 * which tfjs's CPU backend trains too slowly for an example. So this shows the plumbing (the
 * training loss falls, the views reach the models), not accuracy.
 *
 * Run: `npm run examples`, or `node build/examples/distill-image-folder.js` after building.
 */
import fs from 'node:fs';
import path from 'node:path';
import { errors, fixture, logLine, trainThenDistill } from './toys/runs.js';

const { teacher, student, leaked } = await trainThenDistill({
  name: 'shapes',
  data: { source: { type: 'imageFolder', path: fixture('shapes') } },
  teacher: { type: 'mlp', hidden: [64] },
  teacherInput: { scale: [-1, 1] }, // pixels in [-1, 1] train an MLP much faster than [0, 1]
  student: { type: 'mlp', hidden: [32] },
  studentInput: { size: [16, 16], channels: 1, scale: [-1, 1] },
  mixupClasses: 3,
  train: { epochs: 4, batchSize: 32, optimizer: { type: 'adam', learningRate: 1e-3 } },
});

/** The example shape the saved model takes: what its view gave it. */
function savedInputShape(runDir: string): string {
  const json = fs.readFileSync(path.join(runDir, 'model', 'model.json'), 'utf8');
  const [, shape] = /"batch_input_shape":\[null,([\d,]+)\]/.exec(json) ?? [];
  return `[${shape}]`;
}

const losses = (l: readonly number[]): string => l.map((v) => v.toFixed(3)).join(' -> ');
console.log(logLine(student, 'Data:'));
console.log(`teacher sees ${savedInputShape(teacher.summary.runDir)}: ${errors(teacher.summary)}`);
console.log(`teacher train loss: ${losses(teacher.trainLoss)}`);
console.log(
  `distilled student sees ${savedInputShape(student.summary.runDir)}: ${errors(student.summary)}`,
);
console.log(`student train loss: ${losses(student.trainLoss)}`);
console.log(`tensors leaked: ${leaked}`);
