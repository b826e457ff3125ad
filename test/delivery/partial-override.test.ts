import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FunctionOutputsDelivery, MethodOutputsDelivery } from '../../src/index.js';
import { distillError } from '../helpers/errors.js';

class Augments {
  constructor(readonly tag: string) {}
  call(imgs: number[], labels: number[]): [number[], number[]] {
    const lam = Math.random();
    return [imgs.map((v) => v * lam), labels.map((l) => `${this.tag}:${l}` as unknown as number)];
  }
  assign(n: number): { imgs: number[]; labels: string[] } {
    return { imgs: [n * Math.random()], labels: [`${this.tag}`] };
  }
}

describe('partial override (overrideKeys)', () => {
  it('replays chosen array elements and keeps the rest of the student call', () => {
    const delivery = new MethodOutputsDelivery({
      methodPath: { cls: Augments, name: 'call' },
      overrideKeys: [0],
    });
    const [imgsT, labelsT] = delivery.run(() => new Augments('teacher').call([1, 2], [0, 1]));
    delivery.overrideData = true;
    const [imgsS, labelsS] = delivery.run(() => new Augments('student').call([1, 2], [0, 1]));
    assert.deepEqual(imgsS, imgsT);
    assert.deepEqual(labelsT, ['teacher:0', 'teacher:1']);
    assert.deepEqual(labelsS, ['student:0', 'student:1']);
  });

  it('replays chosen object keys and keeps the rest of the student call', () => {
    const delivery = new MethodOutputsDelivery({
      methodPath: { cls: Augments, name: 'assign' },
      overrideKeys: ['imgs'],
    });
    const teacher = delivery.run(() => new Augments('t').assign(3));
    delivery.overrideData = true;
    const student = delivery.run(() => new Augments('s').assign(3));
    assert.deepEqual(student, { imgs: teacher.imgs, labels: ['s'] });
  });

  it('rejects an output of another shape with OVERRIDE_MISMATCH naming the key', () => {
    const owner = { f: (): unknown => [1] };
    const delivery = new FunctionOutputsDelivery({
      funcPath: { owner, name: 'f' },
      overrideKeys: [3],
    });
    delivery.run(() => owner.f());
    delivery.overrideData = true;
    assert.throws(
      () => delivery.run(() => owner.f()),
      distillError('OVERRIDE_MISMATCH', /index 3/),
    );
    owner.f = (): unknown => 7;
  });

  it('rejects bad overrideKeys at construction with a TypeError', () => {
    const owner = { f: (): number => 1 };
    for (const bad of [[], [-1], [1.5], 'imgs', [null]]) {
      assert.throws(
        () =>
          new FunctionOutputsDelivery({
            funcPath: { owner, name: 'f' },
            overrideKeys: bad as never,
          }),
        (e: unknown) => e instanceof TypeError && /overrideKeys/.test(e.message),
      );
    }
  });
});
