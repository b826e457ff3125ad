/**
 * Batch augment configs and the registry that builds augments from them by `type`.
 */
import { atPath, rejectUnknownKeys } from '../config/validate.js';
import { Registry, type BuildContext } from '../registry.js';
import type { BatchAugment } from './batch-augment.js';
import { BatchCutMix, type BatchCutMixOptions } from './batch-cutmix.js';
import { BatchMixup, type BatchMixupOptions } from './batch-mixup.js';
import type { ImageShape } from './options.js';

/** Config of a {@link BatchMixup}: its options plus `type`. */
export interface BatchMixupConfig extends BatchMixupOptions {
  /** Selects {@link BatchMixup}. */
  readonly type: 'BatchMixup';
}

/** Config of a {@link BatchCutMix}: its options plus `type`. */
export interface BatchCutMixConfig extends BatchCutMixOptions {
  /** Selects {@link BatchCutMix}. */
  readonly type: 'BatchCutMix';
}

/**
 * Augment config types by `type` name. Add your own registered kinds by module augmentation:
 *
 * ```ts
 * declare module 'tfjs-distill' {
 *   interface AugmentConfigTypes { MyMix: { type: 'MyMix'; numClasses: number; prob?: number } }
 * }
 * ```
 */
export interface AugmentConfigTypes {
  /** See {@link BatchMixupConfig}. */
  BatchMixup: BatchMixupConfig;
  /** See {@link BatchCutMixConfig}. */
  BatchCutMix: BatchCutMixConfig;
}

/** Any known augment config. */
export type AugmentConfig = AugmentConfigTypes[keyof AugmentConfigTypes];

/** The built-in augment type names. */
export const AUGMENT_TYPES = ['BatchMixup', 'BatchCutMix'] as const;

/** A built-in augment type name. */
export type AugmentType = (typeof AUGMENT_TYPES)[number];

/** Builds batch augments from configs; register your own kinds here. */
export const augmentRegistry = new Registry<BatchAugment>('batch augment');

const COMMON_KEYS = ['type', 'alpha', 'numClasses', 'prob', 'seed'] as const;

function build<R>(
  config: Readonly<Record<string, unknown>>,
  context: BuildContext,
  keys: readonly string[],
  make: () => R,
): R {
  rejectUnknownKeys(config, keys, context.path);
  return atPath(context.path, make);
}

augmentRegistry.register('BatchMixup', (config, context) =>
  build(
    config,
    context,
    COMMON_KEYS,
    () =>
      new BatchMixup({
        alpha: config.alpha as number,
        numClasses: config.numClasses as number,
        prob: config.prob as number | undefined,
        seed: config.seed as number | undefined,
      }),
  ),
);

augmentRegistry.register('BatchCutMix', (config, context) =>
  build(
    config,
    context,
    [...COMMON_KEYS, 'imageShape'],
    () =>
      new BatchCutMix({
        alpha: config.alpha as number,
        numClasses: config.numClasses as number,
        prob: config.prob as number | undefined,
        seed: config.seed as number | undefined,
        imageShape: config.imageShape as ImageShape | undefined,
      }),
  ),
);
