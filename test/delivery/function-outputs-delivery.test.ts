import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FunctionOutputsDelivery, isPatched } from '../../src/index.js';
import { distillError, snapshot } from '../helpers/errors.js';

function makeToy(): { toyFunc: () => number; calls: number } {
  const toy = {
    calls: 0,
    toyFunc(): number {
      toy.calls++;
      return Math.random();
    },
  };
  return toy;
}

describe('FunctionOutputsDelivery', () => {
  it('replays the recorded output of one call (seed case 1)', () => {
    const toy = makeToy();
    const delivery = new FunctionOutputsDelivery({ funcPath: { owner: toy, name: 'toyFunc' } });
    const teacher = delivery.run(() => toy.toyFunc());
    delivery.overrideData = true;
    const student = delivery.run(() => toy.toyFunc());
    assert.equal(student, teacher);
    assert.equal(toy.calls, 1);
  });

  it('replays several outputs first in first out (seed case 2)', () => {
    const toy = makeToy();
    const delivery = new FunctionOutputsDelivery({
      funcPath: { owner: toy, name: 'toyFunc' },
      maxKeepData: 2,
    });
    const teacher = delivery.run(() => [toy.toyFunc(), toy.toyFunc()]);
    delivery.overrideData = true;
    const student = delivery.run(() => [toy.toyFunc(), toy.toyFunc()]);
    assert.deepEqual(student, teacher);
    assert.notEqual(teacher[0], teacher[1]);
  });

  it('throws QUEUE_FULL before calling the original and loses nothing', () => {
    const toy = makeToy();
    const delivery = new FunctionOutputsDelivery({ funcPath: { owner: toy, name: 'toyFunc' } });
    const first = delivery.run(() => toy.toyFunc());
    assert.throws(
      () => delivery.run(() => toy.toyFunc()),
      distillError('QUEUE_FULL', /toyFunc/, /1 of 1 queued/),
    );
    assert.equal(toy.calls, 1);
    delivery.overrideData = true;
    assert.equal(
      delivery.run(() => toy.toyFunc()),
      first,
    );
  });

  it('throws QUEUE_EMPTY without calling the original', () => {
    const toy = makeToy();
    const delivery = new FunctionOutputsDelivery({ funcPath: { owner: toy, name: 'toyFunc' } });
    delivery.overrideData = true;
    assert.throws(
      () => delivery.run(() => toy.toyFunc()),
      distillError('QUEUE_EMPTY', /toyFunc/, /0 of 1 queued/),
    );
    assert.equal(toy.calls, 0);
  });

  it('keeps queued outputs across scopes until they are replayed or cleared', () => {
    const toy = makeToy();
    const delivery = new FunctionOutputsDelivery({
      funcPath: { owner: toy, name: 'toyFunc' },
      maxKeepData: 3,
    });
    const a = delivery.run(() => toy.toyFunc());
    const b = delivery.run(() => toy.toyFunc());
    assert.equal(delivery.size, 2);
    delivery.overrideData = true;
    assert.equal(
      delivery.run(() => toy.toyFunc()),
      a,
    );
    assert.equal(delivery.size, 1);
    delivery.clear();
    assert.equal(delivery.size, 0);
    assert.notEqual(b, undefined);
    assert.throws(() => delivery.run(() => toy.toyFunc()), distillError('QUEUE_EMPTY'));
  });

  it('does not intercept calls made outside its scope', () => {
    const toy = makeToy();
    const delivery = new FunctionOutputsDelivery({ funcPath: { owner: toy, name: 'toyFunc' } });
    toy.toyFunc();
    delivery.run(() => toy.toyFunc());
    toy.toyFunc();
    assert.equal(delivery.size, 1);
    assert.equal(toy.calls, 3);
  });

  it('passes this and arguments through to the original', () => {
    const owner = {
      base: 10,
      add(this: { base: number }, a: number, b: number): number {
        return this.base + a + b;
      },
    };
    const delivery = new FunctionOutputsDelivery({ funcPath: { owner, name: 'add' } });
    assert.equal(
      delivery.run(() => owner.add(1, 2)),
      13,
    );
  });

  it('restores the identical function and descriptor after the scope, even when the body throws', () => {
    const toy = makeToy();
    const before = snapshot(toy, 'toyFunc');
    const delivery = new FunctionOutputsDelivery({ funcPath: { owner: toy, name: 'toyFunc' } });
    assert.throws(() =>
      delivery.run(() => {
        assert.notEqual(toy.toyFunc, before?.value);
        throw new Error('boom');
      }),
    );
    assert.deepEqual(snapshot(toy, 'toyFunc'), before);
    assert.equal(isPatched(toy, 'toyFunc'), false);
  });

  it('keeps the wrapped function name and length while patched', () => {
    const owner = { scale: (a: number, b: number) => a * b };
    const delivery = new FunctionOutputsDelivery({ funcPath: { owner, name: 'scale' } });
    delivery.run(() => {
      assert.equal(owner.scale.name, 'scale');
      assert.equal(owner.scale.length, 2);
    });
  });

  it('rejects a second enter while entered with ALREADY_ENTERED', () => {
    const toy = makeToy();
    const delivery = new FunctionOutputsDelivery({ funcPath: { owner: toy, name: 'toyFunc' } });
    const scope = delivery.enter();
    try {
      assert.throws(() => delivery.enter(), distillError('ALREADY_ENTERED', /toyFunc/));
      assert.equal(delivery.isEntered, true);
    } finally {
      scope.exit();
    }
    assert.equal(delivery.isEntered, false);
  });

  it('rejects exit without enter with NOT_ENTERED', () => {
    const toy = makeToy();
    const delivery = new FunctionOutputsDelivery({ funcPath: { owner: toy, name: 'toyFunc' } });
    assert.throws(() => delivery.exit(), distillError('NOT_ENTERED', /toyFunc/));
  });

  it('enter() returns a scope that a using declaration exits', () => {
    const toy = makeToy();
    const delivery = new FunctionOutputsDelivery({ funcPath: { owner: toy, name: 'toyFunc' } });
    let teacher: number;
    {
      using _scope = delivery.enter();
      teacher = toy.toyFunc();
      assert.equal(delivery.isEntered, true);
    }
    assert.equal(delivery.isEntered, false);
    assert.equal(isPatched(toy, 'toyFunc'), false);
    delivery.overrideData = true;
    {
      using _scope = delivery.enter();
      assert.equal(toy.toyFunc(), teacher);
    }
  });

  it('enter() and exit() bracket plain code; exiting the scope twice is harmless', () => {
    const toy = makeToy();
    const delivery = new FunctionOutputsDelivery({ funcPath: { owner: toy, name: 'toyFunc' } });
    const scope = delivery.enter();
    toy.toyFunc();
    delivery.exit();
    scope.exit();
    assert.equal(delivery.size, 1);
  });

  it('rejects a non-boolean overrideData with a TypeError', () => {
    const toy = makeToy();
    const delivery = new FunctionOutputsDelivery({ funcPath: { owner: toy, name: 'toyFunc' } });
    assert.throws(
      () => {
        (delivery as { overrideData: unknown }).overrideData = 'yes';
      },
      (e: unknown) => e instanceof TypeError && /"yes"/.test(e.message),
    );
  });

  it('rejects a bad maxKeepData naming the value', () => {
    const toy = makeToy();
    for (const bad of [0, -1, 1.5, Number.NaN, '2']) {
      assert.throws(
        () =>
          new FunctionOutputsDelivery({
            funcPath: { owner: toy, name: 'toyFunc' },
            maxKeepData: bad as number,
          }),
        distillError('INVALID_CONFIG', /maxKeepData/, /positive integer/),
      );
    }
  });
});
