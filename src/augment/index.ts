/** Train-time batch augmentation: mixup, CutMix, and a probabilistic choice between them. */
export { Augments, type AugmentSpec, type AugmentsOptions } from './augments.js';
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
export {
  augmentRegistry,
  AUGMENT_TYPES,
  type AugmentConfig,
  type AugmentConfigTypes,
  type AugmentType,
  type BatchCutMixConfig,
  type BatchMixupConfig,
} from './augment-registry.js';
export { toSoftLabels, type AugmentResult } from './batch.js';
export type { ImageShape } from './options.js';
export { SeededRandom } from './random.js';
