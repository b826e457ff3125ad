/**
 * Teachers that end in a softmax output probabilities, not logits; dividing those by a
 * temperature would be wrong. A run tells them apart (`teacher.outputs: 'auto'`, the default)
 * and distills from the probabilities' logarithms, which differ from the logits by a constant
 * per row. Here the GraphModel and ONNX fixtures, each with and without a final softmax, teach
 * the same student on flat MNIST digits (the ONNX CNN takes them flat too).
 *
 * Run: `npm run examples`, or `node build/examples/softmax-teachers.js` after building.
 */
import * as tf from '@tensorflow/tfjs';
import type { TeacherModelConfig } from 'tfjs-distill';
import { errors, fixture, logLine, logitsKd, run } from './toys/runs.js';

const teachers: Record<string, TeacherModelConfig> = {
  'graph logits': { type: 'graph', path: fixture('graph-teacher/logits') },
  'graph softmax': { type: 'graph', path: fixture('graph-teacher/softmax') },
  'onnx logits': { type: 'onnx', path: fixture('onnx-teacher/cnn.onnx') },
  'onnx softmax': { type: 'onnx', path: fixture('onnx-teacher/cnn-softmax.onnx') },
};

const before = tf.memory().numTensors;
for (const [name, model] of Object.entries(teachers)) {
  const student = await run({
    name: name.replace(' ', '-'),
    data: { trainLimit: 500, validationSize: 0, testLimit: 500 },
    model: { type: 'mlp', hidden: [16] },
    teacher: { model }, // outputs: 'auto'
    distill: logitsKd(),
    train: {
      epochs: 2,
      batchSize: 50,
      taskLossWeight: 0.3,
      optimizer: { type: 'adam', learningRate: 3e-3 },
    },
  });
  // `Teacher outputs probabilities: <why>; distilled from their logarithms.`
  console.log(`${name}: ${logLine(student, 'Teacher outputs').replace('Teacher outputs ', '')}`);
  console.log(`${name}: distilled student: ${errors(student.summary)}`);
}
console.log(`tensors leaked: ${tf.memory().numTensors - before}`);
