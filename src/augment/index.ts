/** Train-time batch augmentation: mixup, CutMix, and a probabilistic choice between them. */
export {
  BatchAugment,
  type AugmentParams,
  type BatchAugmentOptions,
  type CutMixBox,
  type MixOutput,
} from './batch-augment.js';
export { BatchMixup, mixupBatch, type BatchMixupOptions } from './batch-mixup.js';
export {
  BatchCutMix,
  cutMixBatch,
  cutMixBox,
  cutMixLambda,
  resolveImageShape,
  type BatchCutMixOptions,
  type CutMixBoxArgs,
} from './batch-cutmix.js';
export { toSoftLabels, type AugmentResult } from './batch.js';
export type { ImageShape } from './options.js';
export { SeededRandom } from './random.js';
