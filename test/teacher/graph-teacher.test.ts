import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, cp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ImageClassifier, LayerOutputsRecorder, selectBackend } from '../../src/index.js';
import { loadGraphTeacher } from '../../src/teacher/graph-loader.js';
import { graphModelAsLayers, graphNodeNames } from '../../src/teacher/graph-teacher.js';
import { asLogits, detectOutputKind } from '../../src/teacher/output-kind.js';
import { distillError } from '../helpers/errors.js';
import { fixturesDir } from '../helpers/paths.js';
import { assertTensorClose, expectNoLeaks } from '../helpers/tensors.js';

const dir = path.join(fixturesDir, 'graph-teacher');
const RELU = 'StatefulPartitionedCall/sequential/fc1/Relu';
const expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as {
  input: number[];
  shape: [number, number];
  logits: number[][];
};

describe('graphModelAsLayers', () => {
  let graph: tf.GraphModel;
  let softmaxGraph: tf.GraphModel;
  let x: tf.Tensor;
  let wantLogits: tf.Tensor;
  before(async () => {
    await selectBackend('cpu');
    graph = await loadGraphTeacher(path.join(dir, 'logits'));
    softmaxGraph = await loadGraphTeacher(path.join(dir, 'softmax', 'model.json'));
    x = tf.tensor(expected.input, expected.shape);
    wantLogits = tf.tensor(expected.logits);
  });
  after(() => {
    graph.dispose();
    softmaxGraph.dispose();
    tf.dispose([x, wantLogits]);
  });

  it('loadGraphTeacher loads the fixture, whose output equals the LayersModel it was made from', () => {
    const out = graph.execute(x) as tf.Tensor;
    assertTensorClose(out, wantLogits, 1e-5);
    out.dispose();
  });

  it('gives a frozen LayersModel with [N, K] logits that ImageClassifier runs', async () => {
    const model = graphModelAsLayers(graph);
    await expectNoLeaks(() => {
      assert.deepEqual(model.inputs[0]!.shape, [null, 784]);
      assert.deepEqual(model.outputs[0]!.shape, [null, 10]);
      assert.equal(model.trainableWeights.length, 0);
      const classifier = new ImageClassifier({ model });
      assert.equal(classifier.numClasses, 10);
      const logits = classifier.predict(x);
      assertTensorClose(logits, wantLogits, 1e-5);
      const predicted = model.predict(x) as tf.Tensor;
      assertTensorClose(predicted, wantLogits, 1e-5);
      tf.dispose([logits, predicted]);
      const labels = tf.tensor1d([7, 2, 1, 0], 'int32');
      const { loss, logits: l2 } = classifier.loss(x, labels);
      assert.ok(Number.isFinite(loss.dataSync()[0]));
      tf.dispose([loss, l2, labels]);
    });
    model.dispose();
    // The graph is the caller's: still usable.
    tf.dispose(graph.execute(x));
  });

  it('lets a LayerOutputsRecorder record a node by its GraphModel name, inside a tidy', async () => {
    const model = graphModelAsLayers(graph, { nodes: [RELU, `${RELU}:0`] });
    const rec = new LayerOutputsRecorder({ source: RELU }).initialize(model);
    const rec0 = new LayerOutputsRecorder({ source: `${RELU}:0` }).initialize(model);
    const logitsRec = new LayerOutputsRecorder({ source: 'logits' }).initialize(model);
    await expectNoLeaks(() => {
      tf.tidy(() => {
        rec.run(() => rec0.run(() => logitsRec.run(() => model.apply(x))));
      });
      const want = graph.execute(x, RELU) as tf.Tensor;
      assertTensorClose(rec.getRecordData<tf.Tensor>(), want, 1e-6);
      assertTensorClose(rec0.getRecordData<tf.Tensor>(), want, 1e-6);
      assertTensorClose(logitsRec.getRecordData<tf.Tensor>(), wantLogits, 1e-5);
      assert.equal(rec.dataBuffer.length, 1);
      want.dispose();
      for (const r of [rec, rec0, logitsRec]) r.reset();
    });
    model.dispose();
  });

  it('refuses an unknown node, naming some of the nodes the graph has', () => {
    assert.throws(
      () => graphModelAsLayers(graph, { nodes: ['StatefulPartitionedCall/sequential/fc9/Relu'] }),
      distillError(
        'MEMBER_NOT_FOUND',
        /fc9\/Relu/,
        /nodes\[0\]/,
        /serving_default_input/,
        /graphNodeNames/,
      ),
    );
    assert.ok(graphNodeNames(graph).some((n) => n.name === RELU && n.op === 'Relu'));
    assert.ok(!graphNodeNames(graph).some((n) => n.op === 'Const'));
  });

  it('disposes the graph with the model only when disposeGraph is set', () => {
    return (async () => {
      const own = await loadGraphTeacher(path.join(dir, 'logits'));
      const before = tf.memory().numTensors;
      const model = graphModelAsLayers(own, { disposeGraph: true });
      model.dispose();
      assert.equal(tf.memory().numTensors, before - 4);
    })();
  });

  it('detectOutputKind tells the logits graph from the softmax graph, structurally', () => {
    assert.equal(detectOutputKind(graph).kind, 'logits');
    const kind = detectOutputKind(softmaxGraph);
    assert.equal(kind.kind, 'probabilities');
    assert.match(kind.reason, /Softmax/);
    const wrapped = graphModelAsLayers(softmaxGraph);
    assert.equal(detectOutputKind(wrapped).kind, 'probabilities');
    const asLog = asLogits(wrapped);
    assert.equal(detectOutputKind(asLog).kind, 'logits');
    asLog.dispose();
  });

  it('asLogits of the softmax graph gives the distribution of the logits graph at any temperature', async () => {
    const probs = asLogits(graphModelAsLayers(softmaxGraph));
    await expectNoLeaks(() => {
      for (const tau of [1, 4]) {
        tf.tidy(() => {
          const got = tf.softmax(tf.div(probs.apply(x) as tf.Tensor, tau));
          const want = tf.softmax(tf.div(tf.tensor(expected.logits), tau));
          assertTensorClose(got, want, 1e-5);
        });
      }
    });
    probs.dispose();
  });

  it('asLogits with the usual 1e-7 floor would distort this confident teacher at temperature 4', () => {
    const probs = asLogits(graphModelAsLayers(softmaxGraph), { minProbability: 1e-7 });
    const gap = tf.tidy(() => {
      const got = tf.softmax(tf.div(probs.apply(x) as tf.Tensor, 4));
      const want = tf.softmax(tf.div(wantLogits, 4));
      return tf.max(tf.abs(tf.sub(got, want))).dataSync()[0]!;
    });
    assert.ok(gap > 1e-3, `gap ${gap}`);
    probs.dispose();
  });
});

describe('loadGraphTeacher', () => {
  it('names a missing model.json and a missing weight shard', async () => {
    const tmp = await mkdtemp(path.join(tmpdir(), 'graph-teacher-'));
    try {
      await assert.rejects(
        loadGraphTeacher(path.join(tmp, 'nope')),
        distillError('FILE_NOT_FOUND', /nope/),
      );
      await cp(path.join(dir, 'logits', 'model.json'), path.join(tmp, 'model.json'));
      await assert.rejects(
        loadGraphTeacher(tmp),
        distillError('FILE_NOT_FOUND', /group1-shard1of1\.bin/, /model\.json lists it/),
      );
      await writeFile(path.join(tmp, 'group1-shard1of1.bin'), new Uint8Array(12));
      await assert.rejects(loadGraphTeacher(tmp), distillError('DATA_CORRUPT', /12 bytes/));
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });
});
