/** Command-line helpers that are useful on their own: the training progress reporter. */
export {
  ProgressReporter,
  formatCount,
  formatDuration,
  type ProgressOptions,
  type ProgressStream,
  type ProgressUpdate,
} from './progress.js';
