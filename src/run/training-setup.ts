/**
 * Everything a run needs before its first step, built before anything is written to disk, so a
 * bad config never leaves a half-written run directory.
 */
import type * as tf from '@tensorflow/tfjs';
// A config names recorders by type ("LayerOutputs"): the tfjs recorder types and tensor-aware
// queues must be installed even when this module is imported without the package root (the CLI).
import '../tensor/install.js';
import '../recorder/tfjs-recorder-types.js';
import { Augments } from '../augment/augments.js';
import { atPath } from '../config/validate.js';
import { SingleTeacherDistill, type StepLosses } from '../distill/single-teacher-distill.js';
import { TeacherPrefetch } from '../distill/teacher-prefetch.js';
import { ImageClassifier } from '../models/image-classifier.js';
import type { DataSource } from '../data/sources/source.js';
import { makeView, viewedSample } from '../data/view.js';
import type { PredictLogits } from '../train/evaluate-split.js';
import { recommendedBackend, selectBackend } from '../train/backend.js';
import { TeacherWorker } from '../worker/teacher-worker.js';
import type { RemoteTeacher } from '../worker/remote-teacher.js';
import { onnxRemoteTeacher } from '../teacher/onnx-remote.js';
import type { OnnxTeacher } from '../teacher/onnx-teacher.js';
import type { OutputKind } from '../teacher/output-kind.js';
import { buildModel } from './build-model.js';
import { buildTeacher } from './build-teacher.js';
import { seedConnectors } from './seed-connectors.js';
import type { CheckedRunConfig } from './check-run-config.js';

/** A batch of a run: images and labels. */
export interface StepBatch {
  /** The images. */
  readonly x: tf.Tensor;
  /** The labels. */
  readonly y: tf.Tensor;
}

/**
 * One optimisation step on a batch, returning the loss values by name. `next` is the batch
 * the following step will train on, if any: a teacher in a worker starts on it now.
 */
export type TrainStep = (
  optimizer: tf.Optimizer,
  x: tf.Tensor,
  y: tf.Tensor,
  next?: StepBatch,
) => StepLosses | Promise<StepLosses>;

/** The models and the step of a run. */
export interface TrainingSetup {
  /** The model being trained. */
  readonly model: tf.LayersModel;
  /** Logits of the trained model for a batch of the data (its view, then the model). */
  readonly predict: PredictLogits;
  /** Logits of the teacher for a batch of the data, in a distillation. */
  readonly teacherPredict: PredictLogits | undefined;
  /** The frozen teacher, in a distillation. */
  readonly teacher: tf.LayersModel | undefined;
  /** What the teacher outputs and how that was found, in a distillation. */
  readonly teacherOutputs: OutputKind | undefined;
  /** The distillation algorithm, in a distillation. */
  readonly distill: SingleTeacherDistill | undefined;
  /** The variables the step trains (for optimizer state). */
  readonly trainableWeights: () => tf.Variable[];
  /** One optimisation step. */
  readonly step: TrainStep;
  /** The backend in use. */
  readonly backend: string;
  /**
   * Drops work started for batches not trained on yet (a teacher in a worker runs one batch
   * ahead); called when a run stops early.
   */
  dropPending(): void;
  /** Frees the models and the distiller, and stops the teacher's worker. */
  dispose(): Promise<void>;
}

/**
 * Starts the teacher's forward passes off the training step: an ONNX teacher's session, or a
 * worker thread. Messages about what cannot run there name `teacher.runInWorker` (or
 * `teacher.model`, for an ONNX teacher).
 */
async function startPrefetch(
  distill: SingleTeacherDistill,
  teacher: tf.LayersModel,
  onnx: OnnxTeacher | undefined,
  backend: string,
): Promise<TeacherPrefetch> {
  const at = (error: unknown): never =>
    atPath(onnx ? 'teacher.model' : 'teacher.runInWorker', () => {
      throw error;
    });
  let remote: RemoteTeacher;
  try {
    remote = onnx
      ? onnxRemoteTeacher(onnx, distill.distiller.teacherRecorders)
      : await TeacherWorker.start({
          model: teacher,
          recorders: distill.distiller.teacherRecorders,
          backend,
        });
  } catch (error) {
    return at(error);
  }
  try {
    return new TeacherPrefetch(distill, remote);
  } catch (error) {
    await remote.close();
    return at(error);
  }
}

function usesConv(config: CheckedRunConfig): boolean {
  const isCnn = (m: unknown): boolean =>
    typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'smallCnn';
  return isCnn(config.model) || isCnn(config.teacher?.model);
}

/**
 * Selects the backend, builds the model (and the teacher and distiller) and the training step.
 *
 * @param config - The checked run config.
 * @param baseDir - Base of relative paths in the config (the config file's folder).
 * @param data - The run's data: models are sized from and checked against it.
 */
export async function setUpTraining(
  config: CheckedRunConfig,
  baseDir: string,
  data: Pick<DataSource, 'inputShape' | 'numClasses' | 'test'>,
): Promise<TrainingSetup> {
  const studentView = makeView(config.input, data.inputShape, 'input');
  const teacherView = config.teacher
    ? makeView(config.teacher.input, data.inputShape, 'teacher.input')
    : undefined;
  const wanted = config.backend === 'auto' ? (usesConv(config) ? 'cpu' : 'wasm') : config.backend;
  let backend: string;
  try {
    backend = await selectBackend(wanted);
  } catch (error) {
    // `auto` prefers wasm for speed, but cpu always works: fall back when wasm is not installed.
    if (config.backend !== 'auto' || wanted !== 'wasm') throw error;
    backend = await selectBackend('cpu');
  }
  const model = await buildModel(config.model, {
    seed: config.seed,
    name: config.teacher ? 'student' : config.name,
    baseDir,
    path: 'model',
    fit: { inputShape: studentView.inputShape, numClasses: data.numClasses, inputKey: 'input' },
  });
  let teacher: tf.LayersModel | undefined;
  let onnx: OnnxTeacher | undefined;
  let teacherOutputs: OutputKind | undefined;
  try {
    if (config.teacher) {
      const sample =
        config.teacher.outputs === 'auto'
          ? await viewedSample(data.test, teacherView!.apply)
          : undefined;
      try {
        ({
          model: teacher,
          onnx,
          outputs: teacherOutputs,
        } = await buildTeacher(
          config.teacher,
          {
            seed: config.seed + 1,
            name: 'teacher',
            baseDir,
            path: 'teacher.model',
            fit: {
              inputShape: teacherView!.inputShape,
              numClasses: data.numClasses,
              inputKey: 'teacher.input',
            },
          },
          sample,
        ));
      } finally {
        sample?.dispose();
      }
    }
    // The wasm backend has no convolution gradients: a model function or a saved model may
    // turn out to need the cpu backend after all.
    if (config.backend === 'auto' && backend === 'wasm' && recommendedBackend(model) === 'cpu') {
      backend = await selectBackend('cpu');
    }
    // Augment messages name `augments...`; the section (train or teacher) is added here.
    const augments = (
      spec: CheckedRunConfig['train']['augments'],
      offset: number,
      section: string,
    ): Augments | undefined =>
      spec === undefined
        ? undefined
        : atPath(section, () => new Augments(spec, { seed: config.seed + offset }));
    const student = new ImageClassifier({
      model,
      augments: augments(config.train.augments, 11, 'train'),
      labelAssigner: config.train.labelAssigner,
      lossWeight: config.train.taskLossWeight,
      ...(studentView.identity ? {} : { preprocess: studentView.apply }),
    });
    if (teacher && config.teacher && config.distill) {
      const { calculateStudentLoss, ...options } = config.distill;
      const distiller = { ...options, connectors: seedConnectors(options.connectors, config.seed) };
      const teacherClassifier = new ImageClassifier({
        model: teacher,
        augments: augments(config.teacher.augments, 23, 'teacher'),
        labelAssigner: config.teacher.labelAssigner,
        ...(teacherView!.identity ? {} : { preprocess: teacherView!.apply }),
      });
      // Messages about recorders, losses and mappings name keys below `distill`.
      const distill = atPath(
        'distill',
        () =>
          new SingleTeacherDistill({
            teacher: teacherClassifier,
            student,
            distiller: { ...distiller, resolveFrom: baseDir },
            calculateStudentLoss,
          }),
      );
      const session = onnx;
      // An ONNX teacher runs asynchronously: always one batch ahead, as a worker would.
      const prefetch =
        config.teacher.runInWorker || onnx
          ? await startPrefetch(distill, teacher, onnx, backend)
          : undefined;
      return {
        model,
        predict: (x) => student.predict(x),
        teacherPredict: session
          ? async (x) => {
              const viewed = teacherClassifier.view(x);
              try {
                return await session.predict(viewed);
              } finally {
                if (viewed !== x) viewed.dispose();
              }
            }
          : (x) => teacherClassifier.predict(x),
        teacher,
        teacherOutputs,
        distill,
        backend,
        trainableWeights: () => distill.trainableWeights,
        step: prefetch
          ? async (optimizer, x, y, next) => {
              if (prefetch.size === 0) prefetch.push(x, y);
              if (next) prefetch.push(next.x, next.y);
              return prefetch.trainStep(optimizer);
            }
          : (optimizer, x, y) => distill.trainStep(optimizer, x, y),
        dropPending: () => prefetch?.clear(),
        dispose: async () => {
          prefetch?.clear();
          distill.distiller.dispose();
          model.dispose();
          teacher!.dispose();
          // The prefetch closes the ONNX session; without one (a failed start) close it here.
          await (prefetch ? prefetch.worker.close() : onnx?.close());
        },
      };
    }
    const weights = (): tf.Variable[] => model.trainableWeights.map((w) => w.read() as tf.Variable);
    return {
      model,
      predict: (x) => student.predict(x),
      teacherPredict: undefined,
      teacher: undefined,
      teacherOutputs: undefined,
      distill: undefined,
      backend,
      trainableWeights: weights,
      step: (optimizer, x, y) => {
        const cost = optimizer.minimize(() => student.loss(x, y).loss, true, weights());
        const value = cost!.dataSync()[0]!;
        cost!.dispose();
        return { loss: value, 'student.loss': value };
      },
      dropPending: () => undefined,
      dispose: () => {
        model.dispose();
        return Promise.resolve();
      },
    };
  } catch (error) {
    model.dispose();
    teacher?.dispose();
    await onnx?.close();
    throw error;
  }
}
