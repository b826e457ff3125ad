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
export * from './portable.js';
export {
  MetricsLog,
  readMetrics,
  type MetricsLogOptions,
  type MetricsRecord,
} from './metrics-log.js';
