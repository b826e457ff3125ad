import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { mlp, smallCnn } from '../../src/models/index.js';
import { recommendedBackend, selectBackend, type BackendName } from '../../src/train/index.js';
import { distillError } from '../helpers/errors.js';
import { assertTensorClose, expectNoLeaks } from '../helpers/tensors.js';

before(async () => {
  await tf.setBackend('cpu');
});
after(async () => {
  await tf.setBackend('cpu');
});

describe('selectBackend', () => {
  it('selectBackend("cpu") activates the cpu backend and returns its name', async () => {
    assert.equal(await selectBackend('cpu'), 'cpu');
    assert.equal(tf.getBackend(), 'cpu');
  });

  it('selectBackend("wasm") loads the local binaries and predicts like cpu within 1e-4', async () => {
    await expectNoLeaks(async () => {
      const model = mlp({ inputSize: 8, hidden: [16], numClasses: 4, seed: 3 });
      const x = tf.tensor2d(
        Array.from({ length: 24 }, (_, i) => Math.sin(i)),
        [3, 8],
      );
      const onCpu = model.predict(x) as tf.Tensor;
      try {
        assert.equal(await selectBackend('wasm'), 'wasm');
        assert.equal(tf.getBackend(), 'wasm');
        const onWasm = model.predict(x) as tf.Tensor;
        try {
          assertTensorClose(onWasm, onCpu, 1e-4);
        } finally {
          onWasm.dispose();
        }
      } finally {
        await selectBackend('cpu');
        tf.dispose([x, onCpu]);
        model.dispose();
      }
    });
    assert.equal(tf.getBackend(), 'cpu');
  });

  it('selectBackend("wasm") a second time reuses the initialised backend', async () => {
    try {
      assert.equal(await selectBackend('wasm'), 'wasm');
    } finally {
      await selectBackend('cpu');
    }
  });

  it('selectBackend("tensorflow") says to install tfjs-node when it is missing', async () => {
    await assert.rejects(
      selectBackend('tensorflow'),
      distillError('BACKEND_UNAVAILABLE', /not installed.*npm install @tensorflow\/tfjs-node/),
    );
    assert.equal(tf.getBackend(), 'cpu');
  });

  it('selectBackend("webgl") refuses to run outside a browser', async () => {
    await assert.rejects(selectBackend('webgl'), distillError('UNSUPPORTED_PLATFORM', /browser/));
  });

  it('selectBackend rejects an unknown name and lists the known ones', async () => {
    await assert.rejects(
      selectBackend('gpu' as BackendName),
      distillError('INVALID_ARGUMENT', /"gpu".*cpu, wasm, tensorflow, webgl/),
    );
  });
});

describe('recommendedBackend', () => {
  it('recommendedBackend picks cpu for a model with convolutions and wasm for an MLP', () => {
    const cnn = smallCnn({ seed: 1 });
    const net = mlp({ inputSize: 4, hidden: [3], numClasses: 2 });
    try {
      assert.equal(recommendedBackend(cnn), 'cpu');
      assert.equal(recommendedBackend(net), 'wasm');
    } finally {
      cnn.dispose();
      net.dispose();
    }
  });

  it('recommendedBackend finds a convolution inside a nested model', () => {
    const inner = tf.sequential({
      layers: [tf.layers.conv1d({ inputShape: [6, 1], filters: 2, kernelSize: 3 })],
    });
    const outer = tf.sequential({ layers: [inner, tf.layers.flatten()] });
    try {
      assert.equal(recommendedBackend(outer), 'cpu');
    } finally {
      outer.dispose();
    }
  });
});
