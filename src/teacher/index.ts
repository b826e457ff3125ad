/**
 * Teachers in other formats than a tfjs LayersModel: GraphModels, ONNX models, and teachers
 * that output probabilities.
 */
export {
  LOGITS_LAYER,
  TapLayer,
  tapModel,
  type TapModelOptions,
  type TeacherValues,
} from './tap-model.js';
export {
  graphModelAsLayers,
  graphNodeNames,
  graphOutputOp,
  type GraphNodeInfo,
  type GraphTeacherOptions,
} from './graph-teacher.js';
export {
  MIN_PROBABILITY,
  asLogits,
  detectOutputKind,
  logProbabilities,
  numericOutputKind,
  type OutputKind,
} from './output-kind.js';
