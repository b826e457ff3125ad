/**
 * What SingleTeacherDistill costs over a hand-written tfjs step that does the same work:
 * Hinton KD with logit recorders, KLDivergence and a mixup delivery, on the MNIST MLPs, with
 * the wasm backend. Also: KD throughput against its limit (a student step plus a teacher
 * forward, timed separately); the same steps with the teacher one batch ahead in a worker
 * thread (TeacherPrefetch), which can beat that limit on a machine with a spare core; and
 * tensor and heap drift over many steps.
 * Every figure is a median or a ratio measured in this run.
 */
import * as tf from '@tensorflow/tfjs';
import {
  Augments,
  ImageClassifier,
  KLDivergence,
  SingleTeacherDistill,
  TeacherPrefetch,
  TeacherWorker,
  mlp,
  selectBackend,
  type ConfigurableDistillerOptions,
} from 'tfjs-distill';
import { report, type Row } from './harness.js';

const BATCH = 128;
const STEPS = Number(process.env.BENCH_STEPS ?? 40);
const TAU = 8;
const ALPHA = 0.7;
const MIX = { type: 'BatchMixup', alpha: 0.4, numClasses: 10 } as const;

await selectBackend('wasm');

const teacher = mlp({ hidden: [800, 800], seed: 1, name: 'bench_teacher' });
const studentA = mlp({ hidden: [300, 300], seed: 2, name: 'bench_student_a' });
const studentB = mlp({ hidden: [300, 300], seed: 2, name: 'bench_student_b' });

const distiller: ConfigurableDistillerOptions = {
  studentRecorders: { logits: { type: 'LayerOutputs', source: 'logits' } },
  teacherRecorders: { logits: { type: 'LayerOutputs', source: 'logits' } },
  distillDeliveries: [{ type: 'MethodOutputs', methodPath: { cls: Augments, name: 'call' } }],
  distillLosses: { loss_kd: { type: 'KLDivergence', tau: TAU, lossWeight: ALPHA } },
  lossForwardMappings: {
    loss_kd: {
      predsS: { recorder: 'logits', fromStudent: true },
      predsT: { recorder: 'logits', fromStudent: false },
    },
  },
};
const algo = new SingleTeacherDistill({
  teacher: new ImageClassifier({ model: teacher, augments: new Augments(MIX, { seed: 5 }) }),
  student: new ImageClassifier({
    model: studentA,
    augments: new Augments(MIX, { seed: 9 }),
    lossWeight: 1 - ALPHA,
  }),
  distiller,
});

// The hand-written step: the same mixed batch for both models, the same two losses.
const handMix = new Augments(MIX, { seed: 5 });
const kl = new KLDivergence({ tau: TAU, lossWeight: ALPHA });
const studentBWeights = studentB.trainableWeights.map((w) => w.read() as tf.Variable);
function handStep(optimizer: tf.Optimizer, x: tf.Tensor, y: tf.Tensor): number {
  const [xm, ym] = handMix.call(x, y);
  const teacherLogits = tf.tidy(() => teacher.apply(xm, { training: false }) as tf.Tensor);
  const cost = optimizer.minimize(
    () => {
      const logits = studentB.apply(xm, { training: true }) as tf.Tensor;
      const ce = tf.losses.softmaxCrossEntropy(ym, logits).mul(1 - ALPHA);
      return ce.add<tf.Scalar>(kl.forward({ predsS: logits, predsT: teacherLogits }));
    },
    true,
    studentBWeights,
  )!;
  const value = cost.dataSync()[0]!;
  tf.dispose([xm, ym, teacherLogits, cost]);
  return value;
}

const x = tf.randomUniform([BATCH, 784], 0, 1, 'float32', 3);
const y = tf.tensor1d(
  Array.from({ length: BATCH }, (_, i) => i % 10),
  'int32',
);
const optA = tf.train.adam(1e-3);
const optB = tf.train.adam(1e-3);

// Same work: the first steps' losses agree.
const kdLoss = algo.trainStep(optA, x, y).loss!;
const handLoss = handStep(optB, x, y);
const lossGap = Math.abs(kdLoss - handLoss);

function time(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// Alternate the two so that machine noise hits both alike.
const kdTimes: number[] = [];
const handTimes: number[] = [];
for (let i = 0; i < STEPS; i++) {
  kdTimes.push(time(() => algo.trainStep(optA, x, y)));
  handTimes.push(time(() => handStep(optB, x, y)));
}

// The limit: a plain student step plus a teacher forward pass, timed separately.
const plainStudent = new ImageClassifier({ model: studentB });
const studentOnly: number[] = [];
const teacherOnly: number[] = [];
for (let i = 0; i < STEPS; i++) {
  studentOnly.push(
    time(() => {
      const cost = optB.minimize(() => plainStudent.loss(x, y).loss, true, studentBWeights)!;
      cost.dataSync();
      cost.dispose();
    }),
  );
  teacherOnly.push(
    time(() => tf.tidy(() => (teacher.apply(x, { training: false }) as tf.Tensor).dataSync())),
  );
}

// The mixup augment alone, which the KD step runs and the limit does not.
const mixOnly: number[] = [];
for (let i = 0; i < STEPS; i++) mixOnly.push(time(() => tf.dispose(handMix.call(x, y))));

// Drift over many steps.
const driftSteps = Number(process.env.BENCH_DRIFT_STEPS ?? 500);
const tensorsBefore = tf.memory().numTensors;
const heapBefore = process.memoryUsage().heapUsed;
for (let i = 0; i < driftSteps; i++) algo.trainStep(optA, x, y);
const tensorDrift = tf.memory().numTensors - tensorsBefore;
const heapDriftMiB = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;

// The same KD steps with the teacher one batch ahead in a worker thread. Its own student and
// augments, seeded like the first ones, so its first loss must equal the first KD step's.
const studentC = mlp({ hidden: [300, 300], seed: 2, name: 'bench_student_c' });
const prefetchAlgo = new SingleTeacherDistill({
  teacher: new ImageClassifier({ model: teacher, augments: new Augments(MIX, { seed: 5 }) }),
  student: new ImageClassifier({
    model: studentC,
    augments: new Augments(MIX, { seed: 9 }),
    lossWeight: 1 - ALPHA,
  }),
  distiller: {
    ...distiller,
    distillDeliveries: [
      { type: 'MethodOutputs', maxKeepData: 2, methodPath: { cls: Augments, name: 'call' } },
    ],
  },
});
const worker = await TeacherWorker.start({
  model: teacher,
  recorders: prefetchAlgo.distiller.teacherRecorders,
});
const prefetch = new TeacherPrefetch(prefetchAlgo, worker);
const optC = tf.train.adam(1e-3);
prefetch.push(x, y);
prefetch.push(x, y);
const prefetchLoss = (await prefetch.trainStep(optC)).loss!;
async function prefetchStep(): Promise<void> {
  prefetch.push(x, y); // the next batch's teacher starts in the worker
  await prefetch.trainStep(optC); // the student trains on the current one meanwhile
}
for (let i = 0; i < 3; i++) await prefetchStep();
// Alternate blocks of each, so machine noise hits both alike.
const prefetchTimes: number[] = [];
const kdTimes2: number[] = [];
for (let block = 0; block < Math.ceil(STEPS / 5); block++) {
  for (let i = 0; i < 5; i++) kdTimes2.push(time(() => algo.trainStep(optA, x, y)));
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    await prefetchStep();
    prefetchTimes.push(performance.now() - start);
  }
}
const prefetchTensorsBefore = tf.memory().numTensors;
for (let i = 0; i < 100; i++) await prefetchStep();
const prefetchDrift = tf.memory().numTensors - prefetchTensorsBefore;
await prefetch.trainStep(optC);
await worker.close();

const kd = median(kdTimes);
const hand = median(handTimes);
const limit = median(studentOnly) + median(teacherOnly);
const pre = median(prefetchTimes);
const kd2 = median(kdTimes2);
const exPerS = (ms: number): string => `${((BATCH / ms) * 1000).toFixed(0)} ex/s`;
const section = `KD step on the ${tf.getBackend()} backend, batch ${BATCH}, MLP 784-800-800-10 -> 784-300-300-10 (median of ${STEPS})`;
const rows: Row[] = [
  {
    section,
    what: 'first-step loss, SingleTeacherDistill / hand-written / prefetch',
    value: `${kdLoss.toFixed(6)} / ${handLoss.toFixed(6)} / ${prefetchLoss.toFixed(6)}`,
    goal: 'equal',
    met: lossGap < 1e-5 && Math.abs(prefetchLoss - kdLoss) < 1e-5,
  },
  { section, what: 'SingleTeacherDistill step', value: `${kd.toFixed(2)} ms` },
  { section, what: 'hand-written step', value: `${hand.toFixed(2)} ms` },
  {
    section,
    what: 'overhead ratio (SingleTeacherDistill / hand-written)',
    value: (kd / hand).toFixed(3),
    goal: '<= 1.03',
    met: kd / hand <= 1.03,
  },
  {
    section,
    what: 'student-only step',
    value: `${median(studentOnly).toFixed(2)} ms (${exPerS(median(studentOnly))})`,
  },
  { section, what: 'teacher forward', value: `${median(teacherOnly).toFixed(2)} ms` },
  { section, what: 'mixup augment', value: `${median(mixOnly).toFixed(2)} ms` },
  {
    section,
    what: `KD throughput / limit (limit = student step + teacher forward, ${exPerS(limit)})`,
    value: `${(limit / kd).toFixed(3)} (${exPerS(kd)})`,
    goal: '>= 0.9',
    met: limit / kd >= 0.9,
  },
  {
    section,
    what: 'KD step with the teacher in a worker (TeacherPrefetch)',
    value: `${pre.toFixed(2)} ms (${exPerS(pre)})`,
  },
  {
    section,
    what: 'prefetch throughput / KD throughput (alternating blocks)',
    value: (kd2 / pre).toFixed(3),
  },
  { section, what: 'prefetch throughput / limit', value: (limit / pre).toFixed(3) },
  {
    section,
    what: `drift over ${driftSteps} KD steps`,
    value: `${tensorDrift} tensors, ${heapDriftMiB.toFixed(1)} MiB heap`,
    goal: '0 tensors',
    met: tensorDrift === 0,
  },
  {
    section,
    what: 'drift over 100 prefetch steps',
    value: `${prefetchDrift} tensors`,
    goal: '0 tensors',
    met: prefetchDrift === 0,
  },
];
await report(rows);
