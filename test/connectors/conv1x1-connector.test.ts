import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { Conv1x1Connector } from '../../src/connectors/index.js';
import { L2Loss } from '../../src/losses/index.js';
import { assertTensorClose, expectNoLeaks } from '../helpers/tensors.js';
import { distillError } from '../helpers/errors.js';

describe('Conv1x1Connector', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('Conv1x1Connector maps the channels of every pixel, then applies relu', async () => {
    const connector = new Conv1x1Connector({ inChannels: 2, outChannels: 2, activation: 'relu' });
    const [kernel, bias] = connector.trainableWeights;
    tf.tidy(() => {
      kernel!.assign(
        tf.tensor2d([
          [1, -1],
          [2, 0],
        ]),
      );
      bias!.assign(tf.tensor1d([0, 1]));
    });
    // [1, 1, 2, 2]: pixel (1, 1) → (1 + 2, −1 + 1) = (3, 0); pixel (−1, 0) → (−1, 2) → relu (0, 2).
    const x = tf.tensor4d([1, 1, -1, 0], [1, 1, 2, 2]);
    await expectNoLeaks(() => {
      const y = connector.forward(x);
      tf.tidy(() => assertTensorClose(y, tf.tensor4d([3, 0, 0, 2], [1, 1, 2, 2])));
      y.dispose();
    });
    x.dispose();
    connector.dispose();
  });

  it('Conv1x1Connector builds from its first input and keeps N, H and W', () => {
    const connector = new Conv1x1Connector({ outChannels: 8 });
    const shape = tf.tidy(() => connector.forward(tf.zeros([2, 3, 4, 5])).shape);
    assert.deepEqual(shape, [2, 3, 4, 8]);
    assert.equal(connector.inChannels, 5);
    connector.dispose();
  });

  it('Conv1x1Connector learns a fixed target with Adam through L2Loss', () => {
    const connector = new Conv1x1Connector({ inChannels: 2, outChannels: 3, seed: 3 });
    const loss = new L2Loss({ normalize: false, div: 'element' });
    const x = tf.tensor4d([1, 0, 0, 1, 1, 1, 2, -1], [1, 2, 2, 2]);
    const target = tf.tensor4d([1, 2, 0, 0, -1, 1, 1, 1, 1, 2, 1, 0], [1, 2, 2, 3]);
    const optimizer = tf.train.adam(0.1);
    const step = (): number => {
      const value = optimizer.minimize(
        () => loss.forward({ sFeature: connector.forward(x), tFeature: target }),
        true,
        connector.trainableWeights,
      )!;
      const v = value.dataSync()[0]!;
      value.dispose();
      return v;
    };
    const first = step();
    let last = first;
    for (let i = 0; i < 200; i++) last = step();
    assert.ok(last < first * 0.1, `loss went from ${first} to ${last}`);
    optimizer.dispose();
    connector.dispose();
    tf.dispose([x, target]);
  });

  it('Conv1x1Connector rejects non-NHWC inputs and other channel counts', () => {
    const connector = new Conv1x1Connector({ inChannels: 3, outChannels: 2 });
    const flat = tf.zeros([2, 3]);
    const other = tf.zeros([1, 2, 2, 4]);
    try {
      assert.throws(
        () => connector.forward(flat),
        distillError('SHAPE_MISMATCH', /\[N, H, W, C\]/, /\[2, 3\]/),
      );
      assert.throws(
        () => connector.forward(other),
        distillError('SHAPE_MISMATCH', /inChannels 3/, /\[1, 2, 2, 4\]/),
      );
    } finally {
      tf.dispose([flat, other]);
      connector.dispose();
    }
  });

  it('Conv1x1Connector requires outChannels', () => {
    assert.throws(
      () => new Conv1x1Connector({ outChannels: -4 }),
      distillError('INVALID_CONFIG', /Expected outChannels to be a positive integer, but got -4\./),
    );
  });
});
