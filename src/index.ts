/**
 * tfjs-distill: knowledge distillation for TensorFlow.js.
 *
 * Everything in `tfjs-distill/core`, plus the TensorFlow.js layer: tensor-aware queues and
 * buffers, layer and parameter recorders.
 *
 * @packageDocumentation
 */
import './tensor/install.js';
import './recorder/tfjs-recorder-types.js';

export * from './core.js';
export * from './tensor/index.js';
export {
  LayerInputsRecorder,
  LayerOutputsRecorder,
  type LayerRecorderOptions,
} from './recorder/layer-recorders.js';
export { ParameterRecorder, type ParameterRecorderOptions } from './recorder/parameter-recorder.js';
export { allLayers, findLayer, type HasLayers } from './recorder/layer-lookup.js';
export * from './augment/index.js';
export * from './losses/index.js';
export * from './connectors/index.js';
export * from './data/index.js';
export * from './models/index.js';
export * from './train/index.js';
export * from './distill/index.js';
export * from './report/index.js';
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
