// Writes the GraphModel teacher fixtures of test/fixtures/graph-teacher/: trains a small MLP
// (784 -> 32 relu -> 10) as a tfjs LayersModel on the first 2,000 MNIST digits for a few
// seconds, then writes the same function as a GraphModel, the way tfjs-converter lays one out
// (format 'graph-model', a TensorFlow GraphDef of Placeholder, Const, MatMul, BiasAdd, Relu,
// Softmax and Identity nodes, and a weights manifest), in two variants:
//
//   logits/   the output node `Identity` is the logits;
//   softmax/  the output node `Identity` is a Softmax of the logits (probabilities);
//
// and checks that tf.loadGraphModel gives the LayersModel's outputs within 1e-5.
// expected.json holds four test digits and the LayersModel's logits for them.
//
// Run from the repository root after `npm run build`: node scripts/make-graph-teacher-fixture.mjs
import { Buffer } from 'node:buffer';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { loadMnist } from '../dist/index.js';

const OUT = new URL('../test/fixtures/graph-teacher/', import.meta.url);
const PREFIX = 'StatefulPartitionedCall/sequential';
const DT_FLOAT = 'DT_FLOAT';

const dims = (shape) => ({ dim: shape.map((d) => ({ size: String(d) })) });
const tAttr = { T: { type: DT_FLOAT } };

function constNode(name, shape) {
  return {
    name,
    op: 'Const',
    attr: {
      value: { tensor: { dtype: DT_FLOAT, tensorShape: dims(shape) } },
      dtype: { type: DT_FLOAT },
    },
  };
}

/** MatMul + BiasAdd (+ Relu) of a dense layer, named as a converted Keras model names them. */
function denseNodes(layer, input, kernelShape, relu) {
  const at = `${PREFIX}/${layer}`;
  const nodes = [
    constNode(`${at}/MatMul/ReadVariableOp`, kernelShape),
    constNode(`${at}/BiasAdd/ReadVariableOp`, [kernelShape[1]]),
    {
      name: `${at}/MatMul`,
      op: 'MatMul',
      input: [input, `${at}/MatMul/ReadVariableOp`],
      attr: { ...tAttr, transpose_a: { b: false }, transpose_b: { b: false } },
    },
    {
      name: `${at}/BiasAdd`,
      op: 'BiasAdd',
      input: [`${at}/MatMul`, `${at}/BiasAdd/ReadVariableOp`],
      // "NHWC", base64-encoded as GraphDef JSON encodes bytes.
      attr: { ...tAttr, data_format: { s: Buffer.from('NHWC').toString('base64') } },
    },
  ];
  if (relu) nodes.push({ name: `${at}/Relu`, op: 'Relu', input: [`${at}/BiasAdd`], attr: tAttr });
  return { nodes, output: relu ? `${at}/Relu` : `${at}/BiasAdd` };
}

function graphModelJson(model, softmax) {
  const [k1, b1] = model.getLayer('fc1').getWeights();
  const [k2, b2] = model.getLayer('logits').getWeights();
  const fc1 = denseNodes('fc1', 'serving_default_input', k1.shape, true);
  const logits = denseNodes('logits', fc1.output, k2.shape, false);
  const nodes = [
    {
      name: 'serving_default_input',
      op: 'Placeholder',
      attr: { dtype: { type: DT_FLOAT }, shape: { shape: dims([-1, 784]) } },
    },
    ...fc1.nodes,
    ...logits.nodes,
  ];
  let last = logits.output;
  if (softmax) {
    nodes.push({ name: `${PREFIX}/logits/Softmax`, op: 'Softmax', input: [last], attr: tAttr });
    last = `${PREFIX}/logits/Softmax`;
  }
  nodes.push({ name: 'Identity', op: 'Identity', input: [last], attr: tAttr });
  const weights = [
    [`${PREFIX}/fc1/MatMul/ReadVariableOp`, k1],
    [`${PREFIX}/fc1/BiasAdd/ReadVariableOp`, b1],
    [`${PREFIX}/logits/MatMul/ReadVariableOp`, k2],
    [`${PREFIX}/logits/BiasAdd/ReadVariableOp`, b2],
  ];
  const tensorInfo = (name, shape) => ({ name, dtype: DT_FLOAT, tensorShape: dims(shape) });
  const json = {
    format: 'graph-model',
    generatedBy: 'tfjs-distill scripts/make-graph-teacher-fixture.mjs',
    convertedBy: 'tfjs-distill scripts/make-graph-teacher-fixture.mjs',
    modelTopology: { node: nodes, library: {}, versions: { producer: 1286 } },
    signature: {
      inputs: { input: tensorInfo('serving_default_input:0', [-1, 784]) },
      outputs: { output_0: tensorInfo('Identity:0', [-1, 10]) },
    },
    weightsManifest: [
      {
        paths: ['group1-shard1of1.bin'],
        weights: weights.map(([name, t]) => ({ name, shape: t.shape, dtype: 'float32' })),
      },
    ],
  };
  const bytes = Buffer.concat(weights.map(([, t]) => Buffer.from(t.dataSync().buffer)));
  return { json, bytes };
}

await tf.setBackend('cpu');
const { train, test } = await loadMnist({ trainLimit: 2000, testLimit: 4 });
const model = tf.sequential({
  name: 'graph_teacher',
  layers: [
    tf.layers.dense({
      inputShape: [784],
      units: 32,
      activation: 'relu',
      name: 'fc1',
      kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
    }),
    tf.layers.dense({
      units: 10,
      name: 'logits',
      kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
    }),
  ],
});
const xs = tf.tensor2d(train.images, [train.count, 784]);
// sparseCategoricalCrossentropy of tfjs wants probabilities: train on softmax(logits).
const probsModel = tf.sequential({ layers: [model, tf.layers.softmax()] });
probsModel.compile({
  optimizer: tf.train.adam(3e-3),
  loss: 'categoricalCrossentropy',
  metrics: ['accuracy'],
});
const ys = tf.oneHot(tf.tensor1d(train.labels, 'int32'), 10);
const history = await probsModel.fit(xs, ys, {
  epochs: 5,
  batchSize: 100,
  shuffle: false,
  verbose: 0,
});
console.log('training accuracy', history.history.acc.at(-1));

const x = tf.tensor2d(test.images, [test.count, 784]);
const expectedLogits = model.predict(x);
for (const softmax of [false, true]) {
  const dir = new URL(softmax ? 'softmax/' : 'logits/', OUT);
  mkdirSync(dir, { recursive: true });
  const { json, bytes } = graphModelJson(model, softmax);
  writeFileSync(new URL('model.json', dir), `${JSON.stringify(json)}\n`);
  writeFileSync(new URL('group1-shard1of1.bin', dir), bytes);
  const { weightsManifest, ...rest } = json;
  const graph = await tf.loadGraphModel(
    tf.io.fromMemory({
      ...rest,
      weightSpecs: weightsManifest[0].weights,
      weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
    }),
  );
  const got = graph.execute(x);
  const want = softmax ? tf.softmax(expectedLogits) : expectedLogits;
  const diff = tf.max(tf.abs(tf.sub(got, want))).dataSync()[0];
  console.log(softmax ? 'softmax' : 'logits', 'max |graph - layers| =', diff);
  if (!(diff <= 1e-5)) throw new Error(`the GraphModel differs from the LayersModel by ${diff}`);
}
writeFileSync(
  new URL('expected.json', OUT),
  `${JSON.stringify({ input: Array.from(test.images), shape: [test.count, 784], logits: expectedLogits.arraySync() })}\n`,
);
