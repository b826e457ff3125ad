/**
 * tfjs-distill/core: the framework-agnostic part of tfjs-distill (deliveries, function and
 * method recorders, the patch layer, registries, errors). It does not import TensorFlow.js.
 *
 * @packageDocumentation
 */
export * from './delivery/index.js';
export * from './patch/index.js';
export * from './recorder/index.js';
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
export type { Scope } from './patch/scope-controller.js';
