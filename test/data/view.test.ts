import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { checkView, makeView } from '../../src/data/view.js';
import { distillError } from '../helpers/errors.js';
import { assertTensorClose, expectNoLeaks } from '../helpers/tensors.js';

describe('makeView', () => {
  it('makeView of no config is the identity and returns the batch itself', () => {
    const view = makeView(undefined, [4, 4, 1]);
    const x = tf.zeros([2, 4, 4, 1]);
    assert.equal(view.identity, true);
    assert.equal(view.apply(x), x);
    assert.deepEqual(view.inputShape, [4, 4, 1]);
    x.dispose();
  });

  it('makeView resizes, converts RGB to gray by luma, and rescales [0, 1] to [min, max]', async () => {
    await tf.setBackend('cpu');
    await expectNoLeaks(() => {
      const view = makeView({ size: [2, 2], channels: 1, scale: [-1, 1] }, [4, 4, 3]);
      assert.deepEqual(view.inputShape, [2, 2, 1]);
      // A uniform colour stays uniform through the resize: gray = luma, then 2 * g - 1.
      const x = tf.tidy(() => tf.mul(tf.ones([1, 4, 4, 3]), tf.tensor1d([1, 0.5, 0])));
      const y = view.apply(x);
      const luma = 0.299 + 0.587 * 0.5;
      const expected = tf.fill([1, 2, 2, 1], 2 * luma - 1);
      assertTensorClose(y, expected, 1e-5);
      tf.dispose([x, y, expected]);
    });
  });

  it('makeView repeats gray into RGB and flattens', async () => {
    await expectNoLeaks(() => {
      const view = makeView({ channels: 3, flatten: true }, [2, 1, 1]);
      assert.deepEqual(view.inputShape, [6]);
      const x = tf.tensor4d([0.25, 0.75], [1, 2, 1, 1]);
      const y = view.apply(x);
      const expected = tf.tensor2d([[0.25, 0.25, 0.25, 0.75, 0.75, 0.75]]);
      assertTensorClose(y, expected);
      tf.dispose([x, y, expected]);
    });
  });

  it('makeView refuses to resize examples that are not images, naming the key', () => {
    assert.throws(
      () => makeView({ size: [8, 8] }, [64], 'teacher.input'),
      distillError(
        'SHAPE_MISMATCH',
        /^teacher\.input resizes or recolours images, but the data's examples have shape \[64\]/,
      ),
    );
  });
});

describe('checkView', () => {
  it('checkView names a bad key, size and channel count', () => {
    assert.throws(
      () => checkView({ sizes: [2, 2] }, 'input'),
      distillError('INVALID_CONFIG', /Unknown key input\.sizes/),
    );
    assert.throws(
      () => checkView({ size: [0, 2] }, 'input'),
      distillError('INVALID_CONFIG', /input\.size to be \[height, width\]/),
    );
    assert.throws(
      () => checkView({ channels: 2 }, 'teacher.input'),
      distillError('INVALID_CONFIG', /teacher\.input\.channels to be 1 \(gray\) or 3/),
    );
    assert.deepEqual(checkView({ scale: [-1, 1] }, 'input'), { scale: [-1, 1] });
  });
});
