import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import {
  OPTIMIZER_TYPES,
  buildOptimizer,
  disposeOptimizer,
  resolveOptimizerConfig,
} from '../../src/train/index.js';
import { distillError } from '../helpers/errors.js';
import { expectNoLeaks } from '../helpers/tensors.js';

before(async () => {
  await tf.setBackend('cpu');
});

/** Takes one step minimising sum(w * [1, -2]) and disposes everything. */
function oneStep(optimizer: tf.Optimizer): void {
  // Variables outlive tidy; the zeros they copy do not.
  const w = tf.tidy(() => tf.variable(tf.zeros([2])));
  try {
    tf.tidy(() => {
      const g = tf.tensor1d([1, -2]);
      optimizer.minimize(() => tf.sum(tf.mul(w, g)), false, [w]);
    });
  } finally {
    w.dispose();
  }
}

describe('resolveOptimizerConfig', () => {
  it('resolveOptimizerConfig fills the defaults of each optimizer type', () => {
    assert.deepEqual(OPTIMIZER_TYPES, ['adam', 'sgd', 'rmsprop']);
    assert.deepEqual(resolveOptimizerConfig({ type: 'adam' }), {
      type: 'adam',
      learningRate: 1e-3,
      beta1: 0.9,
      beta2: 0.999,
    });
    assert.deepEqual(resolveOptimizerConfig({ type: 'sgd', learningRate: 0.1 }), {
      type: 'sgd',
      learningRate: 0.1,
      momentum: 0,
      nesterov: false,
    });
    assert.deepEqual(resolveOptimizerConfig({ type: 'rmsprop', epsilon: 1e-6 }), {
      type: 'rmsprop',
      learningRate: 1e-3,
      decay: 0.9,
      momentum: 0,
      centered: false,
      epsilon: 1e-6,
    });
  });

  it('resolveOptimizerConfig names the key path of a bad value', () => {
    assert.throws(
      () => resolveOptimizerConfig({ type: 'adam', beta1: 1 }, 'stages[0].optimizer'),
      distillError('INVALID_CONFIG', /stages\[0\]\.optimizer\.beta1.*\[0, 1\).*got 1\./),
    );
    assert.throws(
      () => resolveOptimizerConfig({ type: 'adam', learningRate: -1 }),
      distillError('INVALID_CONFIG', /optimizer\.learningRate to be a positive number, but got -1/),
    );
    assert.throws(
      () => resolveOptimizerConfig({ type: 'sgd' }),
      distillError('INVALID_CONFIG', /optimizer\.learningRate .*missing/),
    );
  });

  it('resolveOptimizerConfig suggests the closest type and key', () => {
    assert.throws(
      () => resolveOptimizerConfig({ type: 'adamw' }),
      distillError(
        'INVALID_CONFIG',
        /optimizer\.type.*"adam", "sgd", "rmsprop".*"adamw".*Perhaps you meant "adam"/,
      ),
    );
    assert.throws(
      () => resolveOptimizerConfig({ type: 'sgd', learningRate: 0.1, momentun: 0.9 }),
      distillError('INVALID_CONFIG', /"momentun" at optimizer.*Perhaps you meant "momentum"/),
    );
    assert.throws(
      () => resolveOptimizerConfig({ learningRate: 0.1 }),
      distillError('INVALID_CONFIG', /optimizer\.type .*missing/),
    );
    assert.throws(
      () => resolveOptimizerConfig('adam'),
      distillError('INVALID_CONFIG', /Expected optimizer to be an object/),
    );
  });

  it('resolveOptimizerConfig refuses Nesterov without momentum', () => {
    assert.throws(
      () => resolveOptimizerConfig({ type: 'sgd', learningRate: 0.1, nesterov: true }),
      distillError('INVALID_CONFIG', /nesterov is true but optimizer\.momentum is 0/),
    );
  });
});

describe('buildOptimizer', () => {
  it('buildOptimizer builds the matching tfjs optimizer with the configured values', async () => {
    await expectNoLeaks(() => {
      const cases: [unknown, string, Record<string, unknown>][] = [
        [
          { type: 'adam', learningRate: 0.01, beta2: 0.99 },
          'Adam',
          { learningRate: 0.01, beta2: 0.99 },
        ],
        [{ type: 'sgd', learningRate: 0.5 }, 'SGD', { learningRate: 0.5 }],
        [
          { type: 'sgd', learningRate: 0.5, momentum: 0.9, nesterov: true },
          'Momentum',
          { learningRate: 0.5, momentum: 0.9, useNesterov: true },
        ],
        [{ type: 'rmsprop', centered: true }, 'RMSProp', { learningRate: 1e-3, centered: true }],
      ];
      for (const [config, className, expected] of cases) {
        const optimizer = buildOptimizer(config);
        try {
          assert.equal(optimizer.getClassName(), className);
          const actual = optimizer.getConfig();
          for (const [key, value] of Object.entries(expected))
            assert.equal(actual[key], value, key);
        } finally {
          disposeOptimizer(optimizer);
        }
      }
    });
  });

  it('disposeOptimizer frees every tensor, including the rate scalar tfjs momentum leaks', async () => {
    await expectNoLeaks(() => {
      const configs = [
        { type: 'adam' },
        { type: 'sgd', learningRate: 0.1 },
        { type: 'sgd', learningRate: 0.1, momentum: 0.5 },
        { type: 'rmsprop', momentum: 0.5, centered: true },
      ];
      for (const config of configs) {
        const optimizer = buildOptimizer(config);
        oneStep(optimizer);
        disposeOptimizer(optimizer);
        disposeOptimizer(optimizer);
      }
    });
  });
});
