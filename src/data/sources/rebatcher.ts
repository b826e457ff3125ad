/**
 * Re-cuts a stream of examples into batches of a fixed size, through a bounded shuffle buffer
 * (as tf.data's `shuffle`): memory is the buffer plus one output batch.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../random.js';
import type { SourceBatch } from './source.js';

interface Example {
  readonly x: Float32Array;
  readonly y: number;
}

/** Collects examples into batches; with `capacity > 0` they leave in a seeded random order. */
export class Rebatcher {
  private readonly featureSize: number;
  private readonly buffer: Example[] = [];
  private x: Float32Array;
  private y: Int32Array;
  /** Examples in the current output batch. */
  size = 0;

  /**
   * @param batchSize - Examples per output batch.
   * @param inputShape - Shape of one example.
   * @param rng - Draws the shuffle.
   * @param capacity - Shuffle buffer size; 0 keeps the stream order.
   */
  constructor(
    private readonly batchSize: number,
    private readonly inputShape: readonly number[],
    private readonly rng: Rng,
    private readonly capacity: number,
  ) {
    this.featureSize = inputShape.reduce((a, b) => a * b, 1);
    this.x = new Float32Array(batchSize * this.featureSize);
    this.y = new Int32Array(batchSize);
  }

  /**
   * Adds example `row` of `features`. Returns true when the output batch is full (call
   * {@link take} before adding more).
   */
  add(features: Float32Array, row: number, label: number): boolean {
    const x = features.subarray(row * this.featureSize, (row + 1) * this.featureSize);
    if (this.capacity === 0) return this.emit(x, label);
    // Copies, so a kept example does not pin its whole source batch in memory.
    const example = { x: x.slice(), y: label };
    if (this.buffer.length < this.capacity) {
      this.buffer.push(example);
      return false;
    }
    const j = this.rng.nextInt(this.capacity);
    const out = this.buffer[j]!;
    this.buffer[j] = example;
    return this.emit(out.x, out.y);
  }

  /** At the end of the stream: moves buffered examples out at random until a batch is full (true) or the buffer is empty (false). */
  drain(): boolean {
    while (this.buffer.length > 0) {
      const j = this.rng.nextInt(this.buffer.length);
      const out = this.buffer[j]!;
      this.buffer[j] = this.buffer[this.buffer.length - 1]!;
      this.buffer.pop();
      if (this.emit(out.x, out.y)) return true;
    }
    return false;
  }

  /** The current output batch as tensors (the caller owns them); starts a new one. */
  take(): SourceBatch {
    const size = this.size;
    const batch = {
      x: tf.tensor(this.x.slice(0, size * this.featureSize), [size, ...this.inputShape], 'float32'),
      y: tf.tensor1d(this.y.slice(0, size), 'int32'),
      size,
    };
    this.size = 0;
    return batch;
  }

  private emit(x: Float32Array, y: number): boolean {
    this.x.set(x, this.size * this.featureSize);
    this.y[this.size++] = y;
    return this.size === this.batchSize;
  }
}
