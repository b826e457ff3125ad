/**
 * Knowledge distillation on MNIST with the library API: a teacher is trained first, then a much
 * smaller student learns from the true labels and from the teacher's softened logits (Hinton et
 * al., 2015). The data are kept tiny so that the whole program runs in a few seconds.
 *
 * Run: `npm run examples`, or `node build/examples/kd-mnist.js` after building.
 */
import * as tf from '@tensorflow/tfjs';
import {
  ImageClassifier,
  SingleTeacherDistill,
  batches,
  evaluate,
  loadMnist,
  mlp,
  selectBackend,
  takeSubset,
} from 'tfjs-distill';

await selectBackend('wasm'); // several times faster than cpu for dense layers

// 1,000 class-balanced training digits (taken from the first 5,000) and 1,000 test digits.
const mnist = await loadMnist({ trainLimit: 5000, testLimit: 1000 });
const train = takeSubset(mnist.train, 1000, 1);
const test = mnist.test;
const epochs = 3;

// The teacher: trained alone first, on its own task loss.
const teacher = mlp({ hidden: [256], seed: 1, name: 'teacher' });
const teacherTask = new ImageClassifier({ model: teacher });
const teacherOptimizer = tf.train.adam(3e-3);
for (let epoch = 0; epoch < epochs; epoch++) {
  for (const { x, y } of batches(train, { batchSize: 50, seed: 1, epoch })) {
    try {
      teacherOptimizer.minimize(
        () => teacherTask.loss(x, y).loss,
        false,
        teacher.trainableWeights.map((w) => w.read() as tf.Variable),
      );
    } finally {
      tf.dispose([x, y]);
    }
  }
}
teacherOptimizer.dispose();
const teacherResult = await evaluate(teacher, test);
console.log(`teacher: ${teacherResult.errors} test errors of ${teacherResult.count}`);

const before = tf.memory().numTensors;
const teacherWeights = teacher.getWeights().map((w) => w.dataSync().slice());

// The student: 32 hidden units. Its task loss counts 0.3, the distillation loss 0.7.
const student = mlp({ hidden: [32], seed: 2, name: 'student' });
const algo = new SingleTeacherDistill({
  teacher,
  student: new ImageClassifier({ model: student, lossWeight: 0.3 }),
  distiller: {
    studentRecorders: { logits: { type: 'LayerOutputs', source: 'logits' } },
    teacherRecorders: { logits: { type: 'LayerOutputs', source: 'logits' } },
    distillLosses: { loss_kd: { type: 'KLDivergence', tau: 4, lossWeight: 0.7 } },
    lossForwardMappings: {
      loss_kd: {
        predsS: { recorder: 'logits', fromStudent: true },
        predsT: { recorder: 'logits', fromStudent: false },
      },
    },
  },
});

const optimizer = tf.train.adam(3e-3);
let losses: Record<string, number> = {};
for (let epoch = 0; epoch < epochs; epoch++) {
  for (const { x, y } of batches(train, { batchSize: 50, seed: 1, epoch })) {
    try {
      losses = algo.trainStep(optimizer, x, y); // updates the student only
    } finally {
      tf.dispose([x, y]);
    }
  }
}
optimizer.dispose();

const studentResult = await evaluate(student, test);
console.log(`distilled student: ${studentResult.errors} test errors of ${studentResult.count}`);
console.log(`last step: ${Object.keys(losses).sort().join(', ')}`);
const sum = losses['student.loss']! + losses['distill.loss_kd']!;
console.log(`loss = student.loss + distill.loss_kd: ${Math.abs(losses.loss! - sum) < 1e-5}`);
const unchanged = teacher
  .getWeights()
  .every((w, i) => w.dataSync().every((v, j) => v === teacherWeights[i]![j]));
console.log(`teacher weights unchanged: ${unchanged}`);

algo.distiller.dispose();
student.dispose();
console.log(`tensors leaked: ${tf.memory().numTensors - before}`);
teacher.dispose();
