/**
 * Training support: backends, optimizers, learning-rate schedules, evaluation, metrics logs,
 * model files on disk and resumable checkpoints with optimizer state and connector weights (the
 * file parts need Node.js).
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
  CONNECTORS_BIN,
  OPTIMIZER_BIN,
  type CheckpointInfo,
  type CheckpointMeta,
  type ConnectorStateEntry,
  type FileDigest,
  type JsonValue,
  type OptimizerStateEntry,
  type SavedConnector,
} from './checkpoint-format.js';
export {
  encodeConnectorState,
  restoreConnectorState,
  type EncodedConnectorState,
} from './connector-state.js';
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
