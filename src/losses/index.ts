/** Distillation losses: logit losses (KD, DKD), feature losses (L2, L1, AT) and their registry. */
export type { DistillLoss, LossInputs } from './distill-loss.js';
export { REDUCTIONS, type Reduction } from './reduction.js';
export { detach } from './detach.js';
export { KLDivergence, type KLDivergenceOptions } from './kl-divergence.js';
export {
  KDSoftCELoss,
  KD_SOFT_CE_REDUCTIONS,
  type KDSoftCELossOptions,
  type KDSoftCEReduction,
} from './kd-soft-ce-loss.js';
export { L2Loss, L2_LOSS_DIVISORS, type L2LossDivisor, type L2LossOptions } from './l2-loss.js';
export { L1Loss, type L1LossOptions } from './l1-loss.js';
export { ATLoss, type ATLossOptions } from './at-loss.js';
export { DKDLoss, DKD_REDUCTIONS, type DKDLossOptions, type DKDReduction } from './dkd-loss.js';
export {
  lossRegistry,
  buildLoss,
  LOSS_TYPES,
  type LossConfig,
  type LossConfigTypes,
  type LossType,
} from './loss-registry.js';
