/**
 * tfjs-distill: knowledge distillation for TensorFlow.js.
 *
 * @packageDocumentation
 */
export * from './delivery/index.js';
export * from './patch/index.js';
export {
  DistillError,
  DistillTypeError,
  ERROR_CODES,
  describeValue,
  type DistillErrorCode,
  type DistillErrorOptions,
} from './errors.js';
export { Registry, type BuildContext, type Factory, type RegisterOptions } from './registry.js';
export {
  identityValueHandler,
  queuedValueHandler,
  setQueuedValueHandler,
  type QueuedValueHandler,
} from './queued-values.js';
