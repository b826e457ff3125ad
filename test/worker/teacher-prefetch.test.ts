import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import {
  Augments,
  ImageClassifier,
  SingleTeacherDistill,
  TeacherPrefetch,
  TeacherWorker,
  labelAssigners,
  mlp,
  selectBackend,
  type ConfigurableDistillerOptions,
} from '../../src/index.js';
import { distillError } from '../helpers/errors.js';
import { fixturesDir, rootDir } from '../helpers/paths.js';
import { workerExecArgv } from '../../src/worker/worker-link.js';

const MIX = { type: 'BatchMixup', alpha: 0.4, numClasses: 10 } as const;

function kdOptions(maxKeepData = 2): ConfigurableDistillerOptions {
  return {
    studentRecorders: {
      logits: { type: 'LayerOutputs', source: 'logits' },
      feat: { type: 'LayerOutputs', source: 'fc1' },
    },
    teacherRecorders: {
      logits: { type: 'LayerOutputs', source: 'logits' },
      feat: { type: 'LayerOutputs', source: 'fc1' },
    },
    distillDeliveries: [
      { type: 'MethodOutputs', maxKeepData, methodPath: { cls: Augments, name: 'call' } },
    ],
    // A lazily built connector: built by the first push, on this thread.
    connectors: { hint: { type: 'DenseConnector', outFeatures: 24, seed: 7 } },
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

function makeAlgo(options: ConfigurableDistillerOptions = kdOptions()): {
  teacher: tf.LayersModel;
  student: tf.LayersModel;
  algo: SingleTeacherDistill;
} {
  const teacher = mlp({ hidden: [24], seed: 1, name: 'teacher' });
  const student = mlp({ hidden: [12], seed: 2, name: 'student' });
  const algo = new SingleTeacherDistill({
    teacher: new ImageClassifier({ model: teacher, augments: new Augments(MIX, { seed: 5 }) }),
    student: new ImageClassifier({
      model: student,
      augments: new Augments(MIX, { seed: 9 }),
      lossWeight: 0.3,
    }),
    distiller: options,
  });
  return { teacher, student, algo };
}

function makeBatches(count: number): [tf.Tensor, tf.Tensor][] {
  return Array.from({ length: count }, (_, i) => [
    tf.randomUniform([8, 784], 0, 1, 'float32', 100 + i),
    tf.tensor1d(
      Array.from({ length: 8 }, (_, j) => (i + j) % 10),
      'int32',
    ),
  ]);
}

/** Trains on `data` one batch ahead, as a training loop would. */
async function pipelined(
  prefetch: TeacherPrefetch,
  optimizer: tf.Optimizer,
  data: readonly [tf.Tensor, tf.Tensor][],
): Promise<number[]> {
  const losses: number[] = [];
  prefetch.push(...data[0]!);
  for (let i = 0; i < data.length; i++) {
    if (i + 1 < data.length) prefetch.push(...data[i + 1]!);
    losses.push((await prefetch.trainStep(optimizer)).loss!);
  }
  return losses;
}

function weightsOf(model: tf.LayersModel): number[][] {
  return model.getWeights().map((w) => Array.from(w.dataSync()));
}

describe('TeacherPrefetch', () => {
  let data: [tf.Tensor, tf.Tensor][];
  before(async () => {
    await selectBackend('cpu');
    data = makeBatches(6);
  });
  after(() => tf.dispose(data.flat()));

  it('gives exactly the losses and weights of trainStep on the same batches', async () => {
    const a = makeAlgo();
    const optA = tf.train.adam(1e-2);
    const sequential = data.map(([x, y]) => a.algo.trainStep(optA, x, y).loss!);

    const b = makeAlgo();
    const optB = tf.train.adam(1e-2);
    const worker = await TeacherWorker.start({
      model: b.teacher,
      recorders: b.algo.distiller.teacherRecorders,
    });
    try {
      assert.equal(worker.backend, 'cpu');
      const losses = await pipelined(new TeacherPrefetch(b.algo, worker), optB, data);
      assert.deepEqual(losses, sequential);
      assert.deepEqual(weightsOf(b.student), weightsOf(a.student));
      assert.deepEqual(
        b.algo.distiller.trainableWeights.map((w) => Array.from(w.dataSync())),
        a.algo.distiller.trainableWeights.map((w) => Array.from(w.dataSync())),
      );
    } finally {
      await worker.close();
      for (const o of [optA, optB]) o.dispose();
    }
  });

  it("runs the teacher's label assigner on the worker's logits, delivered as on one thread", async () => {
    const mixup = {
      type: 'MethodOutputs',
      maxKeepData: 2,
      methodPath: { cls: Augments, name: 'call' },
    } as const;
    const labels = {
      type: 'FunctionOutputs',
      maxKeepData: 2,
      funcPath: { owner: labelAssigners, name: 'confidenceWeighted' },
    } as const;
    const options: ConfigurableDistillerOptions = {
      ...kdOptions(),
      distillDeliveries: [mixup, labels],
    };
    const make = (distiller = options): ReturnType<typeof makeAlgo> => {
      const teacher = mlp({ hidden: [24], seed: 1, name: 'teacher' });
      const student = mlp({ hidden: [12], seed: 2, name: 'student' });
      const algo = new SingleTeacherDistill({
        teacher: new ImageClassifier({
          model: teacher,
          augments: new Augments(MIX, { seed: 5 }),
          labelAssigner: 'confidenceWeighted',
        }),
        student: new ImageClassifier({
          model: student,
          augments: new Augments(MIX, { seed: 9 }),
          labelAssigner: 'confidenceWeighted',
          lossWeight: 0.3,
        }),
        distiller,
      });
      return { teacher, student, algo };
    };
    const a = make();
    const optA = tf.train.adam(1e-2);
    const sequential = data.map(([x, y]) => a.algo.trainStep(optA, x, y).loss!);
    const b = make();
    const optB = tf.train.adam(1e-2);
    const worker = await TeacherWorker.start({
      model: b.teacher,
      recorders: b.algo.distiller.teacherRecorders,
    });
    try {
      const prefetch = new TeacherPrefetch(b.algo, worker);
      const losses = await pipelined(prefetch, optB, data);
      assert.deepEqual(losses, sequential);
      assert.deepEqual(weightsOf(b.student), weightsOf(a.student));
      // Without the delivery the student assigns from its own logits: a different loss.
      const c = make({ ...options, distillDeliveries: [mixup] });
      const optC = tf.train.adam(1e-2);
      const undelivered = data.map(([x, y]) => c.algo.trainStep(optC, x, y).loss!);
      assert.notDeepEqual(undelivered, sequential);
      optC.dispose();
    } finally {
      await worker.close();
      for (const o of [optA, optB]) o.dispose();
    }
  });

  it('leaks no tensor over many steps, nor when cleared with batches in flight', async () => {
    const { teacher, algo } = makeAlgo();
    const optimizer = tf.train.adam(1e-2);
    const worker = await TeacherWorker.start({
      model: teacher,
      recorders: algo.distiller.teacherRecorders,
    });
    try {
      const prefetch = new TeacherPrefetch(algo, worker);
      await pipelined(prefetch, optimizer, data); // builds connectors and optimizer slots
      const start = tf.memory().numTensors;
      for (let round = 0; round < 5; round++) await pipelined(prefetch, optimizer, data);
      assert.equal(tf.memory().numTensors, start);
      prefetch.push(...data[0]!);
      prefetch.push(...data[1]!);
      prefetch.clear();
      assert.equal(prefetch.size, 0);
      // The worker's answers for the dropped batches are disposed when they arrive.
      await worker.forward(data[0]![0]).then(({ output, records }) => {
        output.dispose();
        for (const values of records.values()) tf.dispose(values as tf.Tensor[]);
      });
      assert.equal(tf.memory().numTensors, start);
      const losses = await pipelined(prefetch, optimizer, data.slice(0, 2));
      assert.ok(losses.every(Number.isFinite));
    } finally {
      await worker.close();
      optimizer.dispose();
    }
  });

  it('rejects a step that clear() dropped while it waited, and goes on with later batches', async () => {
    const { teacher, algo } = makeAlgo();
    const worker = await TeacherWorker.start({
      model: teacher,
      recorders: algo.distiller.teacherRecorders,
    });
    const optimizer = tf.train.adam(1e-2);
    try {
      const prefetch = new TeacherPrefetch(algo, worker);
      await pipelined(prefetch, optimizer, data.slice(0, 2)); // builds connectors and slots
      const tensors = tf.memory().numTensors;
      prefetch.push(...data[0]!);
      prefetch.push(...data[1]!);
      const waiting = prefetch.trainStep(optimizer);
      prefetch.clear();
      prefetch.push(...data[2]!);
      await assert.rejects(
        waiting,
        distillError('INVALID_ARGUMENT', /clear\(\) was called while trainStep waited/),
      );
      const losses = await prefetch.trainStep(optimizer); // batch 2, with its own recordings
      assert.ok(Number.isFinite(losses.loss));
      assert.equal(prefetch.size, 0);
      assert.equal(tf.memory().numTensors, tensors);
    } finally {
      await worker.close();
      optimizer.dispose();
    }
  });

  it('refuses a student that does not replay what the teacher recorded', async () => {
    const teacher = mlp({ hidden: [24], seed: 1, name: 'teacher' });
    const algo = new SingleTeacherDistill({
      teacher: new ImageClassifier({ model: teacher, augments: new Augments(MIX, { seed: 5 }) }),
      // No augments: the student never calls Augments.call, so nothing is replayed.
      student: new ImageClassifier({ model: mlp({ hidden: [12], seed: 2, name: 'student' }) }),
      distiller: kdOptions(),
    });
    const worker = await TeacherWorker.start({
      model: teacher,
      recorders: algo.distiller.teacherRecorders,
    });
    const optimizer = tf.train.adam(1e-2);
    try {
      const prefetch = new TeacherPrefetch(algo, worker);
      await assert.rejects(
        pipelined(prefetch, optimizer, data.slice(0, 2)),
        distillError(
          'INVALID_CONFIG',
          /student did not replay the delivery of method Augments\.prototype\.call/,
        ),
      );
      assert.equal(prefetch.size, 0);
      for (const d of algo.distiller.deliveries.deliveries.values()) assert.equal(d.size, 0);
    } finally {
      await worker.close();
      optimizer.dispose();
    }
  });

  it('refuses what cannot run ahead in a worker, naming it', async () => {
    const { teacher, algo } = makeAlgo(kdOptions(1));
    const worker = await TeacherWorker.start({
      model: teacher,
      recorders: algo.distiller.teacherRecorders,
    });
    try {
      assert.throws(
        () => new TeacherPrefetch(algo, worker),
        distillError(
          'INVALID_CONFIG',
          /Augments\.prototype\.call keeps 1 recording.*maxKeepData to 2 or more/,
        ),
      );
      const trainable = new SingleTeacherDistill({
        teacher,
        student: mlp({ hidden: [12], seed: 2 }),
        distiller: kdOptions(),
        teacherTrainable: true,
      });
      assert.throws(
        () => new TeacherPrefetch(trainable, worker),
        distillError('INVALID_CONFIG', /teacherTrainable is true/),
      );
      const fewer = makeAlgo({
        ...kdOptions(),
        teacherRecorders: { logits: { type: 'LayerOutputs', source: 'logits' } },
        lossForwardMappings: { kd: kdOptions().lossForwardMappings!.kd! },
        distillLosses: { kd: { type: 'KLDivergence', tau: 4 } },
        connectors: {},
      });
      assert.throws(
        () => new TeacherPrefetch(fewer.algo, worker),
        distillError(
          'INVALID_CONFIG',
          /worker runs the teacher recorders \[feat, logits\], but the distiller has \[logits\]/,
        ),
      );
      assert.throws(
        () => new TeacherPrefetch({} as SingleTeacherDistill, worker),
        distillError('INVALID_ARGUMENT', /expects a SingleTeacherDistill/),
      );
    } finally {
      await worker.close();
    }
  });

  it('refuses a delivery that the teacher augments do not call, and an empty or overlapping step', async () => {
    class Sampler {
      draw(): number {
        return Math.random();
      }
    }
    const { teacher, algo } = makeAlgo({
      ...kdOptions(),
      distillDeliveries: [
        { type: 'MethodOutputs', maxKeepData: 2, methodPath: { cls: Augments, name: 'call' } },
        { type: 'MethodOutputs', maxKeepData: 2, methodPath: { cls: Sampler, name: 'draw' } },
      ],
    });
    const worker = await TeacherWorker.start({
      model: teacher,
      recorders: algo.distiller.teacherRecorders,
    });
    const optimizer = tf.train.sgd(0.1);
    try {
      const prefetch = new TeacherPrefetch(algo, worker);
      await assert.rejects(
        prefetch.trainStep(optimizer),
        distillError('QUEUE_EMPTY', /push\(x, y\)/),
      );
      assert.throws(
        () => prefetch.push(...data[0]!),
        distillError(
          'INVALID_CONFIG',
          /Sampler\.prototype\.draw recorded 0 calls while the teacher's augments ran/,
        ),
      );
      assert.equal(prefetch.size, 0);
      for (const d of algo.distiller.deliveries.deliveries.values()) assert.equal(d.size, 0);
      assert.throws(
        () => prefetch.push('x' as unknown as tf.Tensor, data[0]![1]),
        distillError('INVALID_ARGUMENT', /expects x to be a tensor, but got "x"/),
      );
    } finally {
      await worker.close();
      optimizer.dispose();
    }

    const ok = makeAlgo();
    const worker2 = await TeacherWorker.start({
      model: ok.teacher,
      recorders: ok.algo.distiller.teacherRecorders,
    });
    const opt2 = tf.train.sgd(0.1);
    try {
      const prefetch = new TeacherPrefetch(ok.algo, worker2);
      prefetch.push(...data[0]!);
      prefetch.push(...data[1]!);
      const first = prefetch.trainStep(opt2);
      await assert.rejects(
        prefetch.trainStep(opt2),
        distillError('INVALID_ARGUMENT', /await each step/),
      );
      await first;
      await prefetch.trainStep(opt2);
    } finally {
      await worker2.close();
      opt2.dispose();
    }
  });
});

describe('TeacherWorker', () => {
  before(() => selectBackend('cpu'));

  it('reports a failing forward pass and stays usable; rejects after close', async () => {
    const teacher = mlp({ hidden: [8], seed: 1 });
    const worker = await TeacherWorker.start({
      model: teacher,
      recorders: { logits: { type: 'LayerOutputs', source: 'logits' } },
    });
    const wrong = tf.zeros([2, 100]);
    const right = tf.zeros([2, 784]);
    try {
      await assert.rejects(
        worker.forward(wrong),
        distillError('WORKER_FAILED', /forward pass failed in its worker: .*784/),
      );
      const { output, records } = await worker.forward(right);
      const [logits] = records.get('logits') as tf.Tensor[];
      assert.deepEqual(logits!.shape, [2, 10]);
      const expected = teacher.predict(right) as tf.Tensor;
      assert.deepEqual(Array.from(logits!.dataSync()), Array.from(expected.dataSync()));
      assert.deepEqual(Array.from(output.dataSync()), Array.from(expected.dataSync()));
      tf.dispose([logits!, output, expected]);
    } finally {
      await worker.close();
      tf.dispose([wrong, right]);
    }
    await assert.rejects(worker.forward(right), distillError('WORKER_FAILED', /closed/));
    await worker.close(); // twice is fine
  });

  it('refuses recorders that cannot follow the teacher, and non-models', async () => {
    const teacher = mlp({ hidden: [8], seed: 1 });
    await assert.rejects(
      TeacherWorker.start({
        model: teacher,
        recorders: { aug: { type: 'MethodOutputs', source: { cls: Augments, name: 'call' } } },
      }),
      distillError(
        'INVALID_CONFIG',
        /Teacher recorder "aug" .*Augments.*cannot run in a worker thread/,
      ),
    );
    await assert.rejects(
      TeacherWorker.start({ model: {} as tf.LayersModel, recorders: {} }),
      distillError('INVALID_ARGUMENT', /expects options\.model to be a tfjs LayersModel, but got/),
    );
  });

  it('loads a teacher with a custom layer once setupModules registers it', async () => {
    const setup = pathToFileURL(path.join(fixturesDir, 'worker-setup', 'scale-layer.mjs')).href;
    const { Scale } = (await import(setup)) as {
      Scale: new (config: { factor: number; name: string }) => tf.layers.Layer;
    };
    const teacher = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [784], units: 10, name: 'logits_raw' }),
        new Scale({ factor: 2, name: 'scaled' }),
      ],
    });
    const recorders = { out: { type: 'LayerOutputs', source: 'scaled' } } as const;
    await assert.rejects(
      TeacherWorker.start({ model: teacher, recorders }),
      distillError('WORKER_FAILED', /could not start: .*TestScale.*custom layer.*setupModules/s),
    );
    const worker = await TeacherWorker.start({ model: teacher, recorders, setupModules: [setup] });
    const x = tf.ones([1, 784]);
    try {
      const { output, records } = await worker.forward(x);
      output.dispose();
      const [out] = records.get('out') as tf.Tensor[];
      const expected = teacher.predict(x) as tf.Tensor;
      assert.deepEqual(Array.from(out!.dataSync()), Array.from(expected.dataSync()));
      tf.dispose([out!, expected]);
    } finally {
      await worker.close();
      x.dispose();
      teacher.dispose();
    }
  });

  it('does not keep the process alive while idle, nor repeat tfjs hints', () => {
    const entry = pathToFileURL(path.join(rootDir, 'build', 'src', 'index.js')).href;
    const script = `
      const tf = await import('@tensorflow/tfjs');
      const { TeacherWorker, mlp, selectBackend } = await import(${JSON.stringify(entry)});
      await selectBackend('cpu');
      const w = await TeacherWorker.start({ model: mlp({ hidden: [4] }), recorders: {} });
      const { output } = await w.forward(tf.zeros([1, 784]));
      console.log('started on ' + w.backend + ', output ' + output.shape.join('x'));
    `;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(result.signal, null, 'the process did not exit by itself');
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /started on cpu, output 1x10/);
    // tfjs's hint to install tfjs-node comes once, from this thread, not again from the worker.
    assert.equal(result.stderr.split('Hi, looks like you are running TensorFlow.js').length - 1, 1);
  });

  it('fails the step in flight and every later one when its thread dies, leaking nothing', async () => {
    const setup = pathToFileURL(
      path.join(fixturesDir, 'worker-setup', 'exit-on-third-forward.mjs'),
    ).href;
    const { teacher, algo } = makeAlgo();
    const worker = await TeacherWorker.start({
      model: teacher,
      recorders: algo.distiller.teacherRecorders,
      setupModules: [setup],
    });
    const optimizer = tf.train.adam(1e-2);
    const data = makeBatches(4);
    try {
      const prefetch = new TeacherPrefetch(algo, worker);
      prefetch.push(...data[0]!);
      prefetch.push(...data[1]!);
      await prefetch.trainStep(optimizer); // builds the optimizer's slots
      await prefetch.trainStep(optimizer);
      const tensors = tf.memory().numTensors; // nothing pending
      prefetch.push(...data[2]!); // the third request: the thread exits
      prefetch.push(...data[3]!);
      await assert.rejects(
        prefetch.trainStep(optimizer),
        distillError('WORKER_FAILED', /teacher worker stopped: the worker exited with code 7/),
      );
      assert.equal(prefetch.size, 0);
      for (const d of algo.distiller.deliveries.deliveries.values()) assert.equal(d.size, 0);
      assert.equal(tf.memory().numTensors, tensors);
      prefetch.push(...data[0]!);
      await assert.rejects(prefetch.trainStep(optimizer), distillError('WORKER_FAILED', /code 7/));
      assert.equal(tf.memory().numTensors, tensors);
    } finally {
      await worker.close();
      optimizer.dispose();
      tf.dispose(data.flat());
    }
  });

  it('starts under V8 and process-wide flags, and close() with a request in flight lets the caller go on', () => {
    const entry = pathToFileURL(path.join(rootDir, 'build', 'src', 'index.js')).href;
    const script = `
      const tf = await import('@tensorflow/tfjs');
      const { TeacherWorker, mlp, selectBackend } = await import(${JSON.stringify(entry)});
      await selectBackend('cpu');
      const w = await TeacherWorker.start({ model: mlp({ hidden: [64] }), recorders: {} });
      const inFlight = w.forward(tf.zeros([256, 784])).then(() => 'resolved', (e) => e.code);
      await w.close();
      console.log('after close: ' + (await inFlight));
    `;
    const result = spawnSync(
      process.execPath,
      ['--max-old-space-size=4096', '--expose-gc', '--input-type=module', '-e', script],
      { encoding: 'utf8', timeout: 60_000 },
    );
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /after close: WORKER_FAILED/);
  });
});

describe('workerExecArgv', () => {
  it('keeps the flags that shape module loading and drops those a worker refuses', () => {
    assert.deepEqual(
      workerExecArgv([
        '--max-old-space-size=4096',
        '--import',
        'tsx',
        '--expose-gc',
        '--conditions=development',
        '--input-type=module',
        '--experimental-vm-modules',
        '--stack-size=2000',
        '-r',
        './setup.cjs',
        '--enable-source-maps',
      ]),
      [
        '--import',
        'tsx',
        '--conditions=development',
        '--experimental-vm-modules',
        '-r',
        './setup.cjs',
        '--enable-source-maps',
      ],
    );
  });
});
