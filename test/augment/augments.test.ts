import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import {
  AUGMENT_TYPES,
  Augments,
  BatchCutMix,
  BatchMixup,
  augmentRegistry,
} from '../../src/augment/index.js';
import { MethodOutputsDelivery } from '../../src/delivery/index.js';
import { expectNoLeaks } from '../helpers/tensors.js';
import { assertCloseTo } from './assertions.js';

before(async () => {
  await tf.setBackend('cpu');
});

function smallBatch(): [tf.Tensor4D, tf.Tensor1D] {
  return [tf.randomUniform([4, 3, 3, 1], 0, 1, 'float32', 1), tf.tensor1d([0, 1, 2, 1], 'int32')];
}

describe('Augments', () => {
  it('Augments builds augments from one config or a list of configs and instances', () => {
    const single = new Augments({ type: 'BatchMixup', alpha: 0.2, numClasses: 3 });
    assert.equal(single.augments.length, 1);
    assert.ok(single.augments[0] instanceof BatchMixup);
    assert.equal(single.identityProb, 0);
    const cutmix = new BatchCutMix({ alpha: 1, numClasses: 3, prob: 0.25 });
    const list = new Augments([
      { type: 'BatchMixup', alpha: 0.2, numClasses: 3, prob: 0.5 },
      cutmix,
    ]);
    assert.equal(list.augments[1], cutmix);
    assert.equal(list.numClasses, 3);
    assert.equal(list.identityProb, 0.25);
  });

  it('AUGMENT_TYPES lists the built-in types, all registered', () => {
    assert.deepEqual([...AUGMENT_TYPES], ['BatchMixup', 'BatchCutMix']);
    for (const type of AUGMENT_TYPES) assert.ok(augmentRegistry.has(type));
  });

  it('Augments.call picks each augment with its probability and otherwise the identity', async () => {
    await expectNoLeaks(() => {
      const augments = new Augments(
        [
          { type: 'BatchMixup', alpha: 1, numClasses: 3, prob: 0.5 },
          { type: 'BatchCutMix', alpha: 1, numClasses: 3, prob: 0.3 },
        ],
        { seed: 2024 },
      );
      const [images, labels] = smallBatch();
      const counts = { BatchMixup: 0, BatchCutMix: 0, identity: 0 };
      const calls = 2000;
      for (let i = 0; i < calls; i++) {
        tf.dispose(augments.call(images, labels));
        const chosen = augments.lastAugment;
        assert.notEqual(chosen, undefined);
        if (chosen === null) counts.identity++;
        else counts[chosen!.type as 'BatchMixup' | 'BatchCutMix']++;
      }
      assert.ok(Math.abs(counts.BatchMixup / calls - 0.5) < 0.04, JSON.stringify(counts));
      assert.ok(Math.abs(counts.BatchCutMix / calls - 0.3) < 0.04, JSON.stringify(counts));
      assert.ok(Math.abs(counts.identity / calls - 0.2) < 0.04, JSON.stringify(counts));
      tf.dispose([images, labels]);
    });
  });

  it('Augments.call with the identity returns float images and one-hot labels', async () => {
    await expectNoLeaks(() => {
      const augments = new Augments({ type: 'BatchMixup', alpha: 1, numClasses: 3, prob: 0 });
      const [images, labels] = smallBatch();
      const [x, y] = augments.call(images, labels);
      assert.equal(augments.lastAugment, null);
      assertCloseTo(x, images, 0);
      assertCloseTo(y, [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
        [0, 1, 0],
      ]);
      tf.dispose([images, labels, x, y]);
    });
  });

  it('Augments with the same seed reproduce the same batches, which change call to call', async () => {
    await expectNoLeaks(() => {
      const configs = [
        { type: 'BatchMixup', alpha: 1, numClasses: 3, prob: 0.4 },
        { type: 'BatchCutMix', alpha: 1, numClasses: 3, prob: 0.4 },
      ] as const;
      const a = new Augments(configs, { seed: 7 });
      const b = new Augments(configs, { seed: 7 });
      const [images, labels] = smallBatch();
      const firsts: tf.Tensor[] = [];
      for (let i = 0; i < 20; i++) {
        const [xa, ya] = a.call(images, labels);
        const [xb, yb] = b.call(images, labels);
        assert.equal(a.lastAugment?.type, b.lastAugment?.type);
        assertCloseTo(xb, xa, 0);
        assertCloseTo(yb, ya, 0);
        firsts.push(xa);
        tf.dispose([ya, xb, yb]);
      }
      const distinct = new Set(firsts.map((x) => x.dataSync().join(',')));
      assert.ok(distinct.size > 10, `only ${distinct.size} distinct batches of 20`);
      tf.dispose([images, labels, ...firsts]);
    });
  });

  it('Augments.call leaks nothing over 1,000 calls, inside and around tf.tidy', async () => {
    const augments = new Augments(
      [
        { type: 'BatchMixup', alpha: 0.2, numClasses: 3, prob: 0.4 },
        { type: 'BatchCutMix', alpha: 1, numClasses: 3, prob: 0.4, imageShape: [3, 3, 1] },
      ],
      { seed: 1 },
    );
    const [images, labels] = smallBatch();
    const flat = images.reshape([4, 9]);
    await expectNoLeaks(() => {
      tf.tidy(() => {
        for (let i = 0; i < 1000; i++) augments.call(i % 2 === 0 ? images : flat, labels);
      });
      for (let i = 0; i < 1000; i++) {
        const total = tf.tidy(() => augments.call(images, labels)[1].sum());
        assert.ok(Math.abs(total.dataSync()[0]! - 4) < 1e-4);
        total.dispose();
      }
    });
    tf.dispose([images, labels, flat]);
  });

  it('Augments.call is a prototype method, so a MethodOutputsDelivery can align teacher and student', async () => {
    assert.ok(Object.hasOwn(Augments.prototype, 'call'));
    const augments = new Augments({ type: 'BatchMixup', alpha: 1, numClasses: 3 }, { seed: 3 });
    assert.ok(!Object.hasOwn(augments, 'call'));
    await expectNoLeaks(() => {
      const [images, labels] = smallBatch();
      const delivery = new MethodOutputsDelivery({ methodPath: { cls: Augments, name: 'call' } });
      const teacher = delivery.run(() => augments.call(images, labels));
      const teacherParams = augments.augments[0]!.lastParams;
      delivery.overrideData = true;
      const student = delivery.run(() => augments.call(images, labels));
      assertCloseTo(student[0], teacher[0], 0);
      assertCloseTo(student[1], teacher[1], 0);
      // The student's call was served from the queue: the augment drew nothing new.
      assert.equal(augments.augments[0]!.lastParams, teacherParams);
      tf.dispose([images, labels, ...teacher, ...student]);
    });
  });
});
