/**
 * Learning-rate schedules as config objects, and a way to change the rate of a live tfjs
 * optimizer between steps.
 */
import type * as tf from '@tensorflow/tfjs';
import {
  nonNegativeNumber,
  readOptions,
  requiredKind,
  requiredPositiveNumber,
} from '../config/options.js';
import { isPlainObject } from '../config/validate.js';
import { DistillError, DistillTypeError, describeValue } from '../errors.js';

/** The schedule kinds {@link learningRateAt} knows. */
export const SCHEDULE_TYPES = ['constant', 'step', 'exponential', 'cosine'] as const;

/** One of {@link SCHEDULE_TYPES}. */
export type ScheduleType = (typeof SCHEDULE_TYPES)[number];

/** A learning-rate schedule; epochs may be fractional (epoch 1.5 is half-way through the second). */
export type ScheduleConfig =
  | {
      /** The base rate throughout. */
      readonly type: 'constant';
    }
  | {
      /** Multiply the rate by `gamma` every `stepSize` epochs. */
      readonly type: 'step';
      /** Epochs between decays (positive; may be fractional). */
      readonly stepSize: number;
      /** Factor in `(0, 1]` applied at each decay, e.g. 0.1. */
      readonly gamma: number;
    }
  | {
      /** `base * gamma^epoch`, smoothly. */
      readonly type: 'exponential';
      /** Factor per epoch in `(0, 1]`, e.g. 0.95. */
      readonly gamma: number;
    }
  | {
      /** Optional linear warm-up, then half a cosine from the base rate down to `minLearningRate`. */
      readonly type: 'cosine';
      /** Rate at the end of training (default 0); at most the base rate. */
      readonly minLearningRate?: number;
      /** Epochs of linear warm-up from 0 to the base rate (default 0). */
      readonly warmupEpochs?: number;
    };

const KEYS: Record<ScheduleType, readonly string[]> = {
  constant: ['type'],
  step: ['type', 'stepSize', 'gamma'],
  exponential: ['type', 'gamma'],
  cosine: ['type', 'minLearningRate', 'warmupEpochs'],
};

function requiredGamma(value: unknown, key: string): number {
  if (typeof value !== 'number' || !(value > 0 && value <= 1)) {
    throw new DistillError(
      'INVALID_CONFIG',
      `Expected ${key} to be a decay factor in (0, 1], such as 0.1, but ${value === undefined ? 'it is missing' : `got ${describeValue(value)}`}.`,
    );
  }
  return value;
}

/**
 * Validates a schedule config and fills in its defaults.
 *
 * @param config - The config object; `undefined` means `{ type: 'constant' }`.
 * @param path - Its key path, for messages (e.g. `'schedule'`).
 * @throws DistillError `INVALID_CONFIG` naming the key path, the value and the fix.
 */
export function resolveScheduleConfig(config: unknown, path = 'schedule'): ScheduleConfig {
  if (config === undefined) return { type: 'constant' };
  if (!isPlainObject(config)) {
    throw new DistillTypeError(
      'INVALID_CONFIG',
      `Expected ${path} to be an object such as { type: 'cosine' }, but got ${describeValue(config)}.`,
    );
  }
  const type = requiredKind(config.type, `${path}.type`, SCHEDULE_TYPES);
  const c = readOptions(config, KEYS[type], path);
  const key = (name: string): string => `${path}.${name}`;
  switch (type) {
    case 'constant':
      return { type };
    case 'step':
      return {
        type,
        stepSize: requiredPositiveNumber(c.stepSize, key('stepSize')),
        gamma: requiredGamma(c.gamma, key('gamma')),
      };
    case 'exponential':
      return { type, gamma: requiredGamma(c.gamma, key('gamma')) };
    case 'cosine':
      return {
        type,
        minLearningRate: nonNegativeNumber(c.minLearningRate, key('minLearningRate'), 0),
        warmupEpochs: nonNegativeNumber(c.warmupEpochs, key('warmupEpochs'), 0),
      };
  }
}

function checkArgument(ok: boolean, message: () => string): void {
  if (!ok) throw new DistillTypeError('INVALID_ARGUMENT', message());
}

/**
 * The learning rate of `schedule` at a point of training.
 *
 * - `constant`: `baseLr`.
 * - `step`: `baseLr * gamma^floor(epoch / stepSize)`.
 * - `exponential`: `baseLr * gamma^epoch`.
 * - `cosine`: during `warmupEpochs`, linear from 0 to `baseLr`; then
 *   `min + (baseLr - min) * (1 + cos(pi * p)) / 2` with `p` going from 0 to 1 over the remaining
 *   epochs, and `min` after `totalEpochs`.
 *
 * @param schedule - A schedule (validated with {@link resolveScheduleConfig}).
 * @param baseLr - The optimizer's configured learning rate.
 * @param epoch - Epochs completed so far, fractional within an epoch
 *   (`epoch + step / stepsPerEpoch`), from 0.
 * @param totalEpochs - Length of training in epochs.
 * @throws DistillError `INVALID_ARGUMENT` for a negative epoch, a non-positive total, a warm-up
 *   as long as training, or a `minLearningRate` above `baseLr`.
 *
 * @example
 * ```ts
 * learningRateAt({ type: 'step', stepSize: 10, gamma: 0.1 }, 0.1, 25, 30); // 0.001
 * ```
 */
export function learningRateAt(
  schedule: ScheduleConfig,
  baseLr: number,
  epoch: number,
  totalEpochs: number,
): number {
  const s = resolveScheduleConfig(schedule);
  checkArgument(
    Number.isFinite(baseLr) && baseLr > 0,
    () => `Expected baseLr to be a positive number, but got ${describeValue(baseLr)}.`,
  );
  checkArgument(
    Number.isFinite(epoch) && epoch >= 0,
    () => `Expected epoch to be a finite number >= 0, but got ${describeValue(epoch)}.`,
  );
  checkArgument(
    Number.isFinite(totalEpochs) && totalEpochs > 0,
    () => `Expected totalEpochs to be a positive number, but got ${describeValue(totalEpochs)}.`,
  );
  switch (s.type) {
    case 'constant':
      return baseLr;
    case 'step':
      return baseLr * s.gamma ** Math.floor(epoch / s.stepSize);
    case 'exponential':
      return baseLr * s.gamma ** epoch;
    case 'cosine':
      return cosineAt(baseLr, s.minLearningRate ?? 0, s.warmupEpochs ?? 0, epoch, totalEpochs);
  }
}

function cosineAt(
  baseLr: number,
  minLr: number,
  warmup: number,
  epoch: number,
  total: number,
): number {
  checkArgument(
    warmup < total,
    () =>
      `The cosine schedule's warmupEpochs (${warmup}) must be less than the ${total} training epochs; shorten the warm-up or train longer.`,
  );
  checkArgument(
    minLr <= baseLr,
    () =>
      `The cosine schedule's minLearningRate (${minLr}) is above the base learning rate (${baseLr}); lower minLearningRate.`,
  );
  if (epoch < warmup) return (baseLr * epoch) / warmup;
  const progress = Math.min(1, (epoch - warmup) / (total - warmup));
  return minLr + ((baseLr - minLr) * (1 + Math.cos(Math.PI * progress))) / 2;
}

// Optimizers whose applyGradients reads the plain number `this.learningRate` at every step.
const READS_LEARNING_RATE_FIELD = ['Adam', 'Adamax', 'Adagrad', 'Adadelta', 'RMSProp'];

interface WithLearningRate {
  learningRate?: unknown;
  setLearningRate?: unknown;
}

/**
 * Changes the learning rate that the next step of `optimizer` uses.
 *
 * tfjs optimizers store the rate in two ways. SGD and Momentum fold `-learningRate` into a kept
 * scalar tensor when they are created, so assigning their `learningRate` field has no effect;
 * their own `setLearningRate` replaces (and disposes) that tensor. Adam, Adamax, Adagrad,
 * Adadelta and RMSProp read the number `learningRate` at every step, so it is assigned. No
 * tensor is created or leaked either way.
 *
 * @param optimizer - A built-in tfjs optimizer.
 * @param learningRate - The new rate, a finite number >= 0.
 * @throws DistillError `INVALID_ARGUMENT` for a bad rate or an optimizer of unknown kind.
 *
 * @example
 * ```ts
 * setLearningRate(optimizer, learningRateAt(schedule, 1e-3, epoch + i / steps, epochs));
 * ```
 */
export function setLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  checkArgument(
    typeof learningRate === 'number' && Number.isFinite(learningRate) && learningRate >= 0,
    () =>
      `Expected learningRate to be a finite number >= 0, but got ${describeValue(learningRate)}.`,
  );
  const target = optimizer as unknown as WithLearningRate;
  if (typeof target.setLearningRate === 'function') {
    (target.setLearningRate as (lr: number) => void).call(optimizer, learningRate);
    return;
  }
  const name = optimizer.getClassName();
  if (READS_LEARNING_RATE_FIELD.includes(name) && typeof target.learningRate === 'number') {
    target.learningRate = learningRate;
    return;
  }
  throw new DistillTypeError(
    'INVALID_ARGUMENT',
    `setLearningRate does not know how a ${name} optimizer stores its learning rate; ` +
      `use one of SGD, Momentum, ${READS_LEARNING_RATE_FIELD.join(', ')}.`,
  );
}

/**
 * The learning rate `optimizer` currently uses.
 *
 * @param optimizer - A built-in tfjs optimizer.
 * @throws DistillError `INVALID_ARGUMENT` when the optimizer has no numeric `learningRate`.
 */
export function getLearningRate(optimizer: tf.Optimizer): number {
  const { learningRate } = optimizer as unknown as WithLearningRate;
  if (typeof learningRate !== 'number') {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `A ${optimizer.getClassName()} optimizer has no numeric learningRate to read.`,
    );
  }
  return learningRate;
}
