/**
 * Activations a connector may apply after its linear map.
 */
import * as tf from '@tensorflow/tfjs';

/** The activation names connectors accept; `'linear'` applies none. */
export const CONNECTOR_ACTIVATIONS = ['linear', 'relu', 'sigmoid', 'tanh'] as const;

/** One of {@link CONNECTOR_ACTIVATIONS}. */
export type ConnectorActivation = (typeof CONNECTOR_ACTIVATIONS)[number];

/** Applies `activation` to `x`. Call inside `tf.tidy`. */
export function activate(x: tf.Tensor, activation: ConnectorActivation): tf.Tensor {
  switch (activation) {
    case 'linear':
      return x;
    case 'relu':
      return tf.relu(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'tanh':
      return tf.tanh(x);
  }
}
