/**
 * What SingleTeacherDistill costs over a hand-written tfjs step that does the same work:
 * Hinton KD with logit recorders, KLDivergence and a mixup delivery, on the MNIST MLPs, with
 * the wasm backend. Also: KD throughput against its limit (a student step plus a teacher
 * forward, timed separately), and tensor and heap drift over many steps.
 * Every figure is a median or a ratio measured in this run.
 */
import * as tf from '@tensorflow/tfjs';
import {
  Augments,
  ImageClassifier,
  KLDivergence,
  SingleTeacherDistill,
  mlp,
  selectBackend,
  type ConfigurableDistillerOptions,
} from 'tfjs-distill';

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

const kd = median(kdTimes);
const hand = median(handTimes);
const limit = median(studentOnly) + median(teacherOnly);
console.log(
  `\nKD step on the ${tf.getBackend()} backend, batch ${BATCH}, MLP 784-800-800-10 -> 784-300-300-10, median of ${STEPS}`,
);
console.log(
  `  first-step loss: SingleTeacherDistill ${kdLoss.toFixed(6)}, hand-written ${handLoss.toFixed(6)} (gap ${lossGap.toExponential(1)})`,
);
console.log(`  SingleTeacherDistill step   ${kd.toFixed(2)} ms`);
console.log(`  hand-written step           ${hand.toFixed(2)} ms`);
console.log(`  overhead ratio              ${(kd / hand).toFixed(3)}  (goal <= 1.03)`);
console.log(
  `  student-only step           ${median(studentOnly).toFixed(2)} ms  (${((BATCH / median(studentOnly)) * 1000).toFixed(0)} ex/s)`,
);
console.log(`  teacher forward             ${median(teacherOnly).toFixed(2)} ms`);
console.log(`  mixup augment               ${median(mixOnly).toFixed(2)} ms`);
console.log(
  `  KD throughput               ${((BATCH / kd) * 1000).toFixed(0)} ex/s = ${(limit / kd).toFixed(3)} x the limit of ${((BATCH / limit) * 1000).toFixed(0)} ex/s (goal >= 0.9)`,
);
console.log(
  `  drift over ${driftSteps} steps        ${tensorDrift} tensors, ${heapDriftMiB.toFixed(1)} MiB heap`,
);
