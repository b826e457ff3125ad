/**
 * Random programs over deliveries, recorders and their managers: what they are made of, how
 * fast-check generates them, and how a counterexample prints (as pseudo-code).
 */
import fc from 'fast-check';
import { describeProgram } from './describe-program.js';
import { SITES, TARGETS, siteOf, type Site, type TargetName } from './world.js';

/** A delivery of one target. */
export interface DeliverySpec {
  readonly kind: 'delivery';
  readonly target: TargetName;
  readonly maxKeepData: number;
  readonly overrideData: boolean;
}

/** A recorder of one target's outputs or inputs. */
export interface RecorderSpec {
  readonly kind: 'recorder';
  readonly target: TargetName;
  readonly part: 'outputs' | 'inputs';
}

/** A manager of some of the deliveries or recorders (indices into the actor list). */
export interface ManagerSpec {
  readonly kind: 'deliveryManager' | 'recorderManager';
  readonly members: readonly number[];
}

/** Anything with a scope. Actors are built on first use, maybe while others are entered. */
export type ActorSpec = DeliverySpec | RecorderSpec | ManagerSpec;

/** Calls the function at `site`; a failing call passes -1, so the original throws. */
export interface CallOp {
  readonly op: 'call';
  readonly site: Site;
  readonly x: number;
  readonly fail: boolean;
  /** If the call throws (or its awaited promise rejects), let the error end the body. */
  readonly rethrow: boolean;
  /** In async code, await the promise of `load` right away; otherwise it settles later. */
  readonly awaitNow: boolean;
  /** Call `tensors` inside `tf.tidy`, which then disposes what the call returned. */
  readonly tidy: boolean;
}

/** One step of a program. Actor indices are taken modulo the number of eligible actors. */
export type Op =
  | CallOp
  | { readonly op: 'enter'; readonly actor: number }
  | { readonly op: 'exit'; readonly via: 'scope' | 'owner'; readonly pick: number }
  | { readonly op: 'override'; readonly actor: number; readonly value: boolean }
  | { readonly op: 'clear'; readonly actor: number }
  | {
      readonly op: 'run';
      readonly actor: number;
      readonly async: boolean;
      readonly body: readonly Op[];
      /** Calls made outside the scope while an async run is pending. */
      readonly meanwhile: readonly CallOp[];
    }
  | { readonly op: 'using'; readonly actor: number; readonly body: readonly Op[] }
  | { readonly op: 'throw' }
  | { readonly op: 'await' };

/** A world of actors and the steps to run on it. */
export interface Program {
  readonly actors: readonly ActorSpec[];
  readonly ops: readonly Op[];
}

/** Where ops are generated: sync or async code, top level or inside a scope's body. */
interface Place {
  readonly async: boolean;
  readonly inBody: boolean;
}

const rarely = (): fc.Arbitrary<boolean> =>
  fc.oneof(
    { weight: 5, arbitrary: fc.constant(false) },
    { weight: 1, arbitrary: fc.constant(true) },
  );

function callArb(place: Place, meanwhile = false): fc.Arbitrary<CallOp> {
  return fc.record({
    op: fc.constant('call' as const),
    site: fc.constantFrom(...SITES),
    x: fc.nat({ max: 9 }),
    fail: rarely(),
    rethrow: place.inBody && !meanwhile ? rarely() : fc.constant(false),
    awaitNow: place.async && !meanwhile ? fc.boolean() : fc.constant(false),
    tidy: fc.boolean(),
  });
}

const actor = fc.nat({ max: 15 });

function opsArb(place: Place, depth: number, maxLength: number): fc.Arbitrary<Op[]> {
  const { async, inBody } = place;
  const choices: fc.WeightedArbitrary<Op>[] = [
    { weight: inBody ? 8 : 6, arbitrary: callArb(place) },
    { weight: inBody ? 1 : 3, arbitrary: fc.record({ op: fc.constant('enter' as const), actor }) },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant('exit' as const),
        via: fc.oneof(
          { weight: 3, arbitrary: fc.constant('scope' as const) },
          { weight: 1, arbitrary: fc.constant('owner' as const) },
        ),
        pick: fc.nat({ max: 15 }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({ op: fc.constant('override' as const), actor, value: fc.boolean() }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('clear' as const), actor }) },
  ];
  if (depth > 0) {
    const syncBody = opsArb({ async: false, inBody: true }, depth - 1, 5);
    const syncRun = fc.record({
      op: fc.constant('run' as const),
      actor,
      async: fc.constant(false),
      body: syncBody,
      meanwhile: fc.constant([]),
    });
    const asyncRun = fc.record({
      op: fc.constant('run' as const),
      actor,
      async: fc.constant(true),
      body: opsArb({ async: true, inBody: true }, depth - 1, 5),
      meanwhile: fc.array(callArb(place, true), { maxLength: 2 }),
    });
    choices.push(
      { weight: 2, arbitrary: syncRun },
      { weight: async ? 2 : 0, arbitrary: asyncRun },
      {
        weight: 1,
        arbitrary: fc.record({ op: fc.constant('using' as const), actor, body: syncBody }),
      },
    );
  }
  if (inBody) choices.push({ weight: 1, arbitrary: fc.constant({ op: 'throw' as const }) });
  if (async) choices.push({ weight: 1, arbitrary: fc.constant({ op: 'await' as const }) });
  // size 'max': lengths spread evenly up to maxLength, rather than mostly short.
  return fc.array(fc.oneof(...choices.filter((c) => c.weight > 0)), { maxLength, size: 'max' });
}

/**
 * Points every actor and call at the targets in `focus`, so that most calls meet the actors.
 * Calls on A and on B both stay when either of A's or B's `forward` is in focus.
 */
function aim(focus: readonly TargetName[]): (ops: readonly Op[]) => Op[] {
  const sites = new Set<Site>(focus.map(siteOf));
  if (sites.has('onA') || sites.has('onB')) sites.add('onA').add('onB');
  const near = [...sites];
  const retarget = (op: CallOp): CallOp =>
    sites.has(op.site) ? op : { ...op, site: near[SITES.indexOf(op.site) % near.length]! };
  const walk = (ops: readonly Op[]): Op[] =>
    ops.map((op) => {
      if (op.op === 'call') return retarget(op);
      if (op.op === 'using') return { ...op, body: walk(op.body) };
      if (op.op === 'run')
        return { ...op, body: walk(op.body), meanwhile: op.meanwhile.map(retarget) };
      return op;
    });
  return walk;
}

const deliveryArb: fc.Arbitrary<DeliverySpec> = fc.record({
  kind: fc.constant('delivery' as const),
  target: fc.constantFrom(...TARGETS),
  maxKeepData: fc.integer({ min: 1, max: 4 }),
  overrideData: rarely(),
});

const recorderArb: fc.Arbitrary<RecorderSpec> = fc.record({
  kind: fc.constant('recorder' as const),
  target: fc.constantFrom(...TARGETS),
  part: fc.constantFrom('outputs' as const, 'inputs' as const),
});

const membersArb = fc.option(fc.uniqueArray(fc.nat({ max: 3 }), { minLength: 1, maxLength: 3 }), {
  nil: undefined,
});

/** Lays the actors out as deliveries, recorders, then managers whose members exist. */
function layout(
  deliveries: readonly DeliverySpec[],
  recorders: readonly RecorderSpec[],
  dm: readonly number[] | undefined,
  rm: readonly number[] | undefined,
): ActorSpec[] {
  const actors: ActorSpec[] = [...deliveries, ...recorders];
  const pick = (raw: readonly number[], count: number, offset: number): number[] => [
    ...new Set(raw.map((i) => offset + (i % count))),
  ];
  if (dm !== undefined) {
    actors.push({ kind: 'deliveryManager', members: pick(dm, deliveries.length, 0) });
  }
  if (rm !== undefined && recorders.length > 0) {
    actors.push({
      kind: 'recorderManager',
      members: pick(rm, recorders.length, deliveries.length),
    });
  }
  return actors;
}

/** Random programs of up to `maxOps` top-level steps, bodies nested two deep. */
export function programArb(maxOps: number): fc.Arbitrary<Program> {
  return fc
    .record({
      focus: fc.uniqueArray(fc.constantFrom(...TARGETS), { minLength: 1, maxLength: 3 }),
      deliveries: fc.array(deliveryArb, { minLength: 1, maxLength: 4 }),
      recorders: fc.array(recorderArb, { maxLength: 3 }),
      dm: membersArb,
      rm: membersArb,
      ops: opsArb({ async: true, inBody: false }, 2, maxOps),
    })
    .map(({ focus: picked, deliveries, recorders, dm, rm, ops }) => {
      // A's and B's forward come together: calls on a B pass through both.
      const focus = picked.some((t) => t === 'forward' || t === 'inherited')
        ? [...new Set<TargetName>([...picked, 'forward', 'inherited'])]
        : picked;
      const onFocus = <S extends DeliverySpec | RecorderSpec>(spec: S): S => ({
        ...spec,
        target: focus[TARGETS.indexOf(spec.target) % focus.length]!,
      });
      const program: Program = {
        actors: layout(deliveries.map(onFocus), recorders.map(onFocus), dm, rm),
        ops: aim(focus)(ops),
      };
      return Object.assign(program, { [fc.toStringMethod]: () => describeProgram(program) });
    });
}
