/**
 * Loss configs and the registry that builds losses from them by `type`.
 */
import { atPath, rejectUnknownKeys } from '../config/validate.js';
import { Registry } from '../registry.js';
import { ATLoss, type ATLossOptions } from './at-loss.js';
import type { DistillLoss } from './distill-loss.js';
import { DKDLoss, type DKDLossOptions } from './dkd-loss.js';
import { KDSoftCELoss, type KDSoftCELossOptions } from './kd-soft-ce-loss.js';
import { KLDivergence, type KLDivergenceOptions } from './kl-divergence.js';
import { L1Loss, type L1LossOptions } from './l1-loss.js';
import { L2Loss, type L2LossOptions } from './l2-loss.js';

/**
 * Config types by `type` name: the loss's options plus its `type`. Add your own registered
 * kinds by module augmentation:
 *
 * ```ts
 * declare module 'tfjs-distill' {
 *   interface LossConfigTypes { MyLoss: { type: 'MyLoss'; margin?: number } }
 * }
 * ```
 */
export interface LossConfigTypes {
  /** See {@link KLDivergence}. */
  KLDivergence: { readonly type: 'KLDivergence' } & KLDivergenceOptions;
  /** See {@link KDSoftCELoss}. */
  KDSoftCELoss: { readonly type: 'KDSoftCELoss' } & KDSoftCELossOptions;
  /** See {@link L2Loss}. */
  L2Loss: { readonly type: 'L2Loss' } & L2LossOptions;
  /** See {@link L1Loss}. */
  L1Loss: { readonly type: 'L1Loss' } & L1LossOptions;
  /** See {@link ATLoss}. */
  ATLoss: { readonly type: 'ATLoss' } & ATLossOptions;
  /** See {@link DKDLoss}. */
  DKDLoss: { readonly type: 'DKDLoss' } & DKDLossOptions;
}

/** Any known loss config. */
export type LossConfig = LossConfigTypes[keyof LossConfigTypes];

/** The built-in loss type names. */
export const LOSS_TYPES = [
  'KLDivergence',
  'KDSoftCELoss',
  'L2Loss',
  'L1Loss',
  'ATLoss',
  'DKDLoss',
] as const;

/** One of {@link LOSS_TYPES}. */
export type LossType = (typeof LOSS_TYPES)[number];

/** Builds losses from configs; register your own kinds here. */
export const lossRegistry = new Registry<DistillLoss>('loss');

interface LossClass {
  readonly optionKeys: readonly string[];
  new (options: Readonly<Record<string, unknown>>): DistillLoss;
}

function register(type: LossType, cls: LossClass): void {
  lossRegistry.register(type, (config, { path }) => {
    rejectUnknownKeys(config, ['type', ...cls.optionKeys], path);
    const options: Record<string, unknown> = { ...config };
    delete options.type;
    return atPath(path, () => new cls(options));
  });
}

// Each constructor validates the untyped options of a config file at run time.
register('KLDivergence', KLDivergence);
register('KDSoftCELoss', KDSoftCELoss);
register('L2Loss', L2Loss);
register('L1Loss', L1Loss);
register('ATLoss', ATLoss);
register('DKDLoss', DKDLoss);

/**
 * Builds a loss from its config via {@link lossRegistry}.
 *
 * @param config - `{ type, ...options }`, e.g. `{ type: 'KLDivergence', tau: 4 }`.
 * @param path - The config's key path, for messages. Default `"loss"`.
 * @throws `UNKNOWN_TYPE` for an unknown `type`; `INVALID_CONFIG` for a bad option, with the
 *   path appended to the message.
 *
 * @example
 * ```ts
 * const kd = buildLoss({ type: 'KLDivergence', tau: 4 }, 'losses.kd');
 * ```
 */
export function buildLoss(config: LossConfig, path = 'loss'): DistillLoss {
  return lossRegistry.build(config, { path });
}
