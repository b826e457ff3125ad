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
