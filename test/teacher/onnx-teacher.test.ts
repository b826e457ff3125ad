import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import {
  ImageClassifier,
  SingleTeacherDistill,
  TeacherPrefetch,
  mlp,
  selectBackend,
  type ConfigurableDistillerOptions,
} from '../../src/index.js';
import { onnxRemoteTeacher } from '../../src/teacher/onnx-remote.js';
import { loadOnnxRuntime } from '../../src/teacher/onnx-runtime.js';
import { OnnxTeacher } from '../../src/teacher/onnx-teacher.js';
import { detectOutputKind } from '../../src/teacher/output-kind.js';
import { tapModel } from '../../src/teacher/tap-model.js';
import { distillError } from '../helpers/errors.js';
import { fixturesDir } from '../helpers/paths.js';
import { assertTensorClose, expectNoLeaks } from '../helpers/tensors.js';

const dir = path.join(fixturesDir, 'onnx-teacher');
const CNN = path.join(dir, 'cnn.onnx');
const expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as {
  shape: [number, number, number, number];
  pixels: number[];
  logits: number[][];
  features: number[][];
  probs: number[][];
};

describe('OnnxTeacher', () => {
  let teacher: OnnxTeacher;
  let x: tf.Tensor;
  before(async () => {
    await selectBackend('cpu');
    teacher = await OnnxTeacher.load(CNN, { nodes: ['features'], intraOpNumThreads: 1 });
    x = tf.tidy(() => tf.tensor(expected.pixels, expected.shape).div(255));
  });
  after(async () => {
    x.dispose();
    await teacher.close();
  });

  it('load reads the NCHW input as NHWC examples, the classes and the output kind', () => {
    assert.deepEqual(teacher.inputShape, [28, 28, 1]);
    assert.equal(teacher.layout, 'NCHW');
    assert.equal(teacher.numClasses, 10);
    assert.deepEqual(teacher.nodeShapes, { features: [32] });
    assert.equal(teacher.outputKind.kind, 'logits');
    assert.match(teacher.outputKind.reason, /Gemm/);
  });

  it("forward matches PyTorch's logits and features for NHWC and flat batches, leaking nothing", async () => {
    const wantLogits = tf.tensor(expected.logits);
    const wantFeatures = tf.tensor(expected.features);
    await expectNoLeaks(async () => {
      for (const batch of [x, x.reshape([4, 784])]) {
        const { logits, nodes } = await teacher.forward(batch);
        assertTensorClose(logits, wantLogits, 1e-4);
        assertTensorClose(nodes.features!, wantFeatures, 1e-4);
        tf.dispose([logits, ...Object.values(nodes)]);
        if (batch !== x) batch.dispose();
      }
      const predicted = await teacher.predict(x);
      assertTensorClose(predicted, wantLogits, 1e-4);
      predicted.dispose();
    });
    tf.dispose([wantLogits, wantFeatures]);
  });

  it('transposes NHWC batches to NCHW: a transposed image gives other logits', async () => {
    // Only the transposition makes the layouts agree; feeding the image transposed
    // (H and W swapped) must change the answer, or the test could not tell.
    const swapped = tf.tidy(() => x.transpose([0, 2, 1, 3]));
    const a = await teacher.predict(x);
    const b = await teacher.predict(swapped);
    assert.ok(tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!) > 1e-2);
    tf.dispose([swapped, a, b]);
  });

  it('refuses a batch of the wrong shape, an unknown output and an unknown file', async () => {
    const bad = tf.zeros([2, 27, 28, 1]);
    await assert.rejects(
      teacher.forward(bad),
      distillError('SHAPE_MISMATCH', /\[N, 28, 28, 1\]/, /27/),
    );
    bad.dispose();
    await assert.rejects(
      OnnxTeacher.load(CNN, { nodes: ['fc1'] }),
      distillError('MEMBER_NOT_FOUND', /"fc1"/, /logits, features/, /extra output/),
    );
    await assert.rejects(
      OnnxTeacher.load(path.join(dir, 'none.onnx')),
      distillError('FILE_NOT_FOUND', /none\.onnx/),
    );
  });

  it('says how to install onnxruntime-node when it is missing', async () => {
    const missing = Object.assign(new Error("Cannot find package 'onnxruntime-node'"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    const importer = (): Promise<unknown> => Promise.reject(missing);
    const check = distillError(
      'MODULE_NOT_FOUND',
      /npm install onnxruntime-node --onnxruntime-node-install=skip/,
      /not installed/,
    );
    await assert.rejects(loadOnnxRuntime(importer), check);
    await assert.rejects(OnnxTeacher.load(CNN, { importer }), check);
  });

  it('tells a Softmax output from the graph and returns log-probabilities for it', async () => {
    const probs = await OnnxTeacher.load(path.join(dir, 'cnn-softmax.onnx'));
    try {
      assert.equal(probs.outputKind.kind, 'probabilities');
      assert.match(probs.outputKind.reason, /Softmax/);
      const logits = await probs.predict(x);
      assertTensorClose(
        logits,
        tf.tidy(() => tf.log(tf.tensor(expected.probs))),
        1e-3,
      );
      const tempered = tf.tidy(() => tf.softmax(logits.div(4)));
      assertTensorClose(
        tempered,
        tf.tidy(() => tf.softmax(tf.tensor(expected.logits).div(4))),
        1e-4,
      );
      tf.dispose([logits, tempered]);
      const shell = probs.shell();
      assert.equal(detectOutputKind(shell).kind, 'logits');
      shell.dispose();
    } finally {
      await probs.close();
    }
  });

  it('shell() gives a stand-in that recorders bind to and that refuses synchronous calls', () => {
    const shell = teacher.shell({ inputShape: [784] });
    assert.deepEqual(shell.outputs[0]!.shape, [null, 10]);
    assert.equal(shell.trainableWeights.length, 0);
    assert.ok(Array.isArray((shell.getLayer('logits') as unknown as { layers?: unknown }).layers));
    const input = tf.zeros([2, 784]);
    assert.throws(
      () => shell.predict(input),
      distillError('INVALID_CONFIG', /asynchronously/, /TeacherPrefetch/),
    );
    const zeros = teacher.probeShapes(() => shell.predict(input) as tf.Tensor);
    assert.deepEqual(zeros.shape, [2, 10]);
    tf.dispose([input, zeros]);
    shell.dispose();
  });
});

function kdOptions(): ConfigurableDistillerOptions {
  return {
    studentRecorders: {
      logits: { type: 'LayerOutputs', source: 'logits' },
      feat: { type: 'LayerOutputs', source: 'fc1' },
    },
    teacherRecorders: {
      logits: { type: 'LayerOutputs', source: 'logits' },
      feat: { type: 'LayerOutputs', source: 'features' },
    },
    connectors: { hint: { type: 'DenseConnector', outFeatures: 32, seed: 7 } },
    distillLosses: {
      kd: { type: 'KLDivergence', tau: 4, lossWeight: 0.7 },
      hint: { type: 'L2Loss', normalize: true, lossWeight: 0.5 },
    },
    lossForwardMappings: {
      kd: {
        predsS: { recorder: 'logits', fromStudent: true },
        predsT: { recorder: 'logits', fromStudent: false },
      },
      hint: {
        sFeature: { recorder: 'feat', fromStudent: true, connector: 'hint' },
        tFeature: { recorder: 'feat', fromStudent: false },
      },
    },
  };
}

describe('onnxRemoteTeacher', () => {
  let teacher: OnnxTeacher;
  let data: [tf.Tensor, tf.Tensor][];
  before(async () => {
    await selectBackend('cpu');
    teacher = await OnnxTeacher.load(CNN, { nodes: ['features'] });
    data = Array.from({ length: 4 }, (_, i) => [
      tf.randomUniform([8, 784], 0, 1, 'float32', 200 + i),
      tf.tensor1d(
        Array.from({ length: 8 }, (_, j) => (i * 3 + j) % 10),
        'int32',
      ),
    ]);
  });
  after(async () => {
    tf.dispose(data.flat());
    await teacher.close();
  });

  it('trains through TeacherPrefetch with the losses of trainStep on a teacher computing the same values', async () => {
    // The synchronous reference: a teacher model answering with the ONNX teacher's own outputs.
    const answers = new Map<string, { logits: tf.Tensor; features: tf.Tensor }>();
    const key = (t: tf.Tensor): string => Array.from(t.dataSync().slice(0, 6)).join(',');
    for (const [x] of data) {
      const { logits, nodes } = await teacher.forward(x);
      answers.set(key(x), { logits, features: nodes.features! });
    }
    const reference = tapModel({
      name: 'reference',
      inputShape: [784],
      numClasses: 10,
      nodes: ['features'],
      run: (x) => {
        const a = answers.get(key(x))!;
        return { logits: a.logits.clone(), nodes: { features: a.features.clone() } };
      },
    });
    const make = (model: tf.LayersModel): SingleTeacherDistill =>
      new SingleTeacherDistill({
        teacher: new ImageClassifier({ model }),
        student: new ImageClassifier({
          model: mlp({ hidden: [12], seed: 2, name: 'student' }),
          lossWeight: 0.3,
        }),
        distiller: kdOptions(),
      });
    const a = make(reference);
    const optA = tf.train.adam(1e-2);
    const sequential = data.map(([x, y]) => a.trainStep(optA, x, y).loss!);

    const shell = teacher.shell({ inputShape: [784] });
    const b = make(shell);
    const optB = tf.train.adam(1e-2);
    const remote = onnxRemoteTeacher(teacher, b.distiller.teacherRecorders);
    assert.deepEqual([...remote.recorderNames].sort(), ['feat', 'logits']);
    const prefetch = new TeacherPrefetch(b, remote);
    const before = tf.memory().numTensors;
    const losses: number[] = [];
    prefetch.push(...data[0]!);
    for (let i = 0; i < data.length; i++) {
      if (i + 1 < data.length) prefetch.push(...data[i + 1]!);
      losses.push((await prefetch.trainStep(optB)).loss!);
    }
    assert.equal(remote.inFlight, 0);
    // The connector and the optimizer's slots are the only new tensors.
    const added = tf.memory().numTensors - before;
    assert.ok(added <= b.trainableWeights.length * 3, `added ${added} tensors`);
    losses.forEach((l, i) =>
      assert.ok(Math.abs(l - sequential[i]!) < 1e-4, `step ${i}: ${l} vs ${sequential[i]}`),
    );
    for (const o of [optA, optB]) o.dispose();
    for (const algo of [a, b]) {
      algo.distiller.dispose();
      algo.student.model.dispose();
    }
    reference.dispose();
    shell.dispose();
    for (const v of answers.values()) tf.dispose([v.logits, v.features]);
  });

  it('refuses a teacher recorder the ONNX outputs cannot serve', () => {
    const shell = teacher.shell({ inputShape: [784] });
    const options = kdOptions();
    const algo = new SingleTeacherDistill({
      teacher: shell,
      student: mlp({ hidden: [12], seed: 2, name: 'student' }),
      distiller: {
        ...options,
        teacherRecorders: {
          ...options.teacherRecorders,
          feat: { type: 'LayerInputs', source: 'features' },
        },
      },
    });
    assert.throws(
      () => onnxRemoteTeacher(teacher, algo.distiller.teacherRecorders),
      distillError('INVALID_CONFIG', /"feat"/, /LayerOutputs/),
    );
    algo.distiller.dispose();
    algo.student.model.dispose();
    shell.dispose();
  });
});
