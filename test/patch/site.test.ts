import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FunctionOutputsDelivery, FunctionOutputsRecorder } from '../../src/index.js';
import { snapshot } from '../helpers/errors.js';

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
