import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DistillError, FunctionOutputsDelivery } from '../../src/index.js';

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
  it('replays the recorded output of one call', () => {
    const toy = makeToy();
    const delivery = new FunctionOutputsDelivery({ funcPath: { owner: toy, name: 'toyFunc' } });
    const teacher = delivery.run(() => toy.toyFunc());
    delivery.overrideData = true;
    const student = delivery.run(() => toy.toyFunc());
    assert.equal(student, teacher);
    assert.equal(toy.calls, 1);
  });

  it('throws QUEUE_FULL before calling the original when the queue is full', () => {
    const toy = makeToy();
    const delivery = new FunctionOutputsDelivery({ funcPath: { owner: toy, name: 'toyFunc' } });
    delivery.run(() => toy.toyFunc());
    assert.throws(
      () => delivery.run(() => toy.toyFunc()),
      (e: unknown) =>
        e instanceof DistillError && e.code === 'QUEUE_FULL' && /1 of 1 queued/.test(e.message),
    );
    assert.equal(toy.calls, 1);
    assert.equal(delivery.size, 1);
  });
});
