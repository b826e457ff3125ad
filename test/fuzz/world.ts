/**
 * The targets that fuzzed programs intercept, made fresh for every program: three functions on
 * one object (a plain one, an async one, one returning tensors), a class method, and the same
 * method inherited by a subclass. Every original counts its calls and registers what it made,
 * so a test can tell a replayed output from a freshly computed one.
 */
import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import * as tf from '@tensorflow/tfjs';

/** The intercepted properties: `ops.compute`, `ops.load`, `ops.tensors`, `A.prototype.forward`, and `forward` on `B.prototype` (inherited from A). */
export const TARGETS = ['compute', 'load', 'tensors', 'forward', 'inherited'] as const;

/** See {@link TARGETS}. */
export type TargetName = (typeof TARGETS)[number];

/** Where a program calls: the three functions of `ops`, `forward` on an A and on a B. */
export const SITES = ['compute', 'load', 'tensors', 'onA', 'onB'] as const;

/** See {@link SITES}. */
export type Site = (typeof SITES)[number];

/** The functions whose calls are counted (A's `forward` serves both method sites). */
export type OriginalName = 'compute' | 'load' | 'tensors' | 'forward';

/** What `compute`, `load` and `forward` produce: a fresh object per successful call. */
export interface Output {
  readonly id: number;
  readonly x: number;
}

/** What `tensors` produces: tensors nested in an array and a plain object. */
export type TensorOutput = [tf.Scalar, { t: tf.Tensor1D; n: number }];

/** The error an original throws (or rejects with) when called with a negative argument. */
export class OriginalFailure extends Error {
  constructor(name: string) {
    super(`${name} failed`);
    this.name = 'OriginalFailure';
  }
}

/** One intercepted property and how it looked before anything patched it. */
export interface TargetInfo {
  readonly owner: object;
  readonly key: string;
  readonly original: (...args: never[]) => unknown;
  /** Its own descriptor on `owner`, undefined when inherited. */
  readonly descriptor: PropertyDescriptor | undefined;
}

/** The object holding the three function targets. */
export interface Ops {
  compute(x: number): Output;
  load(x: number): Promise<Output>;
  tensors(x: number): TensorOutput;
}

/** A class whose `forward` is the method target. */
export interface ForwardClass {
  new (): { forward(x: number): Output };
  readonly prototype: { forward(x: number): Output };
}

/** The site of the calls that reach each target's own wrapper. */
export function siteOf(target: TargetName): Site {
  if (target === 'forward') return 'onA';
  if (target === 'inherited') return 'onB';
  return target;
}

/** Fresh targets and the record of what their originals did. */
export class World {
  /** The id of the next output an original makes (shared by all of them). */
  nextId = 0;
  /** How often each original ran, failures included. */
  readonly calls: Record<OriginalName, number> = { compute: 0, load: 0, tensors: 0, forward: 0 };
  /** Every output made, by id, and the argument it was made from. */
  readonly outputs = new Map<number, Output>();
  readonly ops: Ops;
  readonly A: ForwardClass;
  readonly B: ForwardClass;
  readonly targets: Readonly<Record<TargetName, TargetInfo>>;

  constructor() {
    const make = (x: number): Output => {
      const out = { id: this.nextId++, x };
      this.outputs.set(out.id, out);
      return out;
    };
    const calls = this.calls;
    this.ops = {
      compute(x) {
        calls.compute++;
        if (x < 0) throw new OriginalFailure('compute');
        return make(x);
      },
      async load(x) {
        calls.load++;
        const out = x < 0 ? undefined : make(x);
        await tick();
        if (out === undefined) throw new OriginalFailure('load');
        return out;
      },
      tensors(x) {
        calls.tensors++;
        if (x < 0) throw new OriginalFailure('tensors');
        const { id } = make(x);
        return [tf.scalar(id), { t: tf.tensor1d([id, x]), n: id }];
      },
    };
    // Vary the descriptors that restore must reproduce: `load` is not enumerable, and
    // `tensors` cannot be reconfigured (only reassigned).
    Object.defineProperty(this.ops, 'load', { enumerable: false });
    Object.defineProperty(this.ops, 'tensors', { configurable: false });
    class A {
      forward(x: number): Output {
        calls.forward++;
        if (x < 0) throw new OriginalFailure('forward');
        return make(x);
      }
    }
    class B extends A {}
    this.A = A;
    this.B = B;
    const info = (owner: object, key: string, definer: object = owner): TargetInfo => ({
      owner,
      key,
      original: Reflect.get(definer, key) as TargetInfo['original'],
      descriptor: Object.getOwnPropertyDescriptor(owner, key),
    });
    this.targets = {
      compute: info(this.ops, 'compute'),
      load: info(this.ops, 'load'),
      tensors: info(this.ops, 'tensors'),
      forward: info(A.prototype, 'forward'),
      inherited: info(B.prototype, 'forward', A.prototype),
    };
  }

  /** Calls the function at `site` as a program would. */
  call(site: Site, x: number): unknown {
    switch (site) {
      case 'compute':
        return this.ops.compute(x);
      case 'load':
        return this.ops.load(x);
      case 'tensors':
        return this.ops.tensors(x);
      case 'onA':
        return new this.A().forward(x);
      case 'onB':
        return new this.B().forward(x);
    }
  }

  /**
   * Asserts that `value`, received from `site` (or held by a recorder of it), is output `id`:
   * the very object its original made, or for tensors, tensors with its values.
   */
  assertOutput(site: Site, value: unknown, id: number, what: string): void {
    const made = this.outputs.get(id);
    assert.ok(made !== undefined, `${what}: the model expects output #${id}, which was never made`);
    if (site !== 'tensors') {
      const got = (value as Partial<Output> | undefined)?.id;
      assert.ok(value === made, `${what}: expected output #${id}, got #${String(got)}`);
      return;
    }
    assert.ok(Array.isArray(value) && value.length === 2, `${what}: not a [scalar, { t, n }] pair`);
    const [scalar, rest] = value as TensorOutput;
    assert.ok(scalar instanceof tf.Tensor && rest.t instanceof tf.Tensor, `${what}: not tensors`);
    assert.ok(!scalar.isDisposed && !rest.t.isDisposed, `${what}: holds a disposed tensor`);
    const got = scalar.dataSync()[0];
    assert.equal(got, id, `${what}: expected output #${id}, got #${String(got)}`);
    assert.deepEqual(Array.from(rest.t.dataSync()), [id, made.x], `${what}: wrong tensor values`);
    assert.equal(rest.n, id, `${what}: wrong plain number next to the tensors`);
  }
}

/** Disposes the tensors of a received `tensors` output. */
export function disposeOutput(value: unknown): void {
  if (!Array.isArray(value)) return;
  const [scalar, rest] = value as TensorOutput;
  scalar.dispose();
  rest.t.dispose();
}
