/**
 * A user's own loader as a {@link DataSource}: async (or sync) iterables of `{ xs, ys }`, functions
 * returning a fresh one per epoch, or `tf.data.Dataset`s. Batches are re-cut to the requested
 * size and shuffled through a bounded, seeded buffer.
 *
 * Ownership: the source takes the tensors it reads. Tensors yielded by a `tf.data.Dataset`
 * are always disposed once read (tf.data hands them to the consumer); tensors yielded by other
 * loaders are disposed too unless `disposeInputs: false` (for loaders that yield tensors they
 * keep and free themselves).
 */
import type * as tf from '@tensorflow/tfjs';
import { DistillError, DistillTypeError, describeValue } from '../../errors.js';
import { nonNegativeInteger, positiveInt } from '../options.js';
import { createRng, deriveSeed, normalizeSeed } from '../random.js';
import { checkClassNames, checkShape } from './arrays.js';
import type { DataSource, DataSplit, SourceBatch, SplitReadOptions } from './source.js';
import {
  checkBatch,
  inferFromBatch,
  readUserBatch,
  type Inferred,
  type UserBatch,
} from './user-batch.js';
import { openStream, type BatchStream, type StreamPass } from './stream-pass.js';
import { Rebatcher } from './rebatcher.js';

export type { BatchStream } from './stream-pass.js';
export type { UserBatch, UserFeatures, UserLabels } from './user-batch.js';

/** Options of {@link fromBatches}. */
export interface FromBatchesOptions {
  /** The training batches. An async generator can be read once only: for several epochs give a function returning a fresh one. */
  readonly train: BatchStream;
  /** The test batches. */
  readonly test: BatchStream;
  /** Validation batches, if any. */
  readonly validation?: BatchStream;
  /** Shape of one example (default: from the first training batch). */
  readonly inputShape?: readonly number[];
  /** Number of classes (default: the width of one-hot labels; required for class-index labels). */
  readonly numClasses?: number;
  /** One name per class (default `"0"`, `"1"`, ...). */
  readonly classNames?: readonly string[];
  /** Examples held in the shuffle buffer (default 1024); memory is this plus one batch. */
  readonly shuffleBuffer?: number;
  /** Dispose the tensors that non-tf.data loaders yield, once read (default true). */
  readonly disposeInputs?: boolean;
  /** What the data is, for messages (default `your loader`). */
  readonly description?: string;
}

const SHUFFLE_STREAM = 13;

/**
 * Wraps a user's loader as a {@link DataSource}. When `inputShape` or `numClasses` is missing,
 * the first training batch is read to infer it (and, for a one-shot iterable, kept for the
 * first epoch).
 *
 * @param options - The streams, shape, classes and shuffle buffer.
 * @throws DistillError `INVALID_ARGUMENT` for bad options, or when `numClasses` is needed but
 *   cannot be inferred.
 *
 * @example
 * ```ts
 * const data = await fromBatches({
 *   train: () => myLoader('train'), // a function: a fresh generator every epoch
 *   test: tf.data.generator(...).batch(64),
 *   numClasses: 10,
 * });
 * ```
 */
export async function fromBatches(options: FromBatchesOptions): Promise<DataSource> {
  if (typeof options !== 'object' || options === null) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected fromBatches options { train, test }, but got ${describeValue(options)}.`,
    );
  }
  const shuffleBuffer =
    options.shuffleBuffer === undefined
      ? 1024
      : positiveInt(options.shuffleBuffer, 'shuffleBuffer');
  const dispose = options.disposeInputs !== false;
  const splits = {
    train: new StreamSplit(openStream(options.train, 'train'), 'train', dispose),
    test: new StreamSplit(openStream(options.test, 'test'), 'test', dispose),
    validation:
      options.validation === undefined
        ? undefined
        : new StreamSplit(openStream(options.validation, 'validation'), 'validation', dispose),
  };
  let inputShape =
    options.inputShape === undefined ? undefined : checkShape(options.inputShape, 'inputShape');
  let numClasses =
    options.numClasses === undefined
      ? options.classNames?.length
      : positiveInt(options.numClasses, 'numClasses');
  if (inputShape === undefined || numClasses === undefined) {
    const inferred = await splits.train.infer();
    inputShape ??= Object.freeze(inferred.inputShape);
    numClasses ??= inferred.oneHotWidth;
    if (numClasses === undefined) {
      await splits.train.release();
      throw new DistillError(
        'INVALID_ARGUMENT',
        'The loader yields class-index labels, so the number of classes cannot be inferred; give numClasses (or classNames).',
      );
    }
  }
  const classNames = checkClassNames(options.classNames, numClasses);
  for (const split of [splits.train, splits.test, splits.validation])
    split?.configure(inputShape, numClasses, shuffleBuffer);
  return {
    inputShape,
    numClasses,
    classNames,
    description: options.description ?? `your loader (${numClasses} classes)`,
    ...splits,
  };
}

class StreamSplit implements DataSplit {
  readonly count = undefined;
  private inputShape: readonly number[] = [];
  private numClasses = 0;
  private shuffleBuffer = 1;
  private peeked: { pass: StreamPass; batch: UserBatch } | undefined;

  constructor(
    private readonly stream: ReturnType<typeof openStream>,
    private readonly name: string,
    private readonly dispose: boolean,
  ) {}

  configure(inputShape: readonly number[], numClasses: number, shuffleBuffer: number): void {
    this.inputShape = inputShape;
    this.numClasses = numClasses;
    this.shuffleBuffer = shuffleBuffer;
  }

  /**
   * Infers the shape and one-hot width from the first batch. A one-shot stream keeps that batch
   * (and its pass) for the first epoch; otherwise the pass is closed and the batch freed.
   */
  async infer(): Promise<Inferred> {
    const pass = await this.stream.open();
    let batch: UserBatch | undefined;
    let kept = false;
    try {
      const value = await pass.next();
      if (value === undefined) {
        throw new DistillError(
          'INVALID_ARGUMENT',
          `The ${this.name} loader yielded no batches; it must yield { xs, ys } at least once.`,
        );
      }
      batch = checkBatch(value, `${this.name} batch 0`);
      const inferred = inferFromBatch(batch, `the first ${this.name} batch`);
      if (this.stream.oneShot) {
        this.peeked = { pass, batch };
        kept = true;
      }
      return inferred;
    } finally {
      if (!kept) {
        if (batch !== undefined && (this.dispose || pass.ownsTensors)) disposeBatch(batch);
        await pass.close();
      }
    }
  }

  /** Frees a batch kept by {@link infer} (when the source is abandoned before reading). */
  async release(): Promise<void> {
    const peeked = this.peeked;
    this.peeked = undefined;
    if (peeked === undefined) return;
    if (this.dispose || peeked.pass.ownsTensors) disposeBatch(peeked.batch);
    await peeked.pass.close();
  }

  batches(options: SplitReadOptions): AsyncIterableIterator<SourceBatch> {
    if (typeof options !== 'object' || options === null) {
      throw new DistillTypeError(
        'INVALID_ARGUMENT',
        `Expected read options { batchSize, seed, epoch }, but got ${describeValue(options)}.`,
      );
    }
    const batchSize = positiveInt(options.batchSize, 'batchSize');
    const seed = normalizeSeed(options.seed);
    const epoch = nonNegativeInteger(options.epoch, 'epoch');
    const buffer = options.shuffle === false ? 0 : this.shuffleBuffer;
    return this.read(batchSize, createRng(deriveSeed(seed, SHUFFLE_STREAM, epoch)), buffer);
  }

  private async *read(
    batchSize: number,
    rng: ReturnType<typeof createRng>,
    capacity: number,
  ): AsyncGenerator<SourceBatch, void, undefined> {
    const peeked = this.peeked;
    this.peeked = undefined;
    const pass = peeked?.pass ?? (await this.stream.open());
    const out = new Rebatcher(batchSize, this.inputShape, rng, capacity);
    let pending = peeked?.batch;
    try {
      for (let index = 0; ; index++) {
        const where = `${this.name} batch ${index}`;
        let raw: unknown = pending;
        pending = undefined;
        if (raw === undefined) raw = await pass.next();
        if (raw === undefined) break;
        const plain = await readUserBatch(
          checkBatch(raw, where),
          this.inputShape,
          this.numClasses,
          this.dispose || pass.ownsTensors,
          where,
        );
        for (let r = 0; r < plain.rows; r++) {
          const full = out.add(plain.features, r, plain.labels[r]!);
          if (full) yield out.take();
        }
      }
      while (out.drain()) yield out.take();
      if (out.size > 0) yield out.take();
    } finally {
      if (pending !== undefined && (this.dispose || pass.ownsTensors)) disposeBatch(pending);
      await pass.close();
    }
  }
}

function disposeBatch(batch: UserBatch): void {
  for (const t of [batch.xs, batch.ys])
    if (typeof (t as tf.Tensor).dispose === 'function') (t as tf.Tensor).dispose();
}
