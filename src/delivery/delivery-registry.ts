/**
 * Delivery configs and the registry that builds deliveries from them by `type`.
 */
import { atPath, positiveInteger, rejectUnknownKeys } from '../config/validate.js';
import { Registry, type BuildContext } from '../registry.js';
import type { UntypedFunctionTarget, UntypedMethodTarget } from '../patch/target.js';
import type { DistillDelivery } from './distill-delivery.js';
import { FunctionOutputsDelivery } from './function-outputs-delivery.js';
import { MethodOutputsDelivery } from './method-outputs-delivery.js';
import { checkOverrideKeys, type OverrideKey } from './partial-override.js';

/** Keys every built-in delivery config accepts besides its path. */
interface DeliveryConfigBase {
  /** How many outputs the queue holds at most. Default 1. */
  readonly maxKeepData?: number;
  /** Replay only these indices or keys; see `DistillDeliveryOptions.overrideKeys`. */
  readonly overrideKeys?: readonly OverrideKey[];
}

/** Config of a {@link FunctionOutputsDelivery}. */
export interface FunctionOutputsDeliveryConfig extends DeliveryConfigBase {
  /** Selects {@link FunctionOutputsDelivery}. */
  readonly type: 'FunctionOutputs';
  /** `"<module>#<member>(.<member>)*"` or `{ owner, name }`. */
  readonly funcPath: string | UntypedFunctionTarget;
}

/** Config of a {@link MethodOutputsDelivery}. */
export interface MethodOutputsDeliveryConfig extends DeliveryConfigBase {
  /** Selects {@link MethodOutputsDelivery}. */
  readonly type: 'MethodOutputs';
  /** `"<module>#<Class>.<method>"` or `{ cls, name }`. */
  readonly methodPath: string | UntypedMethodTarget;
}

/**
 * Config types by `type` name. Add your own registered kinds by module augmentation:
 *
 * ```ts
 * declare module 'tfjs-distill' {
 *   interface DeliveryConfigTypes { MyOutputs: { type: 'MyOutputs'; target: string } }
 * }
 * ```
 */
export interface DeliveryConfigTypes {
  /** See {@link FunctionOutputsDeliveryConfig}. */
  FunctionOutputs: FunctionOutputsDeliveryConfig;
  /** See {@link MethodOutputsDeliveryConfig}. */
  MethodOutputs: MethodOutputsDeliveryConfig;
}

/** Any known delivery config. */
export type DeliveryConfig = DeliveryConfigTypes[keyof DeliveryConfigTypes];

/** The built-in delivery type names. */
export const DELIVERY_TYPES = ['FunctionOutputs', 'MethodOutputs'] as const;

/** Builds deliveries from configs; register your own kinds here. */
export const deliveryRegistry = new Registry<DistillDelivery>('delivery');

function build<R>(
  config: Readonly<Record<string, unknown>>,
  context: BuildContext,
  pathKey: string,
  make: () => R,
): R {
  rejectUnknownKeys(config, ['type', pathKey, 'maxKeepData', 'overrideKeys'], context.path);
  // Checked here too, so that messages name the full key path.
  positiveInteger(config.maxKeepData, `${context.path}.maxKeepData`, 1);
  checkOverrideKeys(config.overrideKeys, `${context.path}.overrideKeys`);
  return atPath(`${context.path}.${pathKey}`, make);
}

deliveryRegistry.register('FunctionOutputs', (config, context) =>
  build(
    config,
    context,
    'funcPath',
    () =>
      new FunctionOutputsDelivery({
        funcPath: config.funcPath as string,
        maxKeepData: config.maxKeepData as number | undefined,
        overrideKeys: config.overrideKeys as OverrideKey[] | undefined,
        resolveFrom: context.resolveFrom,
      }),
  ),
);

deliveryRegistry.register('MethodOutputs', (config, context) =>
  build(
    config,
    context,
    'methodPath',
    () =>
      new MethodOutputsDelivery({
        methodPath: config.methodPath as string,
        maxKeepData: config.maxKeepData as number | undefined,
        overrideKeys: config.overrideKeys as OverrideKey[] | undefined,
        resolveFrom: context.resolveFrom,
      }),
  ),
);
