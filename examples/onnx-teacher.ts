/**
 * Distillation from an ONNX model (what PyTorch exports), run by onnxruntime-node:
 * test/fixtures/onnx-teacher/cnn.onnx, a small MNIST CNN. PyTorch lays images out NCHW,
 * [N, 1, 28, 28]; the teacher reports the NHWC shape of one example, [28, 28, 1], and
 * transposes batches itself, so MNIST is read as images of that shape. onnxruntime has no
 * synchronous API: the run feeds the teacher one batch ahead, while the student trains.
 *
 * Run: `npm run examples`, or `node build/examples/onnx-teacher.js` after building.
 */
import * as tf from '@tensorflow/tfjs';
import { OnnxTeacher, evaluateSplit, openMnist, selectBackend } from 'tfjs-distill';
import { errors, fixture, logitsKd, run } from './toys/runs.js';

const path = fixture('onnx-teacher/cnn.onnx');
// The options of the run's source, `{ type: 'mnist', ...mnist }`, as openMnist takes them.
const mnist = { shape: 'image', trainLimit: 1000, validationSize: 0, testLimit: 500 } as const;

await selectBackend('wasm');

const teacher = await OnnxTeacher.load(path);
console.log(
  `teacher takes ${JSON.stringify(teacher.inputShape)} (${teacher.layout} inside), ${teacher.numClasses} classes`,
);
const { test } = await openMnist(mnist);
const teacherResult = await evaluateSplit((x) => teacher.predict(x), test, {
  numClasses: 10,
});
console.log(`teacher: ${teacherResult.errors} test errors of ${teacherResult.count}`);
await teacher.close();

const before = tf.memory().numTensors;
const student = await run({
  name: 'onnx-teacher',
  data: { source: { type: 'mnist', ...mnist } },
  model: { type: 'mlp', hidden: [16] }, // sized from the data: [28, 28, 1], flattened
  teacher: { model: { type: 'onnx', path } },
  distill: logitsKd(),
  train: {
    epochs: 3,
    batchSize: 50,
    taskLossWeight: 0.3,
    optimizer: { type: 'adam', learningRate: 3e-3 },
  },
});
console.log(`distilled student: ${errors(student.summary)}`);
console.log(`tensors leaked: ${tf.memory().numTensors - before}`);
