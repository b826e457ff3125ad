import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DistillDeliveryManager,
  FunctionOutputsDelivery,
  MethodOutputsDelivery,
  isPatched,
} from '../../src/index.js';
import { distillError, snapshot } from '../helpers/errors.js';

class Base {
  mix(x: number): number {
    return x + Math.random();
  }
}
class Derived extends Base {}

function counter(): { next: () => number } {
  let n = 0;
  return { next: () => ++n };
}

describe('MethodOutputsDelivery restore', () => {
  it('restore removes a shadowed method that came from the prototype', () => {
    assert.equal(Object.prototype.hasOwnProperty.call(Derived.prototype, 'mix'), false);
    const delivery = new MethodOutputsDelivery({ methodPath: { cls: Derived, name: 'mix' } });
    const teacher = delivery.run(() => {
      assert.equal(Object.prototype.hasOwnProperty.call(Derived.prototype, 'mix'), true);
      return new Derived().mix(1);
    });
    assert.equal(Object.prototype.hasOwnProperty.call(Derived.prototype, 'mix'), false);
    delivery.overrideData = true;
    assert.equal(
      delivery.run(() => new Derived().mix(1)),
      teacher,
    );
    // The base class, shared with other code, was never touched.
    assert.equal(isPatched(Base.prototype, 'mix'), false);
  });

  it('restores the own method descriptor exactly', () => {
    const before = snapshot(Base.prototype, 'mix');
    const delivery = new MethodOutputsDelivery({ methodPath: { cls: Base, name: 'mix' } });
    delivery.run(() => new Base().mix(1));
    assert.deepEqual(snapshot(Base.prototype, 'mix'), before);
  });
});

describe('deliveries sharing a target', () => {
  for (const order of ['first-in-first-out', 'last-in-first-out'] as const) {
    it(`compose and restore the original when they exit ${order}`, () => {
      const owner = counter();
      const before = snapshot(owner, 'next');
      const a = new FunctionOutputsDelivery({ funcPath: { owner, name: 'next' } });
      const b = new FunctionOutputsDelivery({ funcPath: { owner, name: 'next' } });
      const sa = a.enter();
      const sb = b.enter();
      const value = owner.next();
      assert.equal(a.size, 1);
      assert.equal(b.size, 1);
      if (order === 'first-in-first-out') {
        sa.exit();
        assert.equal(isPatched(owner, 'next'), true);
        // b still intercepts after a left.
        b.overrideData = true;
        assert.equal(owner.next(), value);
        sb.exit();
      } else {
        sb.exit();
        assert.equal(isPatched(owner, 'next'), true);
        a.overrideData = true;
        assert.equal(owner.next(), value);
        sa.exit();
      }
      assert.deepEqual(snapshot(owner, 'next'), before);
      assert.equal(isPatched(owner, 'next'), false);
    });
  }
});

describe('DistillDeliveryManager atomic enter', () => {
  it('leaves the entered deliveries again when the third fails to enter', () => {
    const one = counter();
    const two = counter();
    const three = counter();
    const third = new FunctionOutputsDelivery({ funcPath: { owner: three, name: 'next' } });
    const manager = new DistillDeliveryManager({
      one: { type: 'FunctionOutputs', funcPath: { owner: one, name: 'next' } },
      two: { type: 'FunctionOutputs', funcPath: { owner: two, name: 'next' } },
      three: third,
    });
    // Something else replaced the third target after it was resolved: entering must fail.
    const replaced = (): number => 0;
    three.next = replaced;
    assert.throws(() => manager.enter(), distillError('UNPATCHABLE_TARGET', /no longer holds/));
    assert.equal(isPatched(one, 'next'), false);
    assert.equal(isPatched(two, 'next'), false);
    assert.equal(three.next, replaced);
    assert.equal(manager.isEntered, false);
    for (const d of manager.deliveries.values()) assert.equal(d.isEntered, false);
    assert.throws(() => manager.run(() => 1), distillError('UNPATCHABLE_TARGET'));
    assert.equal(isPatched(one, 'next'), false);
  });
});
