import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import {
  FunctionOutputsDelivery,
  MethodOutputsDelivery,
  tensorValueHandler,
} from '../../src/index.js';
import { distillError } from '../helpers/errors.js';
import { expectNoLeaks } from '../helpers/tensors.js';

class RandomMix {
  call(x: tf.Tensor): [tf.Tensor, { lam: tf.Scalar }] {
    const lam = tf.scalar(Math.random());
    return [x.mul(lam), { lam }];
  }
}

describe('deliveries of tensors', () => {
  it('replay a tensor recorded inside the teacher’s tf.tidy, with equal values', async () => {
    await expectNoLeaks(() => {
      const delivery = new MethodOutputsDelivery({ methodPath: { cls: RandomMix, name: 'call' } });
      const x = tf.ones([2, 3]);
      const mix = new RandomMix();
      const teacher = tf.tidy(() =>
        delivery
          .run(() => mix.call(x))[0]
          .sum()
          .arraySync(),
      );
      delivery.overrideData = true;
      const student = tf.tidy(() =>
        delivery
          .run(() => mix.call(x))[0]
          .sum()
          .arraySync(),
      );
      assert.equal(student, teacher);
      assert.equal(delivery.size, 0);
      x.dispose();
    });
  });

  it('1,000 record/replay cycles inside tf.tidy leak nothing', async () => {
    const delivery = new MethodOutputsDelivery({ methodPath: { cls: RandomMix, name: 'call' } });
    const x = tf.ones([4, 4]);
    const mix = new RandomMix();
    await expectNoLeaks(() => {
      for (let i = 0; i < 1000; i++) {
        delivery.overrideData = false;
        const t = tf.tidy(() => delivery.run(() => mix.call(x))[1].lam.arraySync());
        delivery.overrideData = true;
        const s = tf.tidy(() => delivery.run(() => mix.call(x))[1].lam.arraySync());
        assert.equal(s, t);
      }
    });
    x.dispose();
  });

  it('hand the caller a value it owns: disposing it does not affect the next replay', async () => {
    await expectNoLeaks(() => {
      const owner = { make: (): tf.Tensor => tf.randomNormal([3]) };
      const delivery = new FunctionOutputsDelivery({
        funcPath: { owner, name: 'make' },
        maxKeepData: 2,
      });
      const [a, b] = delivery.run(() => [owner.make(), owner.make()]);
      delivery.overrideData = true;
      const ra = delivery.run(() => owner.make());
      const rb = delivery.run(() => owner.make());
      assert.deepEqual(ra.arraySync(), a.arraySync());
      ra.dispose();
      assert.deepEqual(rb.arraySync(), b.arraySync());
      tf.dispose([a, b, rb]);
    });
  });

  it('clear() disposes the queued tensors', async () => {
    await expectNoLeaks(() => {
      const owner = { make: (): tf.Tensor => tf.tidy(() => tf.randomNormal([3]).add(1)) };
      const delivery = new FunctionOutputsDelivery({
        funcPath: { owner, name: 'make' },
        maxKeepData: 3,
      });
      tf.tidy(() => {
        delivery.run(() => [owner.make(), owner.make()]);
      });
      assert.equal(delivery.size, 2);
      delivery.clear();
    });
  });

  it('queue what an async function resolves to, tensors included', async () => {
    await expectNoLeaks(async () => {
      const owner = {
        load: async (): Promise<tf.Tensor> => Promise.resolve(tf.randomUniform([2])),
      };
      const delivery = new FunctionOutputsDelivery({ funcPath: { owner, name: 'load' } });
      const t = await delivery.run(() => owner.load());
      delivery.overrideData = true;
      const s = await delivery.run(() => owner.load());
      assert.deepEqual(s.arraySync(), t.arraySync());
      tf.dispose([t, s]);
    });
  });

  it('partial override replays chosen tensors and disposes the unused recorded ones', async () => {
    await expectNoLeaks(() => {
      const delivery = new MethodOutputsDelivery({
        methodPath: { cls: RandomMix, name: 'call' },
        overrideKeys: [0],
      });
      const x = tf.ones([2]);
      const mix = new RandomMix();
      const [tx, tl] = delivery.run(() => mix.call(x));
      delivery.overrideData = true;
      const [sx, sl] = delivery.run(() => mix.call(x));
      assert.deepEqual(sx.arraySync(), tx.arraySync());
      assert.notEqual(sl.lam, tl.lam);
      tf.dispose([x, tx, tl.lam, sx, sl.lam]);
    });
  });
});

describe('tensorValueHandler', () => {
  it('take() of a tensor disposed while queued throws DISPOSED_TENSOR naming its shape', async () => {
    await expectNoLeaks(() => {
      const t = tf.zeros([2, 5]);
      const stored = tensorValueHandler.keep([t]) as tf.Tensor[];
      stored[0]!.dispose();
      assert.throws(
        () => tensorValueHandler.take(stored),
        distillError('DISPOSED_TENSOR', /\[2, 5\]/),
      );
      t.dispose();
    });
  });

  it('keep() leaves values without tensors untouched', () => {
    const value = { a: [1, 'x'], b: null };
    assert.equal(tensorValueHandler.keep(value), value);
  });
});
