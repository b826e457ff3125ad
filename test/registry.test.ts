import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DistillDelivery,
  DistillDeliveryManager,
  DistillError,
  DistillTypeError,
  Registry,
  deliveryRegistry,
  resolveFunctionTarget,
} from '../src/index.js';
import { distillError } from './helpers/errors.js';

class CountingDelivery extends DistillDelivery {
  constructor(owner: object, name: string) {
    super(resolveFunctionTarget({ owner, name } as never), { maxKeepData: 2 });
  }
}

describe('Registry', () => {
  it('register() refuses to overwrite a type silently', () => {
    const registry = new Registry<number>('widget');
    registry.register('A', () => 1);
    assert.throws(
      () => registry.register('A', () => 2),
      distillError('DUPLICATE_TYPE', /"A"/, /override: true/),
    );
    registry.register('A', () => 2, { override: true });
    assert.equal(registry.build({ type: 'A' }, { path: 'w' }), 2);
    assert.equal(registry.unregister('A'), true);
    assert.deepEqual(registry.types, []);
  });

  it('build() lists the known types for an unknown one', () => {
    const registry = new Registry<number>('widget');
    registry.register('Alpha', () => 1);
    assert.throws(
      () => registry.build({ type: 'Beta' }, { path: 'widgets.x' }),
      distillError('UNKNOWN_TYPE', /widgets\.x\.type/, /Alpha/),
    );
    assert.throws(
      () => registry.build({}, { path: 'widgets.x' }),
      distillError('UNKNOWN_TYPE', /undefined/),
    );
  });

  it('register() rejects a bad name or factory with a TypeError', () => {
    const registry = new Registry<number>('widget');
    assert.throws(() => registry.register('', () => 1), TypeError);
    assert.throws(() => registry.register('X', 3 as never), TypeError);
  });

  it('lets users register their own delivery kind for the manager', () => {
    const owner = { f: (): number => Math.random() };
    deliveryRegistry.register(
      'Counting',
      (config) => new CountingDelivery(owner, config.fn as string),
    );
    try {
      const manager = new DistillDeliveryManager([{ type: 'Counting', fn: 'f' } as never]);
      const delivery = manager.deliveries.get('0')!;
      assert.ok(delivery instanceof CountingDelivery);
      assert.equal(delivery.maxKeepData, 2);
      const t = manager.run(() => owner.f());
      manager.overrideData = true;
      assert.equal(
        manager.run(() => owner.f()),
        t,
      );
    } finally {
      deliveryRegistry.unregister('Counting');
    }
  });
});

describe('DistillError', () => {
  it('instanceof DistillError holds for DistillTypeError, which is also a TypeError', () => {
    const e = new DistillTypeError('INVALID_ARGUMENT', 'bad');
    assert.ok(e instanceof DistillError);
    assert.ok(e instanceof TypeError);
    assert.equal(e.code, 'INVALID_ARGUMENT');
    assert.ok(!(new Error('x') instanceof DistillError));
    assert.ok(!(new DistillError('QUEUE_FULL', 'x') instanceof DistillTypeError));
  });

  it('keeps the cause', () => {
    const cause = new Error('root');
    assert.equal(new DistillError('INVALID_PATH', 'x', { cause }).cause, cause);
  });
});
