/**
 * Distillation from a tfjs GraphModel (what tfjs-converter writes from a TensorFlow SavedModel):
 * test/fixtures/graph-teacher/logits, an MNIST MLP 784 -> 32 -> 10. Besides the logits (KD),
 * the student learns the teacher's hidden layer, recorded by its node name: a DenseConnector
 * maps the student's 16 hidden units to the teacher's 32, and an L2 loss compares them (FitNets).
 *
 * Run: `npm run examples`, or `node build/examples/graph-teacher.js` after building.
 */
import * as tf from '@tensorflow/tfjs';
import {
  evaluate,
  graphModelAsLayers,
  graphNodeNames,
  loadGraphTeacher,
  loadMnist,
  selectBackend,
} from 'tfjs-distill';
import { errors, fixture, logitsKd, run } from './toys/runs.js';

await selectBackend('wasm');
const path = fixture('graph-teacher/logits');

// Node names are in the model.json, or listed by graphNodeNames: the hidden layer's ReLU.
const graph = await loadGraphTeacher(path);
const hidden = graphNodeNames(graph).find((node) => node.op === 'Relu')!.name;
console.log(`hidden node: ${hidden}`);
const teacherModel = graphModelAsLayers(graph, { disposeGraph: true });
const mnist = await loadMnist({ trainLimit: 100, testLimit: 500 });
const teacherResult = await evaluate(teacherModel, mnist.test);
console.log(`teacher: ${teacherResult.errors} test errors of ${teacherResult.count}`);
teacherModel.dispose();

const before = tf.memory().numTensors;
const kd = logitsKd();
const student = await run({
  name: 'graph-teacher',
  data: { trainLimit: 1000, validationSize: 0, testLimit: 500 },
  model: { type: 'mlp', hidden: [16] },
  teacher: { model: { type: 'graph', path, nodes: [hidden] } },
  distill: {
    ...kd,
    studentRecorders: { ...kd.studentRecorders, hidden: { type: 'LayerOutputs', source: 'fc1' } },
    // The node's name is a recorder source of the teacher.
    teacherRecorders: { ...kd.teacherRecorders, hidden: { type: 'LayerOutputs', source: hidden } },
    connectors: { hint: { type: 'DenseConnector', outFeatures: 32 } },
    distillLosses: {
      ...kd.distillLosses,
      loss_hint: { type: 'L2Loss', normalize: true, lossWeight: 0.2 },
    },
    lossForwardMappings: {
      ...kd.lossForwardMappings,
      loss_hint: {
        sFeature: { recorder: 'hidden', fromStudent: true, connector: 'hint' },
        tFeature: { recorder: 'hidden', fromStudent: false },
      },
    },
  },
  train: {
    epochs: 3,
    batchSize: 50,
    taskLossWeight: 0.3,
    optimizer: { type: 'adam', learningRate: 3e-3 },
  },
});
console.log(`distilled student: ${errors(student.summary)}`);
console.log(`tensors leaked: ${tf.memory().numTensors - before}`);
