/** Model zoo: MLPs and a small CNN with named layers that output logits. */
export { smallCnn, type SmallCnnOptions } from './cnn.js';
export {
  hintonStudent,
  hintonTeacher,
  mlp,
  smallMlp,
  type MlpOptions,
  type MlpPresetOptions,
} from './mlp.js';
export type { ModelActivation } from './options.js';
export { countParams, type ParamKind } from './params.js';
export {
  ImageClassifier,
  type ClassifierLoss,
  type ImageClassifierOptions,
} from './image-classifier.js';
export {
  LABEL_ASSIGNERS,
  labelAssigners,
  type LabelAssigner,
  type LabelAssignerName,
} from './label-assigners.js';
