import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  FunctionOutputsDelivery,
  FunctionOutputsRecorder,
  MethodOutputsDelivery,
  MethodOutputsRecorder,
  isPatched,
} from '../../src/index.js';
import { distillError, snapshot } from '../helpers/errors.js';

interface Forward {
  forward(x: number): number[];
}

interface ForwardClass {
  new (): Forward;
  readonly prototype: Forward;
}

function classes(): { Base: ForwardClass; Derived: ForwardClass } {
  class Base {
    forward(x: number): number[] {
      return [x, Math.random()];
    }
  }
  class Derived extends Base {}
  return { Base, Derived };
}

describe('targets resolved while they are patched', () => {
  it('FunctionOutputsRecorder built inside a delivery’s scope keeps the original and enters after the delivery left', () => {
    const ops = { compute: (x: number): number[] => [x, Math.random()] };
    const before = snapshot(ops, 'compute');
    const delivery = new FunctionOutputsDelivery({ funcPath: { owner: ops, name: 'compute' } });
    const recorder = delivery.run(
      () => new FunctionOutputsRecorder({ source: { owner: ops, name: 'compute' } }),
    );
    const out = recorder.run(() => ops.compute(1));
    assert.deepEqual(recorder.getRecordData(), out);
    assert.deepEqual(snapshot(ops, 'compute'), before);
  });
});

describe('method targets on a class and on its subclass', () => {
  it('MethodOutputsDelivery on the subclass enters while the base class method is patched', () => {
    const { Base, Derived } = classes();
    const base = new MethodOutputsDelivery({ methodPath: { cls: Base, name: 'forward' } });
    const derived = new MethodOutputsDelivery({ methodPath: { cls: Derived, name: 'forward' } });
    const out = base.run(() => derived.run(() => new Derived().forward(1)));
    // The call passed through the subclass's wrapper, then the base class's.
    assert.equal(derived.size, 1);
    assert.equal(base.size, 1);
    base.overrideData = true;
    assert.deepEqual(
      base.run(() => new Derived().forward(2)),
      out,
    );
    assert.equal(Object.prototype.hasOwnProperty.call(Derived.prototype, 'forward'), false);
    assert.equal(isPatched(Base.prototype, 'forward'), false);
  });

  it('MethodOutputsDelivery on the base class sees calls on subclass instances while the subclass is patched too', () => {
    const { Base, Derived } = classes();
    const base = new MethodOutputsDelivery({ methodPath: { cls: Base, name: 'forward' } });
    base.overrideData = true;
    // A recorder of the subclass's method installs a wrapper on Derived.prototype.
    const recorder = new MethodOutputsRecorder({ source: { cls: Derived, name: 'forward' } });
    const scope = recorder.enter();
    try {
      assert.throws(
        () => base.run(() => new Derived().forward(1)),
        distillError('QUEUE_EMPTY', /Base\.prototype\.forward/),
      );
    } finally {
      scope.exit();
    }
    assert.equal(isPatched(Derived.prototype, 'forward'), false);
  });
});
