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
import { ImageClassifier } from '../models/image-classifier.js';
import { recommendedBackend, selectBackend } from '../train/backend.js';
import { buildModel } from './build-model.js';
import type { CheckedRunConfig } from './check-run-config.js';

/** One optimisation step on a batch, returning the loss values by name. */
export type TrainStep = (optimizer: tf.Optimizer, x: tf.Tensor, y: tf.Tensor) => StepLosses;

/** The models and the step of a run. */
export interface TrainingSetup {
  /** The model being trained. */
  readonly model: tf.LayersModel;
  /** The frozen teacher, in a distillation. */
  readonly teacher: tf.LayersModel | undefined;
  /** The distillation algorithm, in a distillation. */
  readonly distill: SingleTeacherDistill | undefined;
  /** The variables the step trains (for optimizer state). */
  readonly trainableWeights: () => tf.Variable[];
  /** One optimisation step. */
  readonly step: TrainStep;
  /** The backend in use. */
  readonly backend: string;
  /** Frees the models and the distiller. */
  dispose(): void;
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
 */
export async function setUpTraining(
  config: CheckedRunConfig,
  baseDir: string,
): Promise<TrainingSetup> {
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
  });
  let teacher: tf.LayersModel | undefined;
  try {
    if (config.teacher) {
      teacher = await buildModel(config.teacher.model, {
        seed: config.seed + 1,
        name: 'teacher',
        baseDir,
        path: 'teacher.model',
      });
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
    });
    if (teacher && config.teacher && config.distill) {
      const { calculateStudentLoss, ...distiller } = config.distill;
      const teacherClassifier = new ImageClassifier({
        model: teacher,
        augments: augments(config.teacher.augments, 23, 'teacher'),
        labelAssigner: config.teacher.labelAssigner,
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
      return {
        model,
        teacher,
        distill,
        backend,
        trainableWeights: () => distill.trainableWeights,
        step: (optimizer, x, y) => distill.trainStep(optimizer, x, y),
        dispose: () => {
          distill.distiller.dispose();
          model.dispose();
          teacher!.dispose();
        },
      };
    }
    const weights = (): tf.Variable[] => model.trainableWeights.map((w) => w.read() as tf.Variable);
    return {
      model,
      teacher: undefined,
      distill: undefined,
      backend,
      trainableWeights: weights,
      step: (optimizer, x, y) => {
        const cost = optimizer.minimize(() => student.loss(x, y).loss, true, weights());
        const value = cost!.dataSync()[0]!;
        cost!.dispose();
        return { loss: value, 'student.loss': value };
      },
      dispose: () => model.dispose(),
    };
  } catch (error) {
    model.dispose();
    teacher?.dispose();
    throw error;
  }
}
