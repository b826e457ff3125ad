/**
 * The contract every data source meets: labelled examples of one shape, in a training, a test
 * and an optional validation split, each read as a stream of batches. A source never holds more
 * than a few batches (plus a shuffle buffer, for streams that cannot be read in any order), so a
 * data set larger than memory trains.
 */
import type * as tf from '@tensorflow/tfjs';

/** What a source holds, known before any batch is read. */
export interface SourceInfo {
  /** The shape of one example, without the batch axis: `[784]`, `[28, 28, 1]`, `[32, 32, 3]`. */
  readonly inputShape: readonly number[];
  /** Number of classes; every label is in `[0, numClasses)`. */
  readonly numClasses: number;
  /** One name per class, index `i` naming label `i` (folder names, CSV labels, or `"0"`, `"1"`, ...). */
  readonly classNames: readonly string[];
  /** What the source is, for messages and summaries: `image folder data/shapes (PNG, 3 classes)`. */
  readonly description: string;
}

/** How {@link DataSplit.batches} reads a split. */
export interface SplitReadOptions {
  /** Examples per batch (the last batch may be smaller). */
  readonly batchSize: number;
  /** Seed of the shuffle; with `epoch` it fixes the order. */
  readonly seed: number;
  /** Epoch number (0, 1, ...); each epoch has its own order. */
  readonly epoch: number;
  /** Shuffle the examples (default true); false reads them in the source's order. */
  readonly shuffle?: boolean;
}

/** One batch of a split. The consumer owns (and must dispose) `x` and `y`. */
export interface SourceBatch {
  /** Features, float32 of shape `[size, ...inputShape]`. */
  readonly x: tf.Tensor;
  /** Class indices, int32 of shape `[size]`. */
  readonly y: tf.Tensor1D;
  /** Number of examples in the batch. */
  readonly size: number;
}

/** One split of a source: a stream of batches that can be read again, once per epoch. */
export interface DataSplit {
  /** Number of examples, when known without reading the split. */
  readonly count: number | undefined;
  /**
   * Reads the split once, in batches. Breaking out of the loop (or `return()`) frees what the
   * reader holds; batches already yielded belong to the caller.
   */
  batches(options: SplitReadOptions): AsyncIterableIterator<SourceBatch>;
}

/** A data source: its {@link SourceInfo} and its splits. */
export interface DataSource extends SourceInfo {
  /** The examples a model trains on. */
  readonly train: DataSplit;
  /** The examples results are reported on. */
  readonly test: DataSplit;
  /** Examples held out of training to watch it, if any. */
  readonly validation: DataSplit | undefined;
  /**
   * Examples skipped so far because they could not be read (an image folder with `skipBad`),
   * for sources that skip any; runs report it after each epoch.
   */
  readonly skipped?: number;
}
