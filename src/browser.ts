/**
 * tfjs-distill for browsers and bundlers: the package root without its Node.js-only parts
 * (MNIST loading from disk, checkpoint and metrics files, the training-run driver). Bundlers
 * pick it through the `browser` condition of the package's `exports`. Targets use the object
 * form here; scopes are process-wide where AsyncLocalStorage is missing.
 *
 * @packageDocumentation
 */
import './tensor/install.js';
import './recorder/tfjs-recorder-types.js';

export * from './core.js';
export * from './tensor/index.js';
export {
  LayerInputsRecorder,
  LayerOutputsRecorder,
  type LayerRecorderOptions,
} from './recorder/layer-recorders.js';
export { ParameterRecorder, type ParameterRecorderOptions } from './recorder/parameter-recorder.js';
export { allLayers, findLayer, type HasLayers } from './recorder/layer-lookup.js';
export * from './augment/index.js';
export * from './losses/index.js';
export * from './connectors/index.js';
export * from './models/index.js';
export * from './distill/index.js';
export * from './report/index.js';
export * from './data/index.js';
export * from './train/portable.js';
export { TeacherPrefetch } from './distill/teacher-prefetch.js';
export * from './teacher/index.js';
export * from './export/index.js';
export type { RemoteTeacher } from './worker/remote-teacher.js';
export {
  TeacherWorker,
  type TeacherOutputs,
  type TeacherWorkerOptions,
} from './worker/teacher-worker.js';
