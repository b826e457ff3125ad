/**
 * Builds the real deliveries, recorders and managers of a fuzzed program.
 */
import {
  DistillDeliveryManager,
  FunctionInputsRecorder,
  FunctionOutputsDelivery,
  FunctionOutputsRecorder,
  MethodInputsRecorder,
  MethodOutputsDelivery,
  MethodOutputsRecorder,
  RecorderManager,
  type DistillDelivery,
  type InterceptingRecorder,
} from '../../src/index.js';
import type { ActorSpec, DeliverySpec, RecorderSpec } from './program.js';
import type { World } from './world.js';

/** A real actor, tagged with its kind. */
export type RealActor =
  | { readonly kind: 'delivery'; readonly real: DistillDelivery }
  | { readonly kind: 'recorder'; readonly real: InterceptingRecorder }
  | { readonly kind: 'deliveryManager'; readonly real: DistillDeliveryManager }
  | { readonly kind: 'recorderManager'; readonly real: RecorderManager };

function buildDelivery(world: World, spec: DeliverySpec): DistillDelivery {
  const { target, maxKeepData } = spec;
  const delivery =
    target === 'forward' || target === 'inherited'
      ? new MethodOutputsDelivery({
          methodPath: { cls: target === 'forward' ? world.A : world.B, name: 'forward' },
          maxKeepData,
        })
      : new FunctionOutputsDelivery({ funcPath: { owner: world.ops, name: target }, maxKeepData });
  delivery.overrideData = spec.overrideData;
  return delivery;
}

function buildRecorder(world: World, spec: RecorderSpec): InterceptingRecorder {
  const { target, part } = spec;
  if (target === 'forward' || target === 'inherited') {
    const source = { cls: target === 'forward' ? world.A : world.B, name: 'forward' };
    return part === 'outputs'
      ? new MethodOutputsRecorder({ source })
      : new MethodInputsRecorder({ source });
  }
  const source = { owner: world.ops, name: target };
  return part === 'outputs'
    ? new FunctionOutputsRecorder({ source })
    : new FunctionInputsRecorder({ source });
}

/**
 * Builds the actor `spec`. A manager gets the (already built) actors at its member indices.
 */
export function buildActor(
  world: World,
  spec: ActorSpec,
  member: (index: number) => RealActor,
): RealActor {
  switch (spec.kind) {
    case 'delivery':
      return { kind: 'delivery', real: buildDelivery(world, spec) };
    case 'recorder':
      return { kind: 'recorder', real: buildRecorder(world, spec) };
    case 'deliveryManager':
      return {
        kind: 'deliveryManager',
        real: new DistillDeliveryManager(
          spec.members.map((i) => member(i).real as DistillDelivery),
        ),
      };
    case 'recorderManager':
      return {
        kind: 'recorderManager',
        real: new RecorderManager(spec.members.map((i) => member(i).real as InterceptingRecorder)),
      };
  }
}

/** Sets `overrideData` of a delivery or a delivery manager (others have none). */
export function setOverride(actor: RealActor, value: boolean): void {
  if (actor.kind === 'delivery' || actor.kind === 'deliveryManager')
    actor.real.overrideData = value;
}

/** Drops what an actor holds: `clear()` for deliveries and their manager, `reset()` otherwise. */
export function clearActor(actor: RealActor): void {
  if (actor.kind === 'delivery' || actor.kind === 'deliveryManager') actor.real.clear();
  else actor.real.reset();
}
