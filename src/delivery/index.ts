/** The Delivery mechanism: record a target's outputs for the teacher, replay them for the student. */
export {
  DistillDelivery,
  type DistillDeliveryOptions,
  type DeliveryScope,
} from './distill-delivery.js';
export {
  FunctionOutputsDelivery,
  type FunctionOutputsDeliveryOptions,
} from './function-outputs-delivery.js';
export {
  MethodOutputsDelivery,
  type MethodOutputsDeliveryOptions,
} from './method-outputs-delivery.js';
export {
  DistillDeliveryManager,
  type DeliveryConfigs,
  type DistillDeliveryManagerOptions,
} from './distill-delivery-manager.js';
export {
  deliveryRegistry,
  DELIVERY_TYPES,
  type DeliveryConfig,
  type DeliveryConfigTypes,
  type FunctionOutputsDeliveryConfig,
  type MethodOutputsDeliveryConfig,
} from './delivery-registry.js';
export type { OverrideKey } from './partial-override.js';
