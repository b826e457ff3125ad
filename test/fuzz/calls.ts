/**
 * Makes the calls of a fuzzed program and checks each against the model: what it returned or
 * threw, and for a promise, how it settled.
 */
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { assertError, assertSettled } from './checks.js';
import type { Context, Model, ModelValue, Outcome } from './model.js';
import type { CallOp } from './program.js';
import { disposeOutput, type World } from './world.js';

type Settlement = { ok: true; value: unknown } | { ok: false; error: unknown };

/** See the module comment. */
export class Calls {
  private pending: Promise<void>[] = [];

  /**
   * @param world - The targets.
   * @param model - The model, which predicts each call.
   * @param end - Throws an error to end the current body (for calls that let errors through).
   */
  constructor(
    private readonly world: World,
    private readonly model: Model,
    private readonly end: (error: unknown) => never,
  ) {}

  /** A call; a promise (from `load`) is checked when it settles, see {@link Calls.settle}. */
  call(op: CallOp, context: Context, when: string): void {
    const x = op.fail ? -1 : op.x;
    const expected = this.model.call(op.site, x, context);
    const what = `${when}, ${op.site}(${x})`;
    const invoke = (): void => {
      let value: unknown;
      try {
        value = this.world.call(op.site, x);
      } catch (error) {
        this.expectThrow(expected, error, what);
        if (op.rethrow) this.end(error);
        return;
      }
      const returned = this.expectReturn(expected, what);
      if (returned.sync) {
        this.world.assertOutput(op.site, value, returned.id, what);
        if (!op.tidy) disposeOutput(value);
        return;
      }
      assert.ok(value instanceof Promise, `${what}: expected a promise`);
      const check = (got: Settlement): void =>
        assertSettled(this.world, op.site, returned.settled, got, what);
      const checked = value.then(
        (v: unknown) => check({ ok: true, value: v }),
        (e: unknown) => check({ ok: false, error: e }),
      );
      // Observed now, so a failure surfaces in settle() and never as an unhandled rejection.
      checked.catch(() => undefined);
      this.pending.push(checked);
    };
    // In tf.tidy, the tensors a call returns are disposed by tidy rather than by the test.
    if (op.tidy && op.site === 'tensors') tf.tidy(invoke);
    else invoke();
  }

  /** A call of `load` whose promise is awaited right away. */
  async awaitCall(op: CallOp, context: Context, when: string): Promise<void> {
    const x = op.fail ? -1 : op.x;
    const expected = this.model.call(op.site, x, context);
    const what = `${when}, await ${op.site}(${x})`;
    let promise: unknown;
    try {
      promise = this.world.call(op.site, x);
    } catch (error) {
      this.expectThrow(expected, error, what);
      if (op.rethrow) this.end(error);
      return;
    }
    const returned = this.expectReturn(expected, what);
    assert.ok(!returned.sync && promise instanceof Promise, `${what}: expected a promise`);
    let got: Settlement;
    try {
      got = { ok: true, value: await promise };
    } catch (error) {
      got = { ok: false, error };
    }
    assertSettled(this.world, op.site, returned.settled, got, what);
    if (!got.ok && op.rethrow) this.end(got.error);
  }

  /** Waits until every promise received so far settled, and fails if one settled wrongly. */
  async settle(): Promise<void> {
    while (this.pending.length > 0) {
      const pending = this.pending;
      this.pending = [];
      await Promise.all(pending);
    }
  }

  /** Waits until every promise received so far settled, however (after a failure). */
  async drain(): Promise<void> {
    await Promise.allSettled(this.pending);
  }

  private expectThrow(expected: Outcome, error: unknown, what: string): void {
    if ('threw' in expected) assertError(error, expected.threw, what);
    else assert.fail(`${what}: expected a return, got ${String(error)}`);
  }

  private expectReturn(expected: Outcome, what: string): ModelValue {
    if ('threw' in expected) {
      assert.fail(`${what}: expected ${expected.threw}, but the call returned`);
    }
    return expected.returned;
  }
}
