import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ImageClassifier, LABEL_ASSIGNERS, labelAssigners, mlp } from '../../src/index.js';
import { expectNoLeaks } from '../helpers/tensors.js';

describe('ImageClassifier label assignment', () => {
  const x = tf.randomUniform([16, 784], 0, 1, 'float32', 1);
  const y = tf.tensor1d(
    Array.from({ length: 16 }, (_, i) => i % 10),
    'int32',
  );

  for (const name of LABEL_ASSIGNERS) {
    it(`trains a model on its own ${name} targets, which take no gradient`, async () => {
      const model = mlp({ hidden: [8], seed: 3 });
      const classifier = new ImageClassifier({ model, labelAssigner: name });
      const weights = model.trainableWeights.map((w) => w.read() as tf.Variable);
      const optimizer = tf.train.sgd(0.1);
      try {
        await expectNoLeaks(() => {
          // confidenceWeighted compares predictions with `equal`, which has no gradient.
          const cost = optimizer.minimize(() => classifier.loss(x, y).loss, true, weights)!;
          assert.ok(Number.isFinite(cost.dataSync()[0]));
          cost.dispose();
        });
        // The loss's gradient equals that of a cross-entropy against the same targets held
        // constant: nothing flows back through the assignment.
        const targets = tf.tidy(() => {
          const logits = model.apply(x) as tf.Tensor;
          return labelAssigners[name](logits, tf.oneHot(y, 10).toFloat());
        });
        const viaClassifier = tf.variableGrads(() => classifier.loss(x, y).loss, weights);
        const viaConstants = tf.variableGrads(
          () =>
            tf.losses.softmaxCrossEntropy<tf.Tensor, tf.Scalar>(
              targets,
              model.apply(x) as tf.Tensor,
            ),
          weights,
        );
        for (const w of weights) {
          const a = viaClassifier.grads[w.name]!.dataSync();
          const b = viaConstants.grads[w.name]!.dataSync();
          for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) < 1e-6);
        }
        tf.dispose([targets, viaClassifier.value, viaConstants.value]);
        tf.dispose([...Object.values(viaClassifier.grads), ...Object.values(viaConstants.grads)]);
      } finally {
        optimizer.dispose();
        model.dispose();
      }
    });
  }
});
