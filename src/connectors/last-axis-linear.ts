/**
 * The shared machinery of the dense and 1×1-convolution connectors: both are one linear map
 * on the last axis, applied to every position of the other axes.
 */
import * as tf from '@tensorflow/tfjs';
import { DistillError, DistillTypeError, describeValue } from '../errors.js';
import { activate, type ConnectorActivation } from './activation.js';
import type { Connector } from './connector.js';

/** What a subclass tells {@link LastAxisLinear} about itself. */
export interface LastAxisLinearSpec {
  /** The class name, for messages. */
  readonly kind: string;
  /** The input rank the connector accepts. */
  readonly rank: number;
  /** The input layout, for messages (e.g. `"[N, H, W, C]"`). */
  readonly layout: string;
  /** The option naming the input size, for messages (e.g. `"inChannels"`). */
  readonly inKey: string;
  /** The input size, or undefined to take it from the first input. */
  readonly inSize: number | undefined;
  /** The output size. */
  readonly outSize: number;
  /** Whether to add a bias. */
  readonly useBias: boolean;
  /** Applied after the linear map. */
  readonly activation: ConnectorActivation;
  /** Seed of the kernel's Glorot-uniform initialiser, for reproducible runs. */
  readonly seed: number | undefined;
}

/**
 * A connector computing `activation(x · W + b)` on the last axis of `x`. Subclasses only
 * validate their options and fix the input rank.
 */
export abstract class LastAxisLinear implements Connector {
  private kernel: tf.Variable | undefined;
  private bias: tf.Variable | undefined;
  private inSizeValue: number | undefined;
  private disposed = false;

  /** @param spec - See {@link LastAxisLinearSpec}. */
  protected constructor(private readonly spec: LastAxisLinearSpec) {
    if (spec.inSize !== undefined) this.build(spec.inSize);
  }

  /** Whether the weights exist yet. */
  get built(): boolean {
    return this.kernel !== undefined;
  }

  /** The input size, once known. */
  protected get inSize(): number | undefined {
    return this.inSizeValue;
  }

  /**
   * The kernel (`[in, out]`) and, with `useBias`, the bias (`[out]`).
   *
   * @throws `NOT_BUILT` before the input size is known; `DISPOSED_TENSOR` after `dispose()`.
   */
  get trainableWeights(): tf.Variable[] {
    this.throwIfDisposed();
    if (this.kernel === undefined) {
      throw new DistillError(
        'NOT_BUILT',
        `${this.spec.kind} has no weights yet: pass ${this.spec.inKey}, call build(), or run forward() once before reading trainableWeights.`,
      );
    }
    return this.bias === undefined ? [this.kernel] : [this.kernel, this.bias];
  }

  /**
   * Creates the weights for inputs whose last axis has `inSize` entries. Called by the
   * constructor when the size is given and by the first `forward` otherwise; call it yourself
   * to collect `trainableWeights` before the first step.
   *
   * @throws `INVALID_ARGUMENT` if already built with another size.
   */
  build(inSize: number): void {
    this.throwIfDisposed();
    if (!Number.isSafeInteger(inSize) || inSize < 1) {
      throw new DistillError(
        'INVALID_ARGUMENT',
        `Expected ${this.spec.inKey} to be a positive integer, but got ${describeValue(inSize)}.`,
      );
    }
    if (this.kernel !== undefined) {
      if (inSize === this.inSizeValue) return;
      throw new DistillError(
        'INVALID_ARGUMENT',
        `${this.spec.kind} is already built with ${this.spec.inKey} ${this.inSizeValue}; it cannot be rebuilt with ${inSize}.`,
      );
    }
    const { outSize, useBias, seed } = this.spec;
    // A build may run inside the caller's tidy (a lazy first forward): variables are never
    // tracked by tidy scopes, so they survive it, and the initial values are freed right here.
    const kernelInit = tf.initializers.glorotUniform({ seed }).apply([inSize, outSize]);
    this.kernel = tf.variable(kernelInit, true);
    kernelInit.dispose();
    if (useBias) {
      const biasInit = tf.zeros([outSize]);
      this.bias = tf.variable(biasInit, true);
      biasInit.dispose();
    }
    this.inSizeValue = inSize;
  }

  /**
   * Applies the connector to the last axis of `x`.
   *
   * @throws `SHAPE_MISMATCH` for a wrong rank or input size; `DISPOSED_TENSOR` after
   *   `dispose()` or for a disposed input.
   */
  forward(x: tf.Tensor): tf.Tensor {
    this.throwIfDisposed();
    const { kind, rank, layout, inKey, outSize, activation } = this.spec;
    if (!(x instanceof tf.Tensor)) {
      throw new DistillTypeError(
        'INVALID_ARGUMENT',
        `${kind}.forward expects a tf.Tensor, but got ${describeValue(x)}.`,
      );
    }
    if (x.isDisposed) {
      throw new DistillError('DISPOSED_TENSOR', `${kind}.forward got a disposed tensor.`);
    }
    if (x.rank !== rank) {
      throw new DistillError(
        'SHAPE_MISMATCH',
        `${kind} expects an input of shape ${layout} (rank ${rank}), but got shape [${x.shape.join(', ')}].`,
      );
    }
    const inSize = x.shape[rank - 1]!;
    if (this.kernel === undefined) this.build(inSize);
    if (inSize !== this.inSizeValue) {
      throw new DistillError(
        'SHAPE_MISMATCH',
        `${kind} was built for ${inKey} ${this.inSizeValue}, but got an input of shape [${x.shape.join(', ')}].`,
      );
    }
    const kernel = this.kernel!;
    const bias = this.bias;
    return tf.tidy(() => {
      let y: tf.Tensor = tf.matMul(tf.reshape(x, [-1, inSize]), kernel);
      if (bias !== undefined) y = tf.add(y, bias);
      return tf.reshape(activate(y, activation), [...x.shape.slice(0, -1), outSize]);
    });
  }

  /** Frees the weights. Idempotent; `forward` throws afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.kernel?.dispose();
    this.bias?.dispose();
    this.kernel = undefined;
    this.bias = undefined;
  }

  private throwIfDisposed(): void {
    if (this.disposed) {
      throw new DistillError(
        'DISPOSED_TENSOR',
        `${this.spec.kind} was disposed; create a new one instead of reusing it.`,
      );
    }
  }
}
