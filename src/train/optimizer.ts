/**
 * Optimizers from config objects: `{ type: 'adam', learningRate: 1e-3 }` and friends, validated
 * with messages that name the offending key path.
 */
import * as tf from '@tensorflow/tfjs';
import {
  fractionBelowOne,
  optionalBoolean,
  positiveNumber,
  readOptions,
  requiredKind,
  requiredPositiveNumber,
} from '../config/options.js';
import { isPlainObject } from '../config/validate.js';
import { DistillTypeError, describeValue } from '../errors.js';

/** The optimizer kinds {@link buildOptimizer} knows. */
export const OPTIMIZER_TYPES = ['adam', 'sgd', 'rmsprop'] as const;

/** One of {@link OPTIMIZER_TYPES}. */
export type OptimizerType = (typeof OPTIMIZER_TYPES)[number];

/** Adam (Kingma & Ba, 2015). */
export interface AdamConfig {
  /** Always `'adam'`. */
  readonly type: 'adam';
  /** Step size (default 1e-3). */
  readonly learningRate?: number;
  /** Decay of the first-moment average, in `[0, 1)` (default 0.9). */
  readonly beta1?: number;
  /** Decay of the second-moment average, in `[0, 1)` (default 0.999). */
  readonly beta2?: number;
  /** Added to the denominator for stability (default: the backend's epsilon, 1e-7 on cpu). */
  readonly epsilon?: number;
}

/** Stochastic gradient descent, with optional (Nesterov) momentum. */
export interface SgdConfig {
  /** Always `'sgd'`. */
  readonly type: 'sgd';
  /** Step size; required, SGD has no sensible default. */
  readonly learningRate: number;
  /** Momentum in `[0, 1)` (default 0: plain SGD; above 0 uses `tf.train.momentum`). */
  readonly momentum?: number;
  /** Use Nesterov momentum (default false); needs `momentum > 0`. */
  readonly nesterov?: boolean;
}

/** RMSProp (Tieleman & Hinton, 2012). */
export interface RmspropConfig {
  /** Always `'rmsprop'`. */
  readonly type: 'rmsprop';
  /** Step size (default 1e-3). */
  readonly learningRate?: number;
  /** Decay of the mean-square average, in `[0, 1)` (default 0.9). */
  readonly decay?: number;
  /** Momentum in `[0, 1)` (default 0). */
  readonly momentum?: number;
  /** Added to the mean square for stability (default: the backend's epsilon). */
  readonly epsilon?: number;
  /** Normalise by the centred variance instead of the mean square (default false). */
  readonly centered?: boolean;
}

/** Any optimizer config {@link buildOptimizer} accepts. */
export type OptimizerConfig = AdamConfig | SgdConfig | RmspropConfig;

/** An optimizer config with every default filled in (`epsilon` stays optional). */
export type ResolvedOptimizerConfig =
  | (Required<Omit<AdamConfig, 'epsilon'>> & Pick<AdamConfig, 'epsilon'>)
  | Required<SgdConfig>
  | (Required<Omit<RmspropConfig, 'epsilon'>> & Pick<RmspropConfig, 'epsilon'>);

const KEYS: Record<OptimizerType, readonly string[]> = {
  adam: ['type', 'learningRate', 'beta1', 'beta2', 'epsilon'],
  sgd: ['type', 'learningRate', 'momentum', 'nesterov'],
  rmsprop: ['type', 'learningRate', 'decay', 'momentum', 'epsilon', 'centered'],
};

function optionalEpsilon(value: unknown, key: string): { epsilon?: number } {
  return value === undefined ? {} : { epsilon: positiveNumber(value, key, Number.NaN) };
}

/**
 * Validates an optimizer config and fills in its defaults.
 *
 * @param config - The config object, e.g. parsed from JSON.
 * @param path - Its key path, for messages (e.g. `'optimizer'` or `'stages[1].optimizer'`).
 * @returns The config with defaults.
 * @throws DistillError `INVALID_CONFIG` naming the key path, the value and the fix.
 *
 * @example
 * ```ts
 * resolveOptimizerConfig({ type: 'sgd', learningRate: 0.1, momentum: 0.9 });
 * // { type: 'sgd', learningRate: 0.1, momentum: 0.9, nesterov: false }
 * ```
 */
export function resolveOptimizerConfig(
  config: unknown,
  path = 'optimizer',
): ResolvedOptimizerConfig {
  if (!isPlainObject(config)) {
    throw new DistillTypeError(
      'INVALID_CONFIG',
      `Expected ${path} to be an object such as { type: 'adam', learningRate: 0.001 }, but got ${describeValue(config)}.`,
    );
  }
  const type = requiredKind(config.type, `${path}.type`, OPTIMIZER_TYPES);
  const c = readOptions(config, KEYS[type], path);
  const key = (name: string): string => `${path}.${name}`;
  switch (type) {
    case 'adam':
      return {
        type,
        learningRate: positiveNumber(c.learningRate, key('learningRate'), 1e-3),
        beta1: fractionBelowOne(c.beta1, key('beta1'), 0.9),
        beta2: fractionBelowOne(c.beta2, key('beta2'), 0.999),
        ...optionalEpsilon(c.epsilon, key('epsilon')),
      };
    case 'sgd': {
      const learningRate = requiredPositiveNumber(c.learningRate, key('learningRate'));
      const momentum = fractionBelowOne(c.momentum, key('momentum'), 0);
      const nesterov = optionalBoolean(c.nesterov, key('nesterov'), false);
      if (nesterov && momentum === 0) {
        throw new DistillTypeError(
          'INVALID_CONFIG',
          `${key('nesterov')} is true but ${key('momentum')} is 0; Nesterov momentum needs a momentum such as 0.9, or set nesterov to false.`,
        );
      }
      return { type, learningRate, momentum, nesterov };
    }
    case 'rmsprop':
      return {
        type,
        learningRate: positiveNumber(c.learningRate, key('learningRate'), 1e-3),
        decay: fractionBelowOne(c.decay, key('decay'), 0.9),
        momentum: fractionBelowOne(c.momentum, key('momentum'), 0),
        centered: optionalBoolean(c.centered, key('centered'), false),
        ...optionalEpsilon(c.epsilon, key('epsilon')),
      };
  }
}

/**
 * Builds a tfjs optimizer from a config (validated with {@link resolveOptimizerConfig}).
 *
 * `sgd` with `momentum: 0` gives `tf.train.sgd`, with `momentum > 0` `tf.train.momentum`.
 * Dispose the result with {@link disposeOptimizer}, which also frees what tfjs' own `dispose`
 * forgets for momentum optimizers.
 *
 * @param config - The optimizer config.
 * @param path - Its key path, for messages.
 * @throws DistillError `INVALID_CONFIG` naming the key path.
 *
 * @example
 * ```ts
 * const optimizer = buildOptimizer({ type: 'adam', learningRate: 3e-4 });
 * ```
 */
export function buildOptimizer(config: unknown, path = 'optimizer'): tf.Optimizer {
  const c = resolveOptimizerConfig(config, path);
  switch (c.type) {
    case 'adam':
      return tf.train.adam(c.learningRate, c.beta1, c.beta2, c.epsilon);
    case 'sgd':
      return c.momentum === 0
        ? tf.train.sgd(c.learningRate)
        : tf.train.momentum(c.learningRate, c.momentum, c.nesterov);
    case 'rmsprop':
      return tf.train.rmsprop(c.learningRate, c.decay, c.momentum, c.epsilon, c.centered);
  }
}

/**
 * Disposes an optimizer and every tensor it holds.
 *
 * tfjs 4.22's `MomentumOptimizer.dispose()` does not call its parent's, so the kept
 * learning-rate scalar of SGD leaks one tensor per momentum optimizer; this frees it too.
 *
 * @param optimizer - Any tfjs optimizer; disposing twice is harmless.
 */
export function disposeOptimizer(optimizer: tf.Optimizer): void {
  optimizer.dispose();
  // SGD and its subclasses keep -learningRate as the scalar `c` (see setLearningRate).
  const { c } = optimizer as unknown as { c?: unknown };
  if (c instanceof tf.Tensor && !c.isDisposed) c.dispose();
}
