import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { LayerOutputsRecorder, selectBackend } from '../../src/index.js';
import { asLogits, detectOutputKind, numericOutputKind } from '../../src/teacher/output-kind.js';
import { assertTensorClose, expectNoLeaks } from '../helpers/tensors.js';

/** A logits model, and the same layers with a softmax on top (by activation or by layer). */
function models(): { logits: tf.Sequential; activation: tf.LayersModel; layer: tf.LayersModel } {
  const fc1 = tf.layers.dense({
    inputShape: [6],
    units: 5,
    activation: 'relu',
    name: 'fc1',
    kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
  });
  const out = tf.layers.dense({
    units: 4,
    name: 'logits',
    kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
  });
  const logits = tf.sequential({ layers: [fc1, out] });
  const input = tf.input({ shape: [6] });
  const probs = tf.layers
    .softmax({ name: 'probs' })
    .apply(logits.apply(input)) as tf.SymbolicTensor;
  const layer = tf.model({ inputs: input, outputs: probs });
  const activation = tf.sequential({
    layers: [tf.layers.dense({ inputShape: [6], units: 4, activation: 'softmax', name: 'logits' })],
  });
  return { logits, activation, layer };
}

describe('detectOutputKind', () => {
  before(() => selectBackend('cpu'));

  it('tells probabilities from the output activation, a Softmax layer or the values', () => {
    const m = models();
    const x = tf.randomUniform([8, 6], -1, 1, 'float32', 3);
    assert.equal(detectOutputKind(m.logits).kind, 'logits');
    assert.equal(detectOutputKind(m.logits, x).kind, 'logits');
    assert.match(
      detectOutputKind(m.activation).reason,
      /activation of the output layer "logits" is softmax/,
    );
    assert.equal(detectOutputKind(m.layer).kind, 'probabilities');
    // A softmax the structure does not show (a lambda-like model): numeric check on a sample.
    const hidden = tf.tidy(() => tf.softmax(x));
    assert.equal(numericOutputKind(hidden).kind, 'probabilities');
    assert.equal(numericOutputKind(tf.tidy(() => tf.abs(x))).kind, 'logits');
    tf.dispose([x, hidden]);
  });
});

describe('asLogits', () => {
  it('gives log-probabilities whose tempered softmax equals that of the stripped logits', async () => {
    const m = models();
    const x = tf.randomUniform([8, 6], -1, 1, 'float32', 4);
    const wrapped = asLogits(m.layer);
    await expectNoLeaks(() => {
      assert.deepEqual(wrapped.outputs[0]!.shape, [null, 4]);
      assert.equal(wrapped.trainableWeights.length, 0);
      for (const tau of [1, 2, 8]) {
        tf.tidy(() => {
          const got = tf.softmax(tf.div(wrapped.apply(x) as tf.Tensor, tau));
          const want = tf.softmax(tf.div(m.logits.apply(x) as tf.Tensor, tau));
          assertTensorClose(got, want, 1e-5);
          // Dividing the probabilities themselves would be wrong: the check can fail.
          const wrong = tf.softmax(tf.div(m.layer.apply(x) as tf.Tensor, tau));
          assert.ok(tf.max(tf.abs(tf.sub(wrong, want))).dataSync()[0]! > 1e-3);
        });
      }
    });
    x.dispose();
    wrapped.dispose();
  });

  it('shadows the inner logits layer, so a logits recorder records the log-probabilities', () => {
    const m = models();
    const wrapped = asLogits(m.layer);
    const x = tf.randomUniform([3, 6], -1, 1, 'float32', 5);
    const rec = new LayerOutputsRecorder({ source: 'logits' }).initialize(wrapped);
    const fc1 = new LayerOutputsRecorder({ source: 'fc1' }).initialize(wrapped);
    tf.tidy(() => {
      rec.run(() => fc1.run(() => wrapped.apply(x)));
    });
    const want = tf.tidy(() => tf.log(m.layer.apply(x) as tf.Tensor));
    assertTensorClose(rec.getRecordData<tf.Tensor>(), want, 1e-5);
    assert.deepEqual(fc1.getRecordData<tf.Tensor>().shape, [3, 5]);
    rec.reset();
    fc1.reset();
    tf.dispose([x, want]);
    wrapped.dispose();
  });
});
