/**
 * Property-based test of TeacherPrefetch: random programs of push, trainStep, clear and
 * failing requests (a batch the teacher cannot take), run beside a reference that trains the
 * same batches with trainStep on one thread. After every program: the same losses in the same
 * order, student weights equal, queues as long as the pipeline, and no tensor left behind.
 *
 * Reproduce or extend with `FUZZ_SEED=<seed> PREFETCH_FUZZ_RUNS=<n> node scripts/test.mjs prefetch`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import {
  Augments,
  DistillError,
  ImageClassifier,
  SingleTeacherDistill,
  TeacherPrefetch,
  TeacherWorker,
  labelAssigners,
  mlp,
  selectBackend,
} from '../../src/index.js';

const seed = Number(process.env.FUZZ_SEED ?? 20261128);
const numRuns = Number(process.env.PREFETCH_FUZZ_RUNS ?? 200);
const MIX = { type: 'BatchMixup', alpha: 0.4, numClasses: 10 } as const;
const KEEP = 3;

/** One step of a program. */
type Command =
  | { readonly kind: 'push'; readonly batch: number }
  | { readonly kind: 'pushBad' }
  | { readonly kind: 'train' }
  | { readonly kind: 'clear' };

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 5, arbitrary: fc.nat(4).map((batch) => ({ kind: 'push', batch }) as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'pushBad' } as const) },
  { weight: 5, arbitrary: fc.constant({ kind: 'train' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'clear' } as const) },
);

function distillation(teacher: tf.LayersModel, withLabels: boolean): SingleTeacherDistill {
  return new SingleTeacherDistill({
    teacher: new ImageClassifier({
      model: teacher,
      augments: new Augments(MIX, { seed: 5 }),
      labelAssigner: withLabels ? 'confidenceWeighted' : undefined,
    }),
    student: new ImageClassifier({
      model: mlp({ hidden: [6], seed: 2, name: 'student' }),
      augments: new Augments(MIX, { seed: 9 }),
      labelAssigner: withLabels ? 'confidenceWeighted' : undefined,
      lossWeight: 0.3,
    }),
    distiller: {
      studentRecorders: { logits: { type: 'LayerOutputs', source: 'logits' } },
      teacherRecorders: { logits: { type: 'LayerOutputs', source: 'logits' } },
      distillDeliveries: [
        { type: 'MethodOutputs', maxKeepData: KEEP, methodPath: { cls: Augments, name: 'call' } },
        ...(withLabels
          ? [
              {
                type: 'FunctionOutputs',
                maxKeepData: KEEP,
                funcPath: { owner: labelAssigners, name: 'confidenceWeighted' },
              } as const,
            ]
          : []),
      ],
      distillLosses: { kd: { type: 'KLDivergence', tau: 4, lossWeight: 0.7 } },
      lossForwardMappings: {
        kd: {
          predsS: { recorder: 'logits', fromStudent: true },
          predsT: { recorder: 'logits', fromStudent: false },
        },
      },
    },
  });
}

describe('TeacherPrefetch under random programs', () => {
  let teacher: tf.LayersModel;
  let worker: TeacherWorker;
  let data: [tf.Tensor, tf.Tensor][];
  let bad: [tf.Tensor, tf.Tensor];

  before(async () => {
    await selectBackend('cpu');
    teacher = mlp({ hidden: [12], seed: 1, name: 'teacher' });
    worker = await TeacherWorker.start({
      model: teacher,
      recorders: { logits: { type: 'LayerOutputs', source: 'logits' } },
    });
    data = Array.from({ length: 5 }, (_, i) => [
      tf.randomUniform([6, 784], 0, 1, 'float32', 50 + i),
      tf.tensor1d([0, 1, 2, 3, 4, i], 'int32'),
    ]);
    // Mixup takes any width; the teacher does not: the worker fails this request.
    bad = [
      tf.randomUniform([6, 100], 0, 1, 'float32', 7),
      tf.tensor1d([0, 1, 2, 3, 4, 5], 'int32'),
    ];
  });
  after(async () => {
    await worker.close();
    tf.dispose([...data.flat(), ...bad]);
    teacher.dispose();
  });

  it('trains exactly as trainStep does on the batches it trains, and leaks nothing', async (t) => {
    t.diagnostic(`seed ${seed}, ${numRuns} runs`);
    await fc.assert(
      fc.asyncProperty(
        fc.array(commandArb, { minLength: 1, maxLength: 14 }),
        fc.boolean(),
        async (program, withLabels) => {
          const tensors = tf.memory().numTensors;
          const reference = distillation(teacher, withLabels);
          const subject = distillation(teacher, withLabels);
          const optRef = tf.train.adam(1e-2);
          const optSub = tf.train.adam(1e-2);
          const prefetch = new TeacherPrefetch(subject, worker);
          // The pipeline's batches, oldest first: an index into data, or -1 for the bad one.
          const pending: number[] = [];
          /** The reference's teacher draws the augment a dropped batch drew in the pipeline. */
          const drawLikeDropped = (batch: number): void => {
            const [x, y] = batch < 0 ? bad : data[batch]!;
            tf.dispose(reference.teacher.augments!.call(x, y));
          };
          try {
            for (const command of program) {
              if (command.kind === 'push' || command.kind === 'pushBad') {
                const batch = command.kind === 'push' ? command.batch : -1;
                const [x, y] = batch < 0 ? bad : data[batch]!;
                if (pending.length >= KEEP) {
                  assert.throws(() => prefetch.push(x, y), { code: 'QUEUE_FULL' });
                  continue;
                }
                if (!subject.distiller.connectorsBuilt && batch < 0) continue;
                prefetch.push(x, y);
                pending.push(batch);
              } else if (command.kind === 'train') {
                const batch = pending.shift();
                if (batch === undefined) {
                  await assert.rejects(prefetch.trainStep(optSub), { code: 'QUEUE_EMPTY' });
                } else if (batch < 0) {
                  await assert.rejects(prefetch.trainStep(optSub), (error: unknown) => {
                    assert.ok(error instanceof DistillError && error.code === 'WORKER_FAILED');
                    return true;
                  });
                  drawLikeDropped(batch);
                  pending.splice(0).forEach(drawLikeDropped);
                } else {
                  const got = (await prefetch.trainStep(optSub)).loss!;
                  const want = reference.trainStep(optRef, ...data[batch]!).loss!;
                  assert.equal(got, want);
                }
              } else {
                prefetch.clear();
                pending.splice(0).forEach(drawLikeDropped);
              }
              for (const d of subject.distiller.deliveries.deliveries.values()) {
                // Label-assigner recordings are made and replayed within a step.
                assert.ok(d.size === pending.length || (withLabels && d.size === 0));
              }
            }
            const weightsS = subject.student.model
              .getWeights()
              .map((w) => Array.from(w.dataSync()));
            const weightsR = reference.student.model
              .getWeights()
              .map((w) => Array.from(w.dataSync()));
            assert.deepEqual(weightsS, weightsR);
          } finally {
            prefetch.clear();
            for (const algo of [reference, subject]) {
              algo.distiller.dispose();
              algo.student.model.dispose();
            }
            optRef.dispose();
            optSub.dispose();
          }
          // Answers for dropped batches are disposed when they arrive: wait for them.
          const settle = await worker.forward(data[0]![0]);
          settle.output.dispose();
          for (const v of settle.records.values()) tf.dispose(v as tf.Tensor[]);
          assert.equal(tf.memory().numTensors, tensors, 'tensors left behind');
        },
      ),
      { seed, numRuns },
    );
  });
});
