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
