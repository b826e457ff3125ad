/**
 * Augments: picks at most one batch augment per call, by probability, as in MMClassification.
 */
import * as tf from '@tensorflow/tfjs';
import { isPlainObject } from '../config/validate.js';
import { DistillError, DistillTypeError, describeValue } from '../errors.js';
import { type AugmentConfig, augmentRegistry } from './augment-registry.js';
import { BatchAugment } from './batch-augment.js';
import { type AugmentResult, toFloatImages, toSoftLabels } from './batch.js';
import { SeededRandom, checkSeed } from './random.js';

/** One entry of {@link Augments}: a config, or a ready augment instance. */
export type AugmentSpec = AugmentConfig | BatchAugment;

/** Options of {@link Augments}. */
export interface AugmentsOptions {
  /**
   * Seeds the choice of augment and, for configs without their own `seed`, each augment's
   * stream, so one number makes the whole pipeline reproducible. Omitted, `Math.random` seeds.
   */
  readonly seed?: number;
}

// Probabilities are user-written decimals such as 0.1 + 0.2 + 0.7, whose float sum may exceed 1
// by an ulp or two.
const SUM_TOLERANCE = 1e-9;

function buildAugments(
  specs: unknown,
  random: SeededRandom | undefined,
  path: string,
): BatchAugment[] {
  const list: readonly unknown[] = Array.isArray(specs) ? specs : [specs];
  return list.map((spec, i) => {
    const at = Array.isArray(specs) ? `${path}[${i}]` : path;
    if (spec instanceof BatchAugment) return spec;
    const config =
      isPlainObject(spec) && spec.seed === undefined && random !== undefined
        ? { ...spec, seed: random.nextUint32() }
        : spec;
    return augmentRegistry.build(config, { path: at });
  });
}

function checkCommonNumClasses(augments: readonly BatchAugment[], path: string): number {
  const first = augments[0]!;
  for (const [i, augment] of augments.entries()) {
    if (augment.numClasses !== first.numClasses) {
      throw new DistillError(
        'INVALID_CONFIG',
        `Expected every augment to have the same numClasses, but ${path}[0] (${first.type}) has ${first.numClasses} and ${path}[${i}] (${augment.type}) has ${augment.numClasses}.`,
      );
    }
  }
  return first.numClasses;
}

/**
 * A set of batch augments of which each call applies at most one: augment `i` with probability
 * `prob_i`, and the identity with the remaining `1 - Σ prob_i`. The identity still converts the
 * labels to one-hot floats, so the output has the same form whichever was chosen.
 *
 * To make a teacher and a student see the same mixed batch, intercept `Augments.prototype.call`
 * with a `MethodOutputsDelivery` (`{ cls: Augments, name: 'call' }` or the string
 * `'tfjs-distill#Augments.call'`); `call` is an ordinary prototype method for that reason.
 *
 * @example
 * ```ts
 * const augments = new Augments(
 *   [
 *     { type: 'BatchMixup', alpha: 0.1, numClasses: 10, prob: 0.5 },
 *     { type: 'BatchCutMix', alpha: 1, numClasses: 10, prob: 0.3, imageShape: [28, 28, 1] },
 *   ],
 *   { seed: 42 },
 * );
 * const [images, softLabels] = augments.call(batchImages, batchLabels); // 20%: unchanged
 * ```
 */
export class Augments {
  /** The augments, in the order given. */
  readonly augments: readonly BatchAugment[];
  /** The number of classes, shared by every augment. */
  readonly numClasses: number;
  /** The probability that a call leaves the batch unchanged: 1 - Σ prob. */
  readonly identityProb: number;
  private readonly random: SeededRandom;
  private last: BatchAugment | null | undefined;

  /**
   * @param augments - One config or instance, or a non-empty array of them.
   * @param options - `seed`, for reproducible runs.
   * @throws `INVALID_CONFIG` for an empty list, bad options, differing `numClasses` or
   *   probabilities summing to more than 1; `UNKNOWN_TYPE` for an unknown `type`.
   */
  constructor(augments: AugmentSpec | readonly AugmentSpec[], options: AugmentsOptions = {}) {
    if (!isPlainObject(options)) {
      throw new DistillTypeError(
        'INVALID_ARGUMENT',
        `new Augments(augments, options) expects an options object such as { seed: 42 }, but got ${describeValue(options)}.`,
      );
    }
    const seeded = options.seed !== undefined;
    this.random = new SeededRandom(seeded ? checkSeed(options.seed) : undefined);
    if (Array.isArray(augments) && augments.length === 0) {
      throw new DistillError(
        'INVALID_CONFIG',
        'Expected augments to list at least one augment, but got an empty array. Pass e.g. [{ type: "BatchMixup", alpha: 0.2, numClasses: 10 }], or leave Augments out.',
      );
    }
    this.augments = Object.freeze(
      buildAugments(augments, seeded ? this.random : undefined, 'augments'),
    );
    this.numClasses = checkCommonNumClasses(this.augments, 'augments');
    const sum = this.augments.reduce((total, augment) => total + augment.prob, 0);
    if (sum > 1 + SUM_TOLERANCE) {
      const parts = this.augments.map((a) => `${a.type} ${a.prob}`).join(' + ');
      throw new DistillError(
        'INVALID_CONFIG',
        `Expected the probabilities of augments to sum to at most 1, but got ${parts} = ${sum}. Lower some prob so the rest (1 - sum) is the chance of no augment.`,
      );
    }
    this.identityProb = Math.max(0, 1 - sum);
  }

  /**
   * The augment chosen by the latest `call`: an element of {@link Augments.augments}, `null`
   * for the identity, or undefined before the first call.
   */
  get lastAugment(): BatchAugment | null | undefined {
    return this.last;
  }

  /**
   * Applies at most one augment, chosen by probability, to the batch.
   *
   * @param images - Float images `[N, H, W, C]` or `[N, D]` (other dtypes are cast to float32).
   * @param labels - Class indices `[N]` or one-hot/soft labels `[N, numClasses]`.
   * @returns `[mixedImages, softLabels]`, new tensors owned by the caller (or its `tf.tidy`).
   * @throws `SHAPE_MISMATCH`, `INDEX_OUT_OF_RANGE`, `INVALID_ARGUMENT` or `DISPOSED_TENSOR` for
   *   a batch that does not fit, whichever augment would have been chosen.
   */
  call(images: tf.Tensor, labels: tf.Tensor): AugmentResult {
    // Check against every augment first, so that a bad batch fails on every call rather than
    // only when the augment it does not fit happens to be drawn.
    for (const augment of this.augments) augment.checkInputs(images, labels);
    const chosen = this.choose();
    const result =
      chosen !== null
        ? chosen.mix(images, labels)
        : tf.tidy((): AugmentResult => [
            toFloatImages(images),
            toSoftLabels(labels, this.numClasses),
          ]);
    this.last = chosen;
    return result;
  }

  /** Draws one augment by probability, or null for the identity. */
  private choose(): BatchAugment | null {
    const u = this.random.uniform();
    let cumulative = 0;
    for (const augment of this.augments) {
      cumulative += augment.prob;
      if (u < cumulative) return augment;
    }
    return null;
  }
}
