/** Recorders of function, method and layer calls, and of parameters. */
export { BaseRecorder, type RecorderScope } from './base-recorder.js';
export { InterceptingRecorder, RECORDED_PARTS, type RecordedPart } from './target-recorder.js';
export {
  FunctionInputsRecorder,
  FunctionOutputsRecorder,
  MethodInputsRecorder,
  MethodOutputsRecorder,
  type FunctionRecorderOptions,
  type MethodRecorderOptions,
} from './function-recorders.js';
export {
  RECORDER_TYPES,
  recorderRegistry,
  registerSourceRecorder,
  type FunctionRecorderConfig,
  type LayerRecorderConfig,
  type MethodRecorderConfig,
  type ParameterRecorderConfig,
  type RecorderConfig,
} from './recorder-registry.js';
export {
  RecorderManager,
  type RecorderConfigs,
  type RecorderManagerOptions,
} from './recorder-manager.js';
