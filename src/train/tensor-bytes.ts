/**
 * Decoding a run of tensors saved with `tf.io.encodeWeights`, one byte range per tensor.
 */
import * as tf from '@tensorflow/tfjs';
import { manifestByteLength } from './model-files.js';

/** One named tensor, as `optimizer.getWeights()` returns it and `encodeWeights` takes it. */
export type NamedTensor = Awaited<ReturnType<tf.Optimizer['getWeights']>>[number];

/**
 * Decodes each tensor from its own byte range, in `specs` order, so that duplicate names cannot
 * collide in the name-keyed map `tf.io.decodeWeights` returns. The caller owns the tensors.
 *
 * @param specs - Manifest entries of fixed-size dtypes, in the order the bytes were written.
 * @param data - The concatenated values; its length must already have been checked against
 *   `manifestByteLength(specs)`.
 */
export function decodeTensorsInOrder(
  specs: readonly tf.io.WeightsManifestEntry[],
  data: Uint8Array,
): NamedTensor[] {
  const out: NamedTensor[] = [];
  let offset = 0;
  try {
    for (const spec of specs) {
      const length = manifestByteLength([spec])!;
      const bytes = data.slice(offset, offset + length).buffer;
      offset += length;
      const decoded = tf.io.decodeWeights(bytes, [spec]);
      out.push({ name: spec.name, tensor: decoded[spec.name]! });
    }
  } catch (error) {
    for (const { tensor } of out) tensor.dispose();
    throw error;
  }
  return out;
}
