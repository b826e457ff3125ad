/**
 * The training support that works anywhere tfjs does (browsers included): backends,
 * optimizers, learning-rate schedules and evaluation.
 */
export {
  BACKEND_NAMES,
  recommendedBackend,
  selectBackend,
  type BackendName,
  type SelectBackendOptions,
} from './backend.js';
export {
  OPTIMIZER_TYPES,
  buildOptimizer,
  disposeOptimizer,
  resolveOptimizerConfig,
  type AdamConfig,
  type OptimizerConfig,
  type OptimizerType,
  type ResolvedOptimizerConfig,
  type RmspropConfig,
  type SgdConfig,
} from './optimizer.js';
export {
  SCHEDULE_TYPES,
  getLearningRate,
  learningRateAt,
  resolveScheduleConfig,
  setLearningRate,
  type ScheduleConfig,
  type ScheduleType,
} from './schedule.js';
export { evaluate, type EvaluateOptions, type EvaluationResult } from './evaluate.js';
export {
  agreement,
  evaluateSplit,
  type EvaluateSplitOptions,
  type PredictLogits,
  type SplitEvaluation,
} from './evaluate-split.js';
export { inferenceMs } from './inference-time.js';
