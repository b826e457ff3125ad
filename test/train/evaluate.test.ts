import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../../src/data/index.js';
import { evaluate } from '../../src/train/index.js';
import { distillError } from '../helpers/errors.js';
import { expectNoLeaks } from '../helpers/tensors.js';

before(async () => {
  await tf.setBackend('cpu');
});

/** Logits = x · W + b with W, b set by hand; an optional heavy dropout that must be off. */
function handModel(dropout = 0): tf.Sequential {
  const layers: tf.layers.Layer[] = [];
  if (dropout > 0) layers.push(tf.layers.dropout({ rate: dropout, inputShape: [2] }));
  layers.push(tf.layers.dense({ units: 3, inputShape: [2], name: 'logits' }));
  const model = tf.sequential({ layers });
  tf.tidy(() => {
    model.getLayer('logits').setWeights([
      tf.tensor2d([
        [1, 0, -1],
        [0, 1, -1],
      ]),
      tf.tensor1d([0, 0, 0.5]),
    ]);
  });
  return model;
}

const X = [
  [2, 0],
  [0, 3],
  [0, 0],
  [1, 1],
  [-1, -2],
];
const LABELS = [0, 1, 2, 0, 1];

function dataset(labels = LABELS): Dataset {
  return { images: Float32Array.from(X.flat()), labels: Uint8Array.from(labels), count: X.length };
}

/** Reference values computed in plain JavaScript. */
function reference(): { loss: number; correct: number } {
  let loss = 0;
  let correct = 0;
  X.forEach(([a, b], i) => {
    const logits = [a!, b!, -a! - b! + 0.5];
    const max = Math.max(...logits);
    const lse = max + Math.log(logits.reduce((s, z) => s + Math.exp(z - max), 0));
    loss += lse - logits[LABELS[i]!]!;
    if (logits.indexOf(max) === LABELS[i]) correct++;
  });
  return { loss: loss / X.length, correct };
}

describe('evaluate', () => {
  it('evaluate measures accuracy, errors and mean cross-entropy of the logits', async () => {
    const model = handModel();
    try {
      const ref = reference();
      const result = await expectNoLeaks(() => evaluate(model, dataset()));
      assert.equal(result.count, 5);
      assert.equal(result.errors, 5 - ref.correct);
      assert.equal(result.accuracy, ref.correct / 5);
      assert.ok(Math.abs(result.loss - ref.loss) < 1e-5, `${result.loss} != ${ref.loss}`);
      // Examples 0, 1, 2 and 3 are right; example 4 has logits [-1, -2, 3.5] and label 1.
      assert.equal(result.errors, 1);
    } finally {
      model.dispose();
    }
  });

  it('evaluate gives the same result for any batch size, a partial last batch included', async () => {
    const model = handModel();
    try {
      const whole = await evaluate(model, dataset());
      for (const batchSize of [1, 2, 3]) {
        const batched = await expectNoLeaks(() => evaluate(model, dataset(), { batchSize }));
        assert.equal(batched.errors, whole.errors);
        assert.ok(Math.abs(batched.loss - whole.loss) < 1e-6);
      }
    } finally {
      model.dispose();
    }
  });

  it('evaluate runs the model in inference mode, with dropout off', async () => {
    const plain = handModel();
    const dropped = handModel(0.9);
    try {
      const a = await evaluate(plain, dataset());
      const b = await expectNoLeaks(() => evaluate(dropped, dataset()));
      assert.equal(b.loss, a.loss);
    } finally {
      plain.dispose();
      dropped.dispose();
    }
  });

  it('evaluate rejects an empty dataset, labels beyond the classes and mismatched inputs', async () => {
    const model = handModel();
    try {
      await expectNoLeaks(async () => {
        await assert.rejects(
          evaluate(model, { images: new Float32Array(0), labels: new Uint8Array(0), count: 0 }),
          distillError('INVALID_ARGUMENT', /empty/),
        );
        await assert.rejects(
          evaluate(model, dataset([0, 1, 2, 3, 0])),
          distillError('INVALID_ARGUMENT', /label 3.*only 3 classes/),
        );
        await assert.rejects(
          evaluate(model, { images: new Float32Array(6), labels: new Uint8Array(2), count: 2 }),
          distillError('SHAPE_MISMATCH', /\[batch, 3\].*\[null,2\]/),
        );
        await assert.rejects(
          evaluate(model, dataset(), { batchSize: 0 }),
          distillError('INVALID_ARGUMENT', /batchSize/),
        );
      });
    } finally {
      model.dispose();
    }
  });
});
