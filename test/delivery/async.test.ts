import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { FunctionOutputsDelivery, isPatched, scopeStore } from '../../src/index.js';
import { distillError } from '../helpers/errors.js';

function asyncToy(): { fetchBatch: () => Promise<number>; calls: number } {
  const toy = {
    calls: 0,
    async fetchBatch(): Promise<number> {
      toy.calls++;
      await sleep(1);
      return Math.random();
    },
  };
  return toy;
}

describe('FunctionOutputsDelivery with async code', () => {
  it('run(async fn) leaves the scope only after the promise settles', async () => {
    const toy = asyncToy();
    const delivery = new FunctionOutputsDelivery({ funcPath: { owner: toy, name: 'fetchBatch' } });
    const pending = delivery.run(async () => {
      await sleep(2);
      assert.equal(delivery.isEntered, true);
      return toy.fetchBatch();
    });
    assert.equal(isPatched(toy, 'fetchBatch'), true);
    await pending;
    assert.equal(delivery.isEntered, false);
    assert.equal(isPatched(toy, 'fetchBatch'), false);
    assert.equal(delivery.size, 1);
  });

  it('run(async fn) leaves the scope when the promise rejects', async () => {
    const toy = asyncToy();
    const delivery = new FunctionOutputsDelivery({ funcPath: { owner: toy, name: 'fetchBatch' } });
    await assert.rejects(
      delivery.run(async () => {
        await sleep(1);
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(isPatched(toy, 'fetchBatch'), false);
  });

  it('queues what an async function resolves to and replays it as a promise', async () => {
    const toy = asyncToy();
    const delivery = new FunctionOutputsDelivery({
      funcPath: { owner: toy, name: 'fetchBatch' },
      maxKeepData: 2,
    });
    const teacher = await delivery.run(async () => [
      await toy.fetchBatch(),
      await toy.fetchBatch(),
    ]);
    delivery.overrideData = true;
    const student = await delivery.run(async () => {
      const replayed = toy.fetchBatch();
      assert.ok(replayed instanceof Promise);
      return [await replayed, await toy.fetchBatch()];
    });
    assert.deepEqual(student, teacher);
    assert.equal(toy.calls, 2);
  });

  it('replays a recorded call that rejected as a RECORDED_CALL_FAILED rejection', async () => {
    const owner = {
      async load(): Promise<number> {
        await sleep(1);
        throw new Error('disk gone');
      },
    };
    const delivery = new FunctionOutputsDelivery({ funcPath: { owner, name: 'load' } });
    await assert.rejects(
      delivery.run(() => owner.load()),
      /disk gone/,
    );
    delivery.overrideData = true;
    await assert.rejects(
      delivery.run(() => owner.load()),
      distillError('RECORDED_CALL_FAILED', /disk gone/),
    );
  });

  it(
    'leaves concurrent code outside the scope untouched',
    { skip: !scopeStore.isolated },
    async () => {
      const toy = asyncToy();
      const delivery = new FunctionOutputsDelivery({
        funcPath: { owner: toy, name: 'fetchBatch' },
        maxKeepData: 5,
      });
      let outsideCalls = 0;
      let stop = false;
      // A loop started before the scope keeps calling the same function while the scope is open.
      const outside = (async () => {
        while (!stop) {
          await toy.fetchBatch();
          outsideCalls++;
        }
      })();
      await delivery.run(async () => {
        for (let i = 0; i < 3; i++) {
          await toy.fetchBatch();
          await sleep(3);
        }
      });
      stop = true;
      await outside;
      assert.ok(outsideCalls >= 3, `outside loop ran ${outsideCalls} times`);
      assert.equal(delivery.size, 3);
    },
  );

  it(
    'follows enter() into async continuations of the entering code',
    { skip: !scopeStore.isolated },
    async () => {
      const toy = asyncToy();
      const delivery = new FunctionOutputsDelivery({
        funcPath: { owner: toy, name: 'fetchBatch' },
      });
      const scope = delivery.enter();
      try {
        await sleep(1);
        await toy.fetchBatch();
      } finally {
        scope.exit();
      }
      assert.equal(delivery.size, 1);
      await toy.fetchBatch();
      assert.equal(delivery.size, 1);
    },
  );
});
