/**
 * The teacher one batch ahead in a worker thread: the same mixup distillation run twice, once
 * with `trainStep` on one thread and once through `TeacherPrefetch`, on the same batches. The
 * losses agree exactly; on a machine with a free core the second run is faster.
 *
 * Run: `npm run examples`, or `node build/examples/teacher-worker.js` after building.
 */
import * as tf from '@tensorflow/tfjs';
import {
  Augments,
  ImageClassifier,
  SingleTeacherDistill,
  TeacherPrefetch,
  TeacherWorker,
  batches,
  loadMnist,
  mlp,
  selectBackend,
  type ConfigurableDistillerOptions,
} from 'tfjs-distill';

await selectBackend('wasm');
const mnist = await loadMnist({ trainLimit: 1280, testLimit: 1 });
const MIX = { type: 'BatchMixup', alpha: 0.4, numClasses: 10 } as const;
const teacher = mlp({ hidden: [800, 800], seed: 1, name: 'teacher' });

const distiller: ConfigurableDistillerOptions = {
  studentRecorders: { logits: { type: 'LayerOutputs', source: 'logits' } },
  teacherRecorders: { logits: { type: 'LayerOutputs', source: 'logits' } },
  // Two batches wait in the queue at a time: the next one's, recorded while this one trains.
  distillDeliveries: [
    { type: 'MethodOutputs', maxKeepData: 2, methodPath: { cls: Augments, name: 'call' } },
  ],
  distillLosses: { loss_kd: { type: 'KLDivergence', tau: 4, lossWeight: 0.7 } },
  lossForwardMappings: {
    loss_kd: {
      predsS: { recorder: 'logits', fromStudent: true },
      predsT: { recorder: 'logits', fromStudent: false },
    },
  },
};

/** A fresh student and its distillation, seeded alike each time. */
function distillation(): SingleTeacherDistill {
  return new SingleTeacherDistill({
    teacher: new ImageClassifier({ model: teacher, augments: new Augments(MIX, { seed: 5 }) }),
    student: new ImageClassifier({
      model: mlp({ hidden: [300, 300], seed: 2, name: 'student' }),
      augments: new Augments(MIX, { seed: 9 }),
      lossWeight: 0.3,
    }),
    distiller,
  });
}

// One thread.
const plain = distillation();
let optimizer = tf.train.adam(1e-3);
const plainLosses: number[] = [];
let start = performance.now();
for (const { x, y } of batches(mnist.train, { batchSize: 128, seed: 1, epoch: 0 })) {
  plainLosses.push(plain.trainStep(optimizer, x, y).loss!);
  tf.dispose([x, y]);
}
const plainMs = performance.now() - start;
optimizer.dispose();

// The teacher in a worker, one batch ahead.
const ahead = distillation();
const worker = await TeacherWorker.start({
  model: teacher,
  recorders: ahead.distiller.teacherRecorders,
});
const tensorsBefore = tf.memory().numTensors;
optimizer = tf.train.adam(1e-3);
const prefetchLosses: number[] = [];
start = performance.now();
try {
  const prefetch = new TeacherPrefetch(ahead, worker);
  let pushed = 0;
  for (const { x, y } of batches(mnist.train, { batchSize: 128, seed: 1, epoch: 0 })) {
    prefetch.push(x, y); // the teacher starts on this batch in the worker
    tf.dispose([x, y]); // push keeps its own copy
    if (++pushed > 1) prefetchLosses.push((await prefetch.trainStep(optimizer)).loss!);
  }
  prefetchLosses.push((await prefetch.trainStep(optimizer)).loss!); // the last batch
} finally {
  await worker.close();
}
const prefetchMs = performance.now() - start;
optimizer.dispose();
const leaked = tf.memory().numTensors - tensorsBefore;
ahead.distiller.dispose();
plain.distiller.dispose();

console.log(`steps: ${plainLosses.length} and ${prefetchLosses.length}`);
console.log(`same losses: ${plainLosses.every((loss, i) => loss === prefetchLosses[i])}`);
console.log(`tensors leaked: ${leaked}`);
console.log(
  `one thread ${plainMs.toFixed(0)} ms, teacher in a worker ${prefetchMs.toFixed(0)} ms (${(plainMs / prefetchMs).toFixed(2)}x)`,
);
