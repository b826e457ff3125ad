import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { DenseConnector } from '../../src/connectors/index.js';
import { L2Loss } from '../../src/losses/index.js';
import { assertTensorClose, expectNoLeaks } from '../helpers/tensors.js';
import { distillError } from '../helpers/errors.js';

/** Sets a built connector's kernel and bias to known values. */
function setWeights(connector: DenseConnector, kernel: number[][], bias: number[]): void {
  const [k, b] = connector.trainableWeights;
  tf.tidy(() => {
    k!.assign(tf.tensor2d(kernel));
    b!.assign(tf.tensor1d(bias));
  });
}

describe('DenseConnector', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('DenseConnector computes x · W + b, leak-free, leaving its input alive', async () => {
    const connector = new DenseConnector({ inFeatures: 2, outFeatures: 3 });
    setWeights(
      connector,
      [
        [1, 0, 2],
        [0, 1, -1],
      ],
      [0.5, 0, 0],
    );
    const x = tf.tensor2d([
      [1, 2],
      [3, -1],
    ]);
    await expectNoLeaks(() => {
      const y = connector.forward(x);
      // Row 1: (1·1 + 2·0 + 0.5, 1·0 + 2·1, 1·2 − 2·1); row 2 likewise.
      tf.tidy(() => assertTensorClose(y, tf.tensor2d([1.5, 2, 0, 3.5, -1, 7], [2, 3])));
      y.dispose();
    });
    assert.equal(x.isDisposed, false);
    x.dispose();
    connector.dispose();
  });

  it('DenseConnector applies its activation', async () => {
    const connector = new DenseConnector({
      inFeatures: 1,
      outFeatures: 2,
      useBias: false,
      activation: 'relu',
    });
    tf.tidy(() => connector.trainableWeights[0]!.assign(tf.tensor2d([[1, -1]])));
    assert.equal(connector.trainableWeights.length, 1);
    const x = tf.tensor2d([[2], [-3]]);
    await expectNoLeaks(() => {
      const y = connector.forward(x);
      tf.tidy(() => assertTensorClose(y, tf.tensor2d([2, 0, 0, 3], [2, 2])));
      y.dispose();
    });
    x.dispose();
    connector.dispose();
  });

  it('DenseConnector builds from its first input when inFeatures is omitted', () => {
    const connector = new DenseConnector({ outFeatures: 4 });
    assert.equal(connector.built, false);
    assert.throws(
      () => connector.trainableWeights,
      distillError('NOT_BUILT', /inFeatures/, /build\(\)/),
    );
    const before = tf.memory().numTensors;
    // The first call may run inside the caller's tidy; the weights must survive it.
    const shape = tf.tidy(() => connector.forward(tf.zeros([3, 5])).shape);
    assert.deepEqual(shape, [3, 4]);
    assert.equal(connector.built, true);
    assert.equal(connector.inFeatures, 5);
    assert.deepEqual(
      connector.trainableWeights.map((w) => w.shape),
      [[5, 4], [4]],
    );
    assert.equal(tf.memory().numTensors, before + 2);
    assert.ok(connector.trainableWeights.every((w) => !w.isDisposed));
    connector.dispose();
    assert.equal(tf.memory().numTensors, before);
  });

  it('DenseConnector with the same seed starts from the same weights', () => {
    const a = new DenseConnector({ inFeatures: 3, outFeatures: 2, seed: 7 });
    const b = new DenseConnector({ inFeatures: 3, outFeatures: 2, seed: 7 });
    assertTensorClose(a.trainableWeights[0]!, b.trainableWeights[0]!, 0);
    assertTensorClose(a.trainableWeights[1]!, [0, 0]);
    a.dispose();
    b.dispose();
  });

  it('DenseConnector learns a fixed target with Adam through L2Loss', () => {
    const connector = new DenseConnector({ inFeatures: 3, outFeatures: 2, seed: 1 });
    const loss = new L2Loss({ normalize: false });
    const x = tf.tensor2d([
      [1, 0, 2],
      [0, 1, -1],
      [2, 2, 0],
      [-1, 0, 1],
    ]);
    const target = tf.tensor2d([
      [1, 2],
      [-1, 0],
      [3, 1],
      [0, -2],
    ]);
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
    step(); // Adam allocates its moment variables in the first step.
    const before = tf.memory().numTensors;
    let last = first;
    for (let i = 0; i < 200; i++) last = step();
    assert.equal(tf.memory().numTensors, before, 'training leaked tensors');
    assert.ok(last < first * 0.05, `loss went from ${first} to ${last}`);
    optimizer.dispose();
    connector.dispose();
    tf.dispose([x, target]);
  });

  it('DenseConnector rejects inputs of the wrong rank or width, naming the shape', () => {
    const connector = new DenseConnector({ inFeatures: 3, outFeatures: 2 });
    const wide = tf.zeros([2, 4]);
    const map = tf.zeros([2, 1, 1, 3]);
    try {
      assert.throws(
        () => connector.forward(wide),
        distillError('SHAPE_MISMATCH', /built for inFeatures 3/, /\[2, 4\]/),
      );
      assert.throws(
        () => connector.forward(map),
        distillError('SHAPE_MISMATCH', /\[N, D\]/, /\[2, 1, 1, 3\]/),
      );
    } finally {
      tf.dispose([wide, map]);
      connector.dispose();
    }
  });

  it('DenseConnector rejects bad options, naming them', () => {
    assert.throws(
      () => new DenseConnector({} as unknown as { outFeatures: number }),
      distillError('INVALID_CONFIG', /outFeatures/, /missing/),
    );
    assert.throws(
      () => new DenseConnector({ outFeatures: 1.5 }),
      distillError(
        'INVALID_CONFIG',
        /Expected outFeatures to be a positive integer, but got 1\.5\./,
      ),
    );
    assert.throws(
      () => new DenseConnector({ outFeatures: 2, inFeatures: 0 }),
      distillError('INVALID_CONFIG', /inFeatures/, /but got 0/),
    );
    assert.throws(
      () => new DenseConnector({ outFeatures: 2, activation: 'gelu' as 'relu' }),
      distillError('INVALID_CONFIG', /activation/, /"linear", "relu", "sigmoid", "tanh"/),
    );
    assert.throws(
      () => new DenseConnector({ outFeatures: 2, units: 3 } as unknown as { outFeatures: number }),
      distillError('INVALID_CONFIG', /Unknown key "units"/),
    );
  });

  it('DenseConnector.dispose frees the weights; forward throws afterwards', () => {
    const before = tf.memory().numTensors;
    const connector = new DenseConnector({ inFeatures: 2, outFeatures: 2 });
    connector.dispose();
    connector.dispose();
    assert.equal(tf.memory().numTensors, before);
    const x = tf.zeros([1, 2]);
    assert.throws(
      () => connector.forward(x),
      distillError('DISPOSED_TENSOR', /DenseConnector was disposed/),
    );
    x.dispose();
  });
});
