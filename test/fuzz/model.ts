/**
 * A reference model of deliveries, recorders and managers: what each call should return or
 * throw, what each queue and buffer should hold, and which targets should be patched.
 *
 * Scopes are modelled like the async context that carries them: a context is a set of open
 * activations; `run` gives its body a copy with its own activation added, `enter` adds one to
 * the current context. An interceptor acts on a call if its activation is open and in the
 * caller's context.
 */
import type { ActorSpec, DeliverySpec, ManagerSpec, RecorderSpec } from './program.js';
import type { Tally } from './tally.js';
import type { OriginalName, Site, TargetName } from './world.js';

/** Why a modelled call fails. */
export type CallError = 'ORIGINAL' | 'QUEUE_FULL' | 'QUEUE_EMPTY' | 'RECORDED_CALL_FAILED';

/** How a modelled promise settles. */
export type Settled =
  { readonly ok: true; readonly id: number } | { readonly ok: false; readonly error: CallError };

/** What a modelled call returns: an output (sync) or a promise of one. */
export type ModelValue =
  | { readonly sync: true; readonly id: number }
  | { readonly sync: false; readonly settled: Settled };

/** The expected result of one call. */
export type Outcome = { readonly threw: CallError } | { readonly returned: ModelValue };

/** One record of a recorder: an output (the id), a rejected async call, or the arguments. */
export type RecordItem =
  | { readonly kind: 'output'; readonly id: number }
  | { readonly kind: 'rejected' }
  | { readonly kind: 'input'; readonly x: number };

/** The modelled state of a delivery. */
export interface ModelDelivery {
  readonly spec: DeliverySpec;
  overrideData: boolean;
  queue: ModelValue[];
  activation: number | undefined;
}

/** The modelled state of a recorder. */
export interface ModelRecorder {
  readonly spec: RecorderSpec;
  buffer: RecordItem[];
  activation: number | undefined;
}

type Member = ModelDelivery | ModelRecorder;

/** The modelled state of a manager: the activations its `enter()` opened, if open. */
export interface ModelGroup {
  readonly spec: ManagerSpec;
  readonly members: readonly Member[];
  open: { readonly activations: readonly number[] } | undefined;
}

/** Any modelled actor. */
export type ModelActor = Member | ModelGroup;

/** A modelled async context: the open activations it carries. */
export type Context = Set<number>;

/** What `enter()` handed out, to exit it later. */
export type Handle =
  | { readonly member: Member; readonly activation: number }
  | { readonly group: ModelGroup; readonly entry: NonNullable<ModelGroup['open']> };

/** A run's scope: the body's context and the activations to close afterwards. */
export interface RunScope {
  readonly context: Context;
  readonly activations: readonly number[];
}

/** A modelled call's failure, unwinding the modelled chain like the real error. */
class Throw extends Error {
  constructor(readonly kind: CallError) {
    super(kind);
  }
}

/** Whether `actor` is a delivery or a recorder (not a manager). */
export function isMember(actor: ModelActor): actor is Member {
  return 'activation' in actor;
}

/** See the module comment. */
export class Model {
  nextId = 0;
  readonly calls: Record<OriginalName, number> = { compute: 0, load: 0, tensors: 0, forward: 0 };
  readonly actors: readonly ModelActor[];
  private nextActivation = 0;
  private readonly owners = new Map<number, Member>();
  /** Attached interceptors per target, in attach order. */
  private readonly attached = new Map<TargetName, { member: Member; activation: number }[]>();

  /**
   * @param specs - The program's actors.
   * @param tally - Counts what the calls exercised.
   */
  constructor(
    specs: readonly ActorSpec[],
    private readonly tally?: Tally,
  ) {
    const actors: ModelActor[] = [];
    for (const spec of specs) {
      if (spec.kind === 'delivery') {
        actors.push({ spec, overrideData: spec.overrideData, queue: [], activation: undefined });
      } else if (spec.kind === 'recorder') {
        actors.push({ spec, buffer: [], activation: undefined });
      } else {
        const members = spec.members.map((i) => actors[i] as Member);
        actors.push({ spec, members, open: undefined });
      }
    }
    this.actors = actors;
  }

  /** Whether an interceptor of `target` is attached (so the wrapper is installed). */
  isAttached(target: TargetName): boolean {
    return (this.attached.get(target)?.length ?? 0) > 0;
  }

  /** Whether `actor` has an open scope (for a manager: its `enter()` scope). */
  isEntered(actor: ModelActor): boolean {
    return isMember(actor) ? actor.activation !== undefined : actor.open !== undefined;
  }

  /** `enter()`: a handle, or the error it throws. */
  enter(actor: ModelActor, context: Context): Handle | 'ALREADY_ENTERED' {
    if (isMember(actor)) {
      if (actor.activation !== undefined) return 'ALREADY_ENTERED';
      return { member: actor, activation: this.open(actor, context) };
    }
    if (actor.open !== undefined) return 'ALREADY_ENTERED';
    const activations = this.openAll(actor.members, context);
    if (activations === undefined) return 'ALREADY_ENTERED';
    actor.open = { activations };
    return { group: actor, entry: actor.open };
  }

  /** `scope.exit()` on a handle from {@link Model.enter}; idempotent. */
  exitHandle(handle: Handle): void {
    if ('member' in handle) {
      this.close(handle.activation);
    } else if (handle.group.open === handle.entry) {
      handle.group.open = undefined;
      this.closeAll(handle.entry.activations);
    }
  }

  /** `actor.exit()`: nothing, or the error it throws. */
  exitOwner(actor: ModelActor): 'NOT_ENTERED' | undefined {
    if (isMember(actor)) {
      if (actor.activation === undefined) return 'NOT_ENTERED';
      this.close(actor.activation);
      return undefined;
    }
    if (actor.open === undefined) return 'NOT_ENTERED';
    this.exitHandle({ group: actor, entry: actor.open });
    return undefined;
  }

  /** Opens the scope of `actor.run(fn)`, or returns the error it throws before calling `fn`. */
  openRun(actor: ModelActor, context: Context): RunScope | 'ALREADY_ENTERED' {
    const inner = new Set(context);
    if (isMember(actor)) {
      if (actor.activation !== undefined) return 'ALREADY_ENTERED';
      return { context: inner, activations: [this.open(actor, inner)] };
    }
    if (actor.open !== undefined) return 'ALREADY_ENTERED';
    const activations = this.openAll(actor.members, inner);
    return activations === undefined ? 'ALREADY_ENTERED' : { context: inner, activations };
  }

  /** Closes a run's scope once its body returned, threw or settled. */
  closeRun(scope: RunScope): void {
    this.closeAll(scope.activations);
  }

  /** Sets `overrideData` of a delivery, or of every member of a delivery manager. */
  setOverride(actor: ModelActor, value: boolean): void {
    for (const m of isMember(actor) ? [actor] : actor.members) {
      if ('queue' in m) m.overrideData = value;
    }
  }

  /** `clear()` of deliveries, `reset()` of recorders, and of every member of a manager. */
  clear(actor: ModelActor): void {
    for (const m of isMember(actor) ? [actor] : actor.members) {
      if ('queue' in m) m.queue = [];
      else m.buffer = [];
    }
  }

  /** How many `tensors` outputs the deliveries and recorders hold (two tensors each). */
  heldTensorOutputs(): number {
    let n = 0;
    for (const a of this.actors) {
      if (!isMember(a) || a.spec.target !== 'tensors') continue;
      n += 'queue' in a ? a.queue.length : a.buffer.filter((r) => r.kind === 'output').length;
    }
    return n;
  }

  /** A call at `site` with argument `x` from `context`: what it returns or throws. */
  call(site: Site, x: number, context: Context): Outcome {
    const targets: TargetName[] =
      site === 'onB' ? ['inherited', 'forward'] : site === 'onA' ? ['forward'] : [site];
    const chain = targets.flatMap((t) => this.active(t, context));
    this.tally?.add('calls');
    if (chain.length === 0 && targets.some((t) => this.isAttached(t))) {
      this.tally?.add('outside a patched scope');
    }
    if (chain.length > 0) this.tally?.add('intercepted');
    if (chain.length > 1) this.tally?.add('through 2+ interceptors');
    if (site === 'onB' && this.active('inherited', context).length > 0) {
      if (this.active('forward', context).length > 0) this.tally?.add('through subclass and base');
    }
    try {
      return { returned: this.proceed(chain, 0, site, x) };
    } catch (error) {
      if (error instanceof Throw) return { threw: error.kind };
      throw error;
    }
  }

  private active(target: TargetName, context: Context): Member[] {
    const entries = (this.attached.get(target) ?? []).filter((e) => context.has(e.activation));
    const members = entries.map((e) => e.member);
    // Recorders (observers) sit outside deliveries (substitutes), each in attach order.
    return [...members.filter((m) => !('queue' in m)), ...members.filter((m) => 'queue' in m)];
  }

  private proceed(chain: readonly Member[], i: number, site: Site, x: number): ModelValue {
    const m = chain[i];
    if (m === undefined) return this.original(site, x);
    if (!('queue' in m)) {
      if (m.spec.part === 'inputs') {
        m.buffer.push({ kind: 'input', x });
        return this.proceed(chain, i + 1, site, x);
      }
      const value = this.proceed(chain, i + 1, site, x);
      const id = value.sync ? value.id : value.settled.ok ? value.settled.id : undefined;
      m.buffer.push(id === undefined ? { kind: 'rejected' } : { kind: 'output', id });
      return value;
    }
    if (!m.overrideData) {
      if (m.queue.length >= m.spec.maxKeepData) throw this.fail('QUEUE_FULL');
      const value = this.proceed(chain, i + 1, site, x);
      m.queue.push(value);
      this.tally?.add('recorded');
      return value;
    }
    const item = m.queue.shift();
    if (item === undefined) throw this.fail('QUEUE_EMPTY');
    this.tally?.add('replayed');
    if (item.sync || item.settled.ok) return item;
    return { sync: false, settled: { ok: false, error: 'RECORDED_CALL_FAILED' } };
  }

  private original(site: Site, x: number): ModelValue {
    const name: OriginalName = site === 'onA' || site === 'onB' ? 'forward' : site;
    this.calls[name]++;
    if (site === 'load') {
      if (x < 0) this.tally?.add('original failed');
      return {
        sync: false,
        settled: x < 0 ? { ok: false, error: 'ORIGINAL' } : { ok: true, id: this.nextId++ },
      };
    }
    if (x < 0) throw this.fail('ORIGINAL');
    return { sync: true, id: this.nextId++ };
  }

  private fail(error: CallError): Throw {
    this.tally?.add(error === 'ORIGINAL' ? 'original failed' : error);
    return new Throw(error);
  }

  private open(member: Member, context: Context): number {
    const activation = this.nextActivation++;
    if (!('queue' in member)) member.buffer = [];
    member.activation = activation;
    this.owners.set(activation, member);
    const list = this.attached.get(member.spec.target) ?? [];
    list.push({ member, activation });
    this.attached.set(member.spec.target, list);
    context.add(activation);
    return activation;
  }

  /** Opens every member in order; if one is entered, closes the others again. */
  private openAll(members: readonly Member[], context: Context): number[] | undefined {
    const activations: number[] = [];
    for (const m of members) {
      if (m.activation !== undefined) {
        this.closeAll(activations);
        return undefined;
      }
      activations.push(this.open(m, context));
    }
    return activations;
  }

  private close(activation: number): void {
    const member = this.owners.get(activation);
    if (member === undefined || member.activation !== activation) return;
    member.activation = undefined;
    const list = this.attached.get(member.spec.target) ?? [];
    this.attached.set(
      member.spec.target,
      list.filter((e) => e.activation !== activation),
    );
  }

  private closeAll(activations: readonly number[]): void {
    for (let i = activations.length - 1; i >= 0; i--) this.close(activations[i]!);
  }
}
