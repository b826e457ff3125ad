/**
 * tfjs-distill: knowledge distillation for TensorFlow.js.
 *
 * Everything of the browser entry (`tfjs-distill/core` plus the TensorFlow.js layer: tensor-aware
 * queues and buffers, layer and parameter recorders, augments, losses, connectors, models, the
 * distiller, data and training support), plus the Node.js-only parts: MNIST from disk, checkpoint
 * and metrics files, and the training-run driver behind the command line.
 *
 * @packageDocumentation
 */
export * from './browser.js';
export { defaultMnistDir, loadMnist, type LoadMnistOptions } from './data/mnist-node.js';
export * from './train/index.js';
export {
  defineConfig,
  MODEL_TYPES,
  RUN_BACKENDS,
  type DataConfig,
  type DistillConfig,
  type ModelConfig,
  type RunBackend,
  type RunConfig,
  type TeacherConfig,
  type TrainConfig,
} from './run/run-config.js';
export { checkRunConfig, type CheckedRunConfig } from './run/check-run-config.js';
export {
  runTraining,
  type RunObserver,
  type RunOptions,
  type RunSummary,
} from './run/run-training.js';
