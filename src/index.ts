/**
 * tfjs-distill: knowledge distillation for TensorFlow.js.
 *
 * Everything of the browser entry (`tfjs-distill/core` plus the TensorFlow.js layer: tensor-aware
 * queues and buffers, layer and parameter recorders, augments, losses, connectors, models, the
 * distiller, data and training support), plus the Node.js-only parts: MNIST from disk, checkpoint
 * and metrics files, and the training-run driver behind the command line.
 *
 * @packageDocumentation
 */
export * from './browser.js';
export { defaultMnistDir, loadMnist, type LoadMnistOptions } from './data/mnist-node.js';
export * from './train/index.js';
export {
  EXPORT_REPORT_JSON,
  exportStudent,
  type BrowserLatency,
  type ExportReport,
  type ExportStudentOptions,
  type TestFigures,
} from './export/export-student.js';
export { writeExport, type WriteExportOptions } from './export/write-export.js';
export {
  IMAGE_FOLDER_OPTION_KEYS,
  checkImageFolderOptions,
  type CheckedImageFolderOptions,
  type ImageFolderLimits,
  type ImageFolderOptions,
} from './data/sources/image-folder-options.js';
export {
  openImageFolder,
  type ImageFolderSource,
  type ImageFolderSplit,
} from './data/sources/image-folder.js';
export { looksLikeImageFolder } from './data/sources/image-folder-list.js';
export { openCsv, type CsvOptions, type CsvSource } from './data/sources/csv.js';
export type { Standardization } from './data/sources/standardize.js';
export { openNpy, type NpyOptions, type NpyPair } from './data/sources/npy.js';
export { openMnist, type OpenMnistOptions } from './data/sources/mnist-source.js';
export { looksLikeCsv, looksLikeMnistDir, looksLikeNpy } from './data/sources/detect.js';
export {
  openCsvFromConfig,
  openMnistFromConfig,
  openNpyFromConfig,
  type ConfigSourceContext,
  type ConfigSourceOpener,
} from './data/sources/config-openers.js';
export { loadGraphTeacher, readGraphModelArtifacts } from './teacher/graph-loader.js';
export { OnnxTeacher, type OnnxTeacherOptions } from './teacher/onnx-teacher.js';
export { onnxRemoteTeacher } from './teacher/onnx-remote.js';
export {
  ONNX_INSTALL_HINT,
  ONNX_RUNTIME_PACKAGE,
  loadOnnxRuntime,
} from './teacher/onnx-runtime.js';
export { registerSourceOpener, type SourceContext, type SourceOpener } from './run/open-data.js';
export {
  defineConfig,
  MODEL_TYPES,
  RUN_BACKENDS,
  SOURCE_TYPES,
  TEACHER_MODEL_TYPES,
  TEACHER_OUTPUT_KINDS,
  type SourceConfig,
  type SourceType,
  type TeacherModelConfig,
  type TeacherOutputKind,
  type DataConfig,
  type DistillConfig,
  type ModelConfig,
  type RunBackend,
  type RunConfig,
  type TeacherConfig,
  type TrainConfig,
} from './run/run-config.js';
export { checkRunConfig, type CheckedRunConfig } from './run/check-run-config.js';
export {
  runTraining,
  type RunObserver,
  type RunOptions,
  type RunSummary,
} from './run/run-training.js';
