import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { detach } from '../../src/losses/index.js';
import { assertTensorClose, expectNoLeaks } from '../helpers/tensors.js';

describe('detach', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('detach returns a new tensor with the same values and leaves the input alive', async () => {
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    await expectNoLeaks(() => {
      const y = detach(x);
      assert.notEqual(y, x);
      assertTensorClose(y, x);
      y.dispose();
    });
    assert.equal(x.isDisposed, false);
    x.dispose();
  });

  it('detach blocks the gradient to its input and nothing else', async () => {
    const a = tf.tensor1d([1, 2, 3]);
    const b = tf.tensor1d([4, 5, 6]);
    await expectNoLeaks(() => {
      const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(x, detach(y))))([
        a,
        b,
      ]);
      assertTensorClose(ga!, [4, 5, 6]);
      assertTensorClose(gb!, [0, 0, 0]);
      tf.dispose([ga!, gb!]);
    });
    tf.dispose([a, b]);
  });
});
