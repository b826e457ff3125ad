import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { DistillDeliveryManager, DistillError, isPatched } from '../../src/index.js';
import { distillError } from '../helpers/errors.js';
import { fixturesDir } from '../helpers/paths.js';

class ToyAugments {
  call(imgs: number[]): number[] {
    const lam = Math.random();
    return imgs.map((v) => v * lam);
  }
}

const labeler = { assign: (n: number): number => n * Math.random() };

describe('DistillDeliveryManager', () => {
  it('aligns a method and a function through configs given as an array', () => {
    const manager = new DistillDeliveryManager([
      { type: 'MethodOutputs', maxKeepData: 1, methodPath: { cls: ToyAugments, name: 'call' } },
      { type: 'FunctionOutputs', funcPath: { owner: labeler, name: 'assign' } },
    ]);
    assert.deepEqual([...manager.deliveries.keys()], ['0', '1']);
    const aug = new ToyAugments();
    manager.overrideData = false;
    const teacher = manager.run(() => [aug.call([1, 2]), labeler.assign(5)]);
    manager.overrideData = true;
    const student = manager.run(() => [aug.call([1, 2]), labeler.assign(5)]);
    assert.deepEqual(student, teacher);
  });

  it('sets overrideData on every delivery', () => {
    const manager = new DistillDeliveryManager({
      aug: { type: 'MethodOutputs', methodPath: { cls: ToyAugments, name: 'call' } },
      lab: { type: 'FunctionOutputs', funcPath: { owner: labeler, name: 'assign' } },
    });
    assert.equal(manager.overrideData, false);
    manager.overrideData = true;
    for (const d of manager.deliveries.values()) assert.equal(d.overrideData, true);
    assert.equal(manager.overrideData, true);
    manager.deliveries.get('aug')!.overrideData = false;
    assert.equal(manager.overrideData, false);
  });

  it('builds string paths from resolveFrom', () => {
    const manager = new DistillDeliveryManager(
      { labels: { type: 'FunctionOutputs', funcPath: './cjs-defining.cjs#assignLabels' } },
      { resolveFrom: fixturesDir },
    );
    assert.match(manager.deliveries.get('labels')!.target, /assignLabels/);
  });

  it('enter() and a using declaration enter and exit every delivery', () => {
    const manager = new DistillDeliveryManager({
      aug: { type: 'MethodOutputs', methodPath: { cls: ToyAugments, name: 'call' } },
    });
    {
      using _scope = manager.enter();
      assert.equal(manager.isEntered, true);
      assert.equal(isPatched(ToyAugments.prototype, 'call'), true);
      assert.throws(() => manager.enter(), distillError('ALREADY_ENTERED'));
      new ToyAugments().call([1]);
    }
    assert.equal(manager.isEntered, false);
    assert.equal(isPatched(ToyAugments.prototype, 'call'), false);
    assert.throws(() => manager.exit(), distillError('NOT_ENTERED'));
    manager.clear();
    assert.equal(manager.deliveries.get('aug')!.size, 0);
  });

  it('run(async fn) keeps every delivery entered until the promise settles', async () => {
    const manager = new DistillDeliveryManager({
      aug: { type: 'MethodOutputs', methodPath: { cls: ToyAugments, name: 'call' } },
    });
    const done = manager.run(async () => {
      await sleep(2);
      return new ToyAugments().call([1]);
    });
    assert.equal(isPatched(ToyAugments.prototype, 'call'), true);
    await done;
    assert.equal(isPatched(ToyAugments.prototype, 'call'), false);
    assert.equal(manager.deliveries.get('aug')!.size, 1);
  });

  it('rejects an unknown type at construction, naming the key and the known types', () => {
    assert.throws(
      () =>
        new DistillDeliveryManager({
          mix: { type: 'MethodOutput', methodPath: 'x#A.b' } as never,
        }),
      distillError(
        'UNKNOWN_TYPE',
        /deliveries\.mix\.type/,
        /FunctionOutputs, MethodOutputs/,
        /Perhaps you meant "MethodOutputs"/,
      ),
    );
  });

  it('rejects a bad number or path at construction, naming the config key', () => {
    assert.throws(
      () =>
        new DistillDeliveryManager([
          { type: 'FunctionOutputs', maxKeepData: 0, funcPath: { owner: labeler, name: 'assign' } },
        ]),
      distillError('INVALID_CONFIG', /maxKeepData/, /deliveries\[0\]/),
    );
    assert.throws(
      () =>
        new DistillDeliveryManager({
          lab: { type: 'FunctionOutputs', funcPath: './missing.cjs#f' },
        }),
      distillError('MODULE_NOT_FOUND', /deliveries\.lab/),
    );
    assert.throws(
      () =>
        new DistillDeliveryManager({
          lab: {
            type: 'FunctionOutputs',
            funcPath: { owner: labeler, name: 'assign' },
            maxKeep: 2,
          } as never,
        }),
      distillError(
        'INVALID_CONFIG',
        /"maxKeep"/,
        /deliveries\.lab/,
        /Perhaps you meant "maxKeepData"/,
      ),
    );
  });

  it('rejects configs that are neither an object nor an array, and non-object entries', () => {
    assert.throws(
      () => new DistillDeliveryManager('x' as never),
      (e: unknown) =>
        e instanceof TypeError &&
        e instanceof DistillError &&
        /deliveries/.test((e as Error).message),
    );
    assert.throws(
      () => new DistillDeliveryManager([42 as never]),
      (e: unknown) => e instanceof DistillError && /deliveries\[0\]/.test((e as Error).message),
    );
  });
});
