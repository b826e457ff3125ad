/**
 * Runs a fuzzed program on real deliveries, recorders and managers in lockstep with the model,
 * and checks after every step that both agree.
 */
import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import * as tf from '@tensorflow/tfjs';
import type { Scope } from '../../src/index.js';
import { buildActor, clearActor, setOverride, type RealActor } from './actors.js';
import { Calls } from './calls.js';
import { assertError, assertRecords, assertState, assertTargets } from './checks.js';
import { pickActor, switchable } from './describe-program.js';
import { Model, type Context, type Handle, type RunScope } from './model.js';
import type { CallOp, Op, Program } from './program.js';
import { Tally } from './tally.js';
import { TARGETS, siteOf, World } from './world.js';

type RunOp = Extract<Op, { op: 'run' }>;
type UsingOp = Extract<Op, { op: 'using' }>;

/** The error of a `throw` step. */
class BodyFailure extends Error {
  constructor() {
    super('body fails');
  }
}

/** See the module comment. */
export class Interpreter {
  private readonly world = new World();
  private readonly model: Model;
  private readonly actors: (RealActor | undefined)[];
  private readonly scopes: { readonly real: Scope; readonly handle: Handle }[] = [];
  private readonly calls: Calls;
  /** The error a step threw on purpose to end its body; the enclosing run or using expects it. */
  private ending: unknown = undefined;
  private readonly baseline = tf.memory().numTensors;
  private step = 0;

  /**
   * @param program - What to run.
   * @param tally - Counts what the program exercised.
   */
  constructor(
    private readonly program: Program,
    private readonly tally: Tally = new Tally(),
  ) {
    this.model = new Model(program.actors, tally);
    this.calls = new Calls(this.world, this.model, (error) => this.end(error));
    this.actors = program.actors.map(() => undefined);
  }

  /** Runs the program, then exits everything, replays what is queued, and clears everything. */
  async run(): Promise<void> {
    // From here on, entered scopes stay in this function's own async context.
    await tick();
    const context: Context = new Set();
    try {
      await this.execAsync(this.program.ops, context, true);
      await this.finish(context);
    } finally {
      await this.calls.drain();
      this.cleanUp();
    }
  }

  private get when(): string {
    return `step ${this.step}`;
  }

  /** The actor at `index`, built on first use (maybe while other actors are entered). */
  private actor(index: number): RealActor {
    const built = this.actors[index];
    if (built !== undefined) return built;
    if (TARGETS.some((t) => this.model.isAttached(t))) this.tally.add('built while patched');
    const actor = buildActor(this.world, this.program.actors[index]!, (i) => this.actor(i));
    this.actors[index] = actor;
    return actor;
  }

  private async execAsync(ops: readonly Op[], context: Context, top: boolean): Promise<void> {
    for (const op of ops) {
      this.step++;
      if (op.op === 'await') await tick();
      else if (op.op === 'run' && op.async) await this.runAsync(op, context);
      else if (op.op === 'call' && op.site === 'load' && op.awaitNow) {
        await this.calls.awaitCall(op, context, this.when);
      } else this.exec(op, context);
      this.checkState();
      if (top) {
        await this.calls.settle();
        assertRecords(this.world, this.model, this.actors, this.when);
      }
    }
  }

  private execSync(ops: readonly Op[], context: Context): void {
    for (const op of ops) {
      this.step++;
      this.exec(op, context);
      this.checkState();
    }
  }

  private checkState(): void {
    assertState(this.world, this.model, this.actors, this.baseline, this.when);
  }

  /** Throws `error` to end the current body; the enclosing run or using catches it. */
  private end(error: unknown): never {
    this.ending = error;
    throw error;
  }

  private caught(error: unknown): void {
    if (error !== this.ending) throw error;
    this.ending = undefined;
    this.tally.add('bodies ended by an error');
  }

  private exec(op: Op, context: Context): void {
    switch (op.op) {
      case 'call':
        this.calls.call(op, context, this.when);
        break;
      case 'enter':
        this.enter(pickActor(this.program.actors, op.actor), context);
        break;
      case 'exit':
        this.exit(op);
        break;
      case 'override': {
        const targets = switchable(this.program.actors);
        if (targets.length === 0) break;
        const i = targets[op.actor % targets.length]!;
        setOverride(this.actor(i), op.value);
        this.model.setOverride(this.model.actors[i]!, op.value);
        break;
      }
      case 'clear': {
        const i = pickActor(this.program.actors, op.actor);
        clearActor(this.actor(i));
        this.model.clear(this.model.actors[i]!);
        break;
      }
      case 'run':
        this.runSync(op, context);
        break;
      case 'using':
        this.using(op, context);
        break;
      case 'throw':
        this.end(new BodyFailure());
        break;
      case 'await':
        break;
    }
  }

  private enter(index: number, context: Context): void {
    const expected = this.model.enter(this.model.actors[index]!, context);
    this.tally.add(expected === 'ALREADY_ENTERED' ? expected : 'entered');
    let scope: Scope;
    try {
      scope = this.actor(index).real.enter();
    } catch (error) {
      assertError(
        error,
        expected === 'ALREADY_ENTERED' ? expected : 'no error',
        `${this.when}, enter`,
      );
      return;
    }
    assert.notEqual(expected, 'ALREADY_ENTERED', `${this.when}: entering twice did not throw`);
    this.scopes.push({ real: scope, handle: expected as Handle });
  }

  private exit(op: Extract<Op, { op: 'exit' }>): void {
    if (op.via === 'scope') {
      const scope = this.scopes[op.pick % Math.max(1, this.scopes.length)];
      if (scope === undefined) return;
      this.tally.add('scopes exited');
      this.model.exitHandle(scope.handle);
      scope.real.exit();
      return;
    }
    const index = pickActor(this.program.actors, op.pick);
    const expected = this.model.exitOwner(this.model.actors[index]!);
    this.tally.add(expected ?? 'exited');
    try {
      this.actor(index).real.exit();
    } catch (error) {
      assertError(error, expected ?? 'no error', `${this.when}, exit`);
      return;
    }
    assert.equal(expected, undefined, `${this.when}: exiting while not entered did not throw`);
  }

  private runSync(op: RunOp, context: Context): void {
    const at = this.when;
    const actor = this.actor(pickActor(this.program.actors, op.actor));
    const scope = this.model.openRun(
      this.model.actors[pickActor(this.program.actors, op.actor)]!,
      context,
    );
    this.tally.add(scope === 'ALREADY_ENTERED' ? scope : 'runs');
    let called = false;
    try {
      actor.real.run(() => {
        called = true;
        if (scope !== 'ALREADY_ENTERED') this.execSync(op.body, scope.context);
      });
    } catch (error) {
      if (scope === 'ALREADY_ENTERED' && !called) assertError(error, scope, `${at}, run`);
      else this.caught(error);
      return;
    } finally {
      if (scope !== 'ALREADY_ENTERED') this.model.closeRun(scope);
    }
    assert.notEqual(scope, 'ALREADY_ENTERED', `${at}: run while entered did not throw`);
  }

  private async runAsync(op: RunOp, context: Context): Promise<void> {
    const at = this.when;
    const index = pickActor(this.program.actors, op.actor);
    const actor = this.actor(index);
    const scope: RunScope | 'ALREADY_ENTERED' = this.model.openRun(
      this.model.actors[index]!,
      context,
    );
    this.tally.add(scope === 'ALREADY_ENTERED' ? scope : 'async runs');
    let called = false;
    let promise: Promise<void> | undefined;
    try {
      promise = actor.real.run(async () => {
        called = true;
        await tick();
        if (scope !== 'ALREADY_ENTERED') await this.execAsync(op.body, scope.context, false);
      });
    } catch (error) {
      if (scope !== 'ALREADY_ENTERED' || called) throw error;
      assertError(error, scope, `${at}, run`);
    }
    assert.ok(
      scope !== 'ALREADY_ENTERED' || promise === undefined,
      `${at}: run while entered did not throw`,
    );
    // Concurrent calls outside the scope, while it is open. If one fails, the body still
    // finishes before the failure propagates, so nothing runs after the program ends.
    let failure: { error: unknown } | undefined;
    try {
      for (const call of op.meanwhile) {
        this.calls.call(call, context, `${at}, outside the run`);
        this.checkState();
      }
    } catch (error) {
      failure = { error };
    }
    if (promise !== undefined && scope !== 'ALREADY_ENTERED') {
      try {
        await promise;
      } catch (error) {
        if (failure === undefined) this.caught(error);
      } finally {
        this.model.closeRun(scope);
      }
    }
    if (failure !== undefined) throw failure.error;
  }

  private using(op: UsingOp, context: Context): void {
    const at = this.when;
    const index = pickActor(this.program.actors, op.actor);
    const actor = this.actor(index);
    const handle = this.model.enter(this.model.actors[index]!, context);
    this.tally.add(handle === 'ALREADY_ENTERED' ? handle : 'using blocks');
    try {
      using _scope = actor.real.enter();
      assert.notEqual(
        handle,
        'ALREADY_ENTERED',
        `${at}: using enter() while entered did not throw`,
      );
      this.execSync(op.body, context);
    } catch (error) {
      if (handle === 'ALREADY_ENTERED') assertError(error, handle, `${at}, using`);
      else this.caught(error);
    } finally {
      if (handle !== 'ALREADY_ENTERED') this.model.exitHandle(handle);
    }
  }

  private async finish(context: Context): Promise<void> {
    this.model.actors.forEach((m, i) => {
      const a = this.actors[i];
      if (a === undefined || !this.model.isEntered(m)) return;
      this.model.exitOwner(m);
      a.real.exit();
    });
    this.checkState();
    assertTargets(this.world, this.model, 'once everything exited');
    await this.calls.settle();
    assertRecords(this.world, this.model, this.actors, 'once everything exited');
    // Replay everything still queued, each delivery alone: FIFO order, nothing lost.
    for (const [i, m] of this.model.actors.entries()) {
      const a = this.actors[i];
      if (a?.kind !== 'delivery' || !('queue' in m)) continue;
      a.real.overrideData = true;
      this.model.setOverride(m, true);
      while (m.queue.length > 0) {
        const site = siteOf(m.spec.target);
        const call: CallOp = {
          op: 'call',
          site,
          x: 0,
          fail: false,
          rethrow: false,
          awaitNow: true,
          tidy: false,
        };
        await this.runAsync(
          { op: 'run', actor: i, async: true, body: [call], meanwhile: [] },
          context,
        );
        this.checkState();
      }
    }
    for (const [i, m] of this.model.actors.entries()) {
      const a = this.actors[i];
      if (a === undefined) continue;
      this.model.clear(m);
      clearActor(a);
    }
    this.checkState();
    assert.equal(tf.memory().numTensors, this.baseline, 'tensors left after clearing everything');
  }

  /** After a failure: exit and clear whatever is left, so later programs start clean. */
  private cleanUp(): void {
    for (const a of this.actors) {
      if (a === undefined) continue;
      try {
        if (a.real.isEntered) a.real.exit();
        clearActor(a);
      } catch {
        // Keep the first failure.
      }
    }
  }
}
