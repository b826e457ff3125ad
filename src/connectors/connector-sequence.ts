/**
 * ConnectorSequence: several connectors applied one after the other.
 */
import * as tf from '@tensorflow/tfjs';
import { DistillError, DistillTypeError, describeValue } from '../errors.js';
import type { Connector } from './connector.js';

/**
 * Applies its connectors in order, e.g. a 1×1 convolution followed by another. Its weights are
 * theirs, in the same order; disposing it disposes them.
 *
 * @example
 * ```ts
 * const connector = new ConnectorSequence([
 *   new DenseConnector({ outFeatures: 64, activation: 'relu' }),
 *   new DenseConnector({ outFeatures: 128 }),
 * ]);
 * ```
 */
export class ConnectorSequence implements Connector {
  /** The connectors, in the order they are applied. */
  readonly connectors: readonly Connector[];

  /**
   * @param connectors - At least one connector.
   * @throws `INVALID_ARGUMENT` for an empty list or an element that is not a connector.
   */
  constructor(connectors: readonly Connector[]) {
    // Checked as unknown: configs and plain-JS callers may pass anything.
    const given: unknown = connectors;
    if (!Array.isArray(given) || given.length === 0) {
      throw new DistillError(
        'INVALID_ARGUMENT',
        `ConnectorSequence needs a non-empty array of connectors, but got ${describeValue(connectors)}.`,
      );
    }
    connectors.forEach((c: unknown, i) => {
      const forward = (c as { forward?: unknown } | null)?.forward;
      if (typeof forward !== 'function') {
        throw new DistillTypeError(
          'INVALID_ARGUMENT',
          `ConnectorSequence element ${i} is not a connector (it has no forward method): ${describeValue(c)}.`,
        );
      }
    });
    this.connectors = [...connectors];
  }

  /** Whether every connector has its weights. */
  get built(): boolean {
    return this.connectors.every((c) => c.built);
  }

  /**
   * The weights of every connector, in order.
   *
   * @throws `NOT_BUILT` if one of them has no weights yet.
   */
  get trainableWeights(): tf.Variable[] {
    return this.connectors.flatMap((c) => c.trainableWeights);
  }

  /** Applies each connector to the previous one's output; intermediates are freed. */
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.connectors.reduce((y, c) => c.forward(y), x));
  }

  /** Disposes every connector. Idempotent. */
  dispose(): void {
    for (const c of this.connectors) c.dispose();
  }
}
