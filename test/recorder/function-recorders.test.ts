import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  FunctionInputsRecorder,
  FunctionOutputsDelivery,
  FunctionOutputsRecorder,
  MethodInputsRecorder,
  MethodOutputsRecorder,
  RecorderManager,
  isPatched,
} from '../../src/index.js';
import { distillError } from '../helpers/errors.js';

function makeHead(): { assign: (n: number) => number[] } {
  return { assign: (n: number) => Array.from({ length: n }, () => Math.random()) };
}

class Neck {
  constructor(readonly scale: number) {}
  forward(x: number, y: number): number {
    return (x + y) * this.scale;
  }
}

describe('FunctionOutputsRecorder', () => {
  it('records each call made inside the scope, in order, and none outside', () => {
    const head = makeHead();
    const rec = new FunctionOutputsRecorder({ source: { owner: head, name: 'assign' } });
    head.assign(1);
    const [a, b] = rec.run(() => [head.assign(1), head.assign(2)]);
    head.assign(3);
    assert.equal(rec.dataBuffer.length, 2);
    assert.deepEqual(rec.getRecordData(0), a);
    assert.deepEqual(rec.getRecordData(1), b);
    assert.equal(rec.getRecordData(1, 1), b[1]);
    assert.equal(isPatched(head, 'assign'), false);
  });

  it('entering clears the buffer', () => {
    const head = makeHead();
    const rec = new FunctionOutputsRecorder({ source: { owner: head, name: 'assign' } });
    rec.run(() => head.assign(1));
    rec.run(() => head.assign(2));
    assert.equal(rec.dataBuffer.length, 1);
    rec.reset();
    assert.equal(rec.dataBuffer.length, 0);
  });

  it('getRecordData names the index and the buffer length when out of range', () => {
    const head = makeHead();
    const rec = new FunctionOutputsRecorder({ source: { owner: head, name: 'assign' } });
    assert.throws(
      () => rec.getRecordData(0),
      distillError('INDEX_OUT_OF_RANGE', /recordIdx 0/, /holds 0 record/),
    );
    rec.run(() => head.assign(2));
    assert.throws(
      () => rec.getRecordData(3),
      distillError('INDEX_OUT_OF_RANGE', /recordIdx 3/, /holds 1 record/),
    );
    assert.throws(
      () => rec.getRecordData(0, 5),
      distillError('INDEX_OUT_OF_RANGE', /dataIdx 5/, /2 element/),
    );
  });

  it('records what an async function resolves to, at the position of its call', async () => {
    const owner = {
      async load(ms: number): Promise<number> {
        await sleep(ms);
        return ms;
      },
    };
    const rec = new FunctionOutputsRecorder({ source: { owner, name: 'load' } });
    await rec.run(() => Promise.all([owner.load(5), owner.load(1)]));
    assert.deepEqual(rec.dataBuffer, [5, 1]);
  });

  for (const order of ['delivery first', 'recorder first'] as const) {
    it(`records the replayed value of a delivered function (${order})`, () => {
      const head = makeHead();
      const delivery = new FunctionOutputsDelivery({ funcPath: { owner: head, name: 'assign' } });
      const rec = new FunctionOutputsRecorder({ source: { owner: head, name: 'assign' } });
      const both = <R>(fn: () => R): R =>
        order === 'delivery first'
          ? delivery.run(() => rec.run(fn))
          : rec.run(() => delivery.run(fn));
      const teacher = both(() => head.assign(3));
      assert.deepEqual(rec.getRecordData(), teacher);
      delivery.overrideData = true;
      const student = both(() => head.assign(3));
      assert.deepEqual(student, teacher);
      assert.deepEqual(rec.getRecordData(), teacher);
      assert.equal(isPatched(head, 'assign'), false);
    });
  }
});

describe('FunctionInputsRecorder and method recorders', () => {
  it('FunctionInputsRecorder records the arguments of each call', () => {
    const head = makeHead();
    const rec = new FunctionInputsRecorder({ source: { owner: head, name: 'assign' } });
    rec.run(() => head.assign(2));
    assert.deepEqual(rec.getRecordData(), [2]);
    assert.equal(rec.getRecordData(0, 0), 2);
  });

  it('MethodInputsRecorder records arguments without this, for every instance', () => {
    const rec = new MethodInputsRecorder({ source: { cls: Neck, name: 'forward' } });
    rec.run(() => [new Neck(1).forward(1, 2), new Neck(2).forward(3, 4)]);
    assert.deepEqual(rec.dataBuffer, [
      [1, 2],
      [3, 4],
    ]);
  });

  it('MethodOutputsRecorder records what the method returns', () => {
    const rec = new MethodOutputsRecorder({ source: { cls: Neck, name: 'forward' } });
    rec.run(() => new Neck(10).forward(1, 2));
    assert.equal(rec.getRecordData(), 30);
  });
});

describe('RecorderManager', () => {
  it('builds recorders from configs and records with all of them', () => {
    const head = makeHead();
    const manager = new RecorderManager({
      labels: { type: 'FunctionOutputs', source: { owner: head, name: 'assign' } },
      neckIn: { type: 'MethodInputs', source: { cls: Neck, name: 'forward' } },
    });
    manager.run(() => {
      head.assign(1);
      new Neck(1).forward(5, 6);
    });
    assert.equal(manager.getRecorder('labels').dataBuffer.length, 1);
    assert.deepEqual(manager.getRecorder('neckIn').getRecordData(), [5, 6]);
    manager.reset();
    assert.equal(manager.getRecorder('labels').dataBuffer.length, 0);
  });

  it('getRecorder lists the names when one is unknown', () => {
    const manager = new RecorderManager({
      labels: { type: 'FunctionOutputs', source: { owner: makeHead(), name: 'assign' } },
    });
    assert.throws(
      () => manager.getRecorder('logits'),
      distillError('MEMBER_NOT_FOUND', /"logits"/, /labels/),
    );
  });

  it('rejects unknown types and keys naming the config path', () => {
    assert.throws(
      () => new RecorderManager({ x: { type: 'LayerOutput', source: 'fc1' } as never }),
      distillError('UNKNOWN_TYPE', /recorders\.x\.type/, /Perhaps you meant "LayerOutputs"/),
    );
    assert.throws(
      () => new RecorderManager({ x: { type: 'LayerOutputs', source: 'fc1', sorce: 1 } as never }),
      distillError('INVALID_CONFIG', /"sorce"/, /recorders\.x/),
    );
  });

  it('enter() is atomic: a recorder that is not initialized unwinds the others', () => {
    const head = makeHead();
    const manager = new RecorderManager({
      labels: { type: 'FunctionOutputs', source: { owner: head, name: 'assign' } },
      fc1: { type: 'LayerOutputs', source: 'fc1' },
    });
    assert.throws(() => manager.enter(), distillError('NOT_INITIALIZED', /initialize\(model\)/));
    assert.equal(isPatched(head, 'assign'), false);
    assert.equal(manager.isEntered, false);
  });
});

describe('function and method recorders options', () => {
  it('FunctionOutputsRecorder and MethodInputsRecorder reject a missing options object with a TypeError', () => {
    for (const make of [
      () => new FunctionOutputsRecorder(null as never),
      () => new MethodInputsRecorder(undefined as never),
    ]) {
      assert.throws(
        make,
        (e: unknown) =>
          e instanceof TypeError &&
          /expects an options object such as \{ source \}/.test(e.message),
      );
    }
  });
});
