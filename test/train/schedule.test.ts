import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import {
  SCHEDULE_TYPES,
  buildOptimizer,
  disposeOptimizer,
  getLearningRate,
  learningRateAt,
  resolveScheduleConfig,
  setLearningRate,
} from '../../src/train/index.js';
import { distillError } from '../helpers/errors.js';
import { expectNoLeaks } from '../helpers/tensors.js';

before(async () => {
  await tf.setBackend('cpu');
});

function close(actual: number, expected: number, tolerance = 1e-12): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} != ${expected}`);
}

describe('learningRateAt', () => {
  it('learningRateAt keeps a constant schedule at the base rate', () => {
    assert.deepEqual(SCHEDULE_TYPES, ['constant', 'step', 'exponential', 'cosine']);
    assert.equal(learningRateAt({ type: 'constant' }, 0.01, 7.5, 10), 0.01);
  });

  it('learningRateAt decays a step schedule every stepSize epochs', () => {
    const s = { type: 'step', stepSize: 10, gamma: 0.1 } as const;
    close(learningRateAt(s, 0.1, 0, 30), 0.1);
    close(learningRateAt(s, 0.1, 9.99, 30), 0.1);
    close(learningRateAt(s, 0.1, 10, 30), 0.01);
    close(learningRateAt(s, 0.1, 25, 30), 0.001);
  });

  it('learningRateAt decays an exponential schedule smoothly, fractional epochs included', () => {
    const s = { type: 'exponential', gamma: 0.5 } as const;
    close(learningRateAt(s, 1, 2, 10), 0.25);
    close(learningRateAt(s, 1, 0.5, 10), Math.SQRT1_2);
  });

  it('learningRateAt follows a cosine from the base rate to the minimum', () => {
    const s = { type: 'cosine', minLearningRate: 0.1 } as const;
    close(learningRateAt(s, 1, 0, 10), 1);
    close(learningRateAt(s, 1, 5, 10), 0.55);
    close(learningRateAt(s, 1, 10, 10), 0.1);
    close(learningRateAt(s, 1, 12, 10), 0.1);
  });

  it('learningRateAt warms a cosine schedule up linearly first', () => {
    const s = { type: 'cosine', warmupEpochs: 2 } as const;
    close(learningRateAt(s, 1, 0, 12), 0);
    close(learningRateAt(s, 1, 0.5, 12), 0.25);
    close(learningRateAt(s, 1, 2, 12), 1);
    close(learningRateAt(s, 1, 7, 12), 0.5);
    close(learningRateAt(s, 1, 12, 12), 0);
  });

  it('learningRateAt rejects bad epochs and inconsistent cosine settings', () => {
    assert.throws(
      () => learningRateAt({ type: 'constant' }, 1, -1, 10),
      distillError('INVALID_ARGUMENT', /epoch .*-1/),
    );
    assert.throws(
      () => learningRateAt({ type: 'constant' }, 1, 0, 0),
      distillError('INVALID_ARGUMENT', /totalEpochs .*0/),
    );
    assert.throws(
      () => learningRateAt({ type: 'cosine', warmupEpochs: 3 }, 1, 0, 3),
      distillError('INVALID_ARGUMENT', /warmupEpochs \(3\).*3 training epochs/),
    );
    assert.throws(
      () => learningRateAt({ type: 'cosine', minLearningRate: 0.5 }, 0.1, 0, 3),
      distillError('INVALID_ARGUMENT', /minLearningRate \(0\.5\).*base learning rate \(0\.1\)/),
    );
  });
});

describe('resolveScheduleConfig', () => {
  it('resolveScheduleConfig treats a missing schedule as constant and fills cosine defaults', () => {
    assert.deepEqual(resolveScheduleConfig(undefined), { type: 'constant' });
    assert.deepEqual(resolveScheduleConfig({ type: 'cosine' }), {
      type: 'cosine',
      minLearningRate: 0,
      warmupEpochs: 0,
    });
  });

  it('resolveScheduleConfig names the key path of a bad or missing value', () => {
    assert.throws(
      () => resolveScheduleConfig({ type: 'step', gamma: 0.1 }, 'train.schedule'),
      distillError('INVALID_CONFIG', /train\.schedule\.stepSize .*missing/),
    );
    assert.throws(
      () => resolveScheduleConfig({ type: 'exponential', gamma: 1.5 }),
      distillError('INVALID_CONFIG', /schedule\.gamma .*\(0, 1\].*1\.5/),
    );
    assert.throws(
      () => resolveScheduleConfig({ type: 'cosine', warmup: 1 }),
      distillError('INVALID_CONFIG', /"warmup" at schedule.*Perhaps you meant "warmupEpochs"/),
    );
    assert.throws(
      () => resolveScheduleConfig({ type: 'linear' }),
      distillError('INVALID_CONFIG', /schedule\.type .*"linear"/),
    );
  });
});

/** One step of minimising sum(w * g) from w = [1, 1]; returns w after the step. */
function stepWeights(optimizer: tf.Optimizer, lr: number | undefined): number[] {
  const w = tf.tidy(() => tf.variable(tf.ones([2])));
  try {
    if (lr !== undefined) setLearningRate(optimizer, lr);
    tf.tidy(() => {
      const g = tf.tensor1d([2, -4]);
      optimizer.minimize(() => tf.sum(tf.mul(w, g)), false, [w]);
    });
    return Array.from(w.dataSync());
  } finally {
    w.dispose();
  }
}

describe('setLearningRate', () => {
  const kinds = [
    { type: 'sgd', learningRate: 0.1 },
    { type: 'sgd', learningRate: 0.1, momentum: 0.9 },
    { type: 'adam', learningRate: 0.1 },
    { type: 'rmsprop', learningRate: 0.1 },
  ];

  for (const config of kinds) {
    it(`setLearningRate(…, 0) freezes the next step of ${JSON.stringify(config)}`, async () => {
      await expectNoLeaks(() => {
        const optimizer = buildOptimizer(config);
        try {
          assert.deepEqual(stepWeights(optimizer, 0), [1, 1]);
          assert.equal(getLearningRate(optimizer), 0);
          assert.notDeepEqual(stepWeights(optimizer, 0.1), [1, 1]);
        } finally {
          disposeOptimizer(optimizer);
        }
      });
    });
  }

  it('setLearningRate changes an SGD step by exactly the new rate times the gradient', async () => {
    await expectNoLeaks(() => {
      const optimizer = buildOptimizer({ type: 'sgd', learningRate: 0.1 });
      try {
        const [a, b] = stepWeights(optimizer, 0.25);
        close(a!, 1 - 0.25 * 2, 1e-6);
        close(b!, 1 + 0.25 * 4, 1e-6);
        const [c] = stepWeights(optimizer, undefined);
        close(c!, 1 - 0.25 * 2, 1e-6);
      } finally {
        disposeOptimizer(optimizer);
      }
    });
  });

  it('setLearningRate sets the step size of a first Adam step (about lr per weight)', async () => {
    await expectNoLeaks(() => {
      const optimizer = buildOptimizer({ type: 'adam', learningRate: 0.1 });
      try {
        const [a, b] = stepWeights(optimizer, 0.01);
        close(a!, 1 - 0.01, 1e-5);
        close(b!, 1 + 0.01, 1e-5);
      } finally {
        disposeOptimizer(optimizer);
      }
    });
  });

  it('setLearningRate rejects a negative rate and an optimizer it does not know', async () => {
    await expectNoLeaks(() => {
      const optimizer = buildOptimizer({ type: 'adam' });
      try {
        assert.throws(
          () => setLearningRate(optimizer, -0.1),
          distillError('INVALID_ARGUMENT', /learningRate .*-0\.1/),
        );
      } finally {
        disposeOptimizer(optimizer);
      }
      class Custom extends tf.Optimizer {
        applyGradients(): void {}
        getConfig(): tf.serialization.ConfigDict {
          return {};
        }
        override getClassName(): string {
          return 'Custom';
        }
      }
      assert.throws(
        () => setLearningRate(new Custom(), 0.1),
        distillError('INVALID_ARGUMENT', /Custom optimizer/),
      );
    });
  });
});
