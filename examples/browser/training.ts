/**
 * The training in the page: a teacher first, then a student alone and a distilled student side
 * by side (same initial weights, same batches), evaluated on the test digits a few times per
 * epoch so the charts grow while they train.
 */
import * as tf from '@tensorflow/tfjs';
import {
  ImageClassifier,
  SingleTeacherDistill,
  batchCount,
  batches,
  evaluate,
  mlp,
  type Dataset,
} from 'tfjs-distill';

/** Sizes and lengths of the run; tiny, so that a CPU-only browser finishes in seconds. */
export const SETTINGS = {
  teacherHidden: 256,
  studentHidden: 32,
  teacherEpochs: 3,
  studentEpochs: 3,
  batchSize: 50,
  /** Test evaluations per student epoch. */
  evalsPerEpoch: 3,
} as const;

/** One evaluation of a student on the test digits. */
export interface Point {
  /** Epochs trained so far (fractional between epoch ends). */
  readonly epoch: number;
  readonly accuracy: number;
  readonly loss: number;
}

/** Called after each evaluation, to update the charts. */
export type OnProgress = (student: 'alone' | 'distilled', point: Point) => void;

/** What the run measured. */
export interface TrainingResults {
  readonly teacherAccuracy: number;
  readonly alone: Point[];
  readonly distilled: Point[];
}

function trainTeacher(teacher: tf.Sequential, train: Dataset): void {
  const task = new ImageClassifier({ model: teacher });
  const optimizer = tf.train.adam(3e-3);
  const vars = teacher.trainableWeights.map((w) => w.read() as tf.Variable);
  for (let epoch = 0; epoch < SETTINGS.teacherEpochs; epoch++) {
    for (const { x, y } of batches(train, { batchSize: SETTINGS.batchSize, seed: 1, epoch })) {
      try {
        optimizer.minimize(() => task.loss(x, y).loss, false, vars);
      } finally {
        tf.dispose([x, y]);
      }
    }
  }
  optimizer.dispose();
}

/** Trains the teacher, then both students, reporting each evaluation through `onProgress`. */
export async function runTraining(
  train: Dataset,
  test: Dataset,
  onStatus: (text: string) => void,
  onProgress: OnProgress,
): Promise<TrainingResults> {
  onStatus('Training the teacher…');
  await tf.nextFrame();
  const teacher = mlp({ hidden: [SETTINGS.teacherHidden], seed: 1, name: 'teacher' });
  trainTeacher(teacher, train);
  const teacherAccuracy = (await evaluate(teacher, test)).accuracy;

  // Same seed: both students start from the same weights.
  const alone = mlp({ hidden: [SETTINGS.studentHidden], seed: 2, name: 'alone' });
  const distilledModel = mlp({ hidden: [SETTINGS.studentHidden], seed: 2, name: 'distilled' });
  const aloneTask = new ImageClassifier({ model: alone });
  const aloneVars = alone.trainableWeights.map((w) => w.read() as tf.Variable);
  const algo = new SingleTeacherDistill({
    teacher,
    student: new ImageClassifier({ model: distilledModel, lossWeight: 0.3 }),
    distiller: {
      studentRecorders: { logits: { type: 'LayerOutputs', source: 'logits' } },
      teacherRecorders: { logits: { type: 'LayerOutputs', source: 'logits' } },
      distillLosses: { loss_kd: { type: 'KLDivergence', tau: 4, lossWeight: 0.7 } },
      lossForwardMappings: {
        loss_kd: {
          predsS: { recorder: 'logits', fromStudent: true },
          predsT: { recorder: 'logits', fromStudent: false },
        },
      },
    },
  });
  const aloneOptimizer = tf.train.adam(3e-3);
  const distillOptimizer = tf.train.adam(3e-3);
  const results: TrainingResults = { teacherAccuracy, alone: [], distilled: [] };

  const record = async (epoch: number): Promise<void> => {
    for (const [name, model] of [
      ['alone', alone],
      ['distilled', distilledModel],
    ] as const) {
      const { accuracy, loss } = await evaluate(model, test);
      const point = { epoch, accuracy, loss };
      results[name].push(point);
      onProgress(name, point);
    }
    await tf.nextFrame(); // let the page repaint
  };

  const steps = batchCount(train.count, SETTINGS.batchSize);
  const evalEvery = Math.ceil(steps / SETTINGS.evalsPerEpoch);
  await record(0);
  for (let epoch = 0; epoch < SETTINGS.studentEpochs; epoch++) {
    onStatus(
      `Teacher: ${(teacherAccuracy * 100).toFixed(1)}% test accuracy. Training the students, epoch ${epoch + 1} of ${SETTINGS.studentEpochs}…`,
    );
    let step = 0;
    for (const { x, y } of batches(train, { batchSize: SETTINGS.batchSize, seed: 3, epoch })) {
      try {
        aloneOptimizer.minimize(() => aloneTask.loss(x, y).loss, false, aloneVars);
        algo.trainStep(distillOptimizer, x, y);
      } finally {
        tf.dispose([x, y]);
      }
      step++;
      if (step % evalEvery === 0 || step === steps) await record(epoch + step / steps);
    }
  }

  aloneOptimizer.dispose();
  distillOptimizer.dispose();
  algo.distiller.dispose();
  for (const model of [teacher, alone, distilledModel]) model.dispose();
  return results;
}
