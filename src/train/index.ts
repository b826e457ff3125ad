/**
 * Training support: backends, optimizers, learning-rate schedules, evaluation, metrics logs,
 * model files on disk and resumable checkpoints (the file parts need Node.js).
 */
export { fileLoader, fileSaver } from './checkpoint-io.js';
export {
  loadCheckpoint,
  readCheckpointInfo,
  saveCheckpoint,
  type LoadCheckpointOptions,
  type LoadedCheckpoint,
  type SaveCheckpointOptions,
} from './checkpoint.js';
export {
  CHECKPOINT_FORMAT,
  CHECKPOINT_FORMAT_VERSION,
  CHECKPOINT_JSON,
  OPTIMIZER_BIN,
  type CheckpointInfo,
  type CheckpointMeta,
  type FileDigest,
  type JsonValue,
  type OptimizerStateEntry,
} from './checkpoint-format.js';
export { MODEL_JSON, WEIGHTS_BIN } from './model-files.js';
export {
  encodeOptimizerState,
  restoreOptimizerState,
  type EncodedOptimizerState,
} from './optimizer-state.js';
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
  MetricsLog,
  readMetrics,
  type MetricsLogOptions,
  type MetricsRecord,
} from './metrics-log.js';
