/**
 * Finding a layer of a tfjs model by name, through nested models.
 */
import type * as tf from '@tensorflow/tfjs';
import { DistillError, DistillTypeError, describeValue } from '../errors.js';

/** Something that has layers: a `tf.LayersModel`, a `tf.Sequential`, or a nested model. */
export interface HasLayers {
  /** The model's layers, in order. */
  readonly layers: readonly tf.layers.Layer[];
  /** The model's name. */
  readonly name: string;
}

function hasLayers(value: unknown): value is HasLayers {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { layers?: unknown }).layers)
  );
}

/** Every layer of `model`, depth first, with nested models' layers after the model itself. */
export function allLayers(model: HasLayers): tf.layers.Layer[] {
  const out: tf.layers.Layer[] = [];
  for (const layer of model.layers) {
    out.push(layer);
    if (hasLayers(layer)) out.push(...allLayers(layer));
  }
  return out;
}

/**
 * Checks that `model` is a tfjs model for a recorder of `source`.
 *
 * @throws `INVALID_ARGUMENT` (a `TypeError`) naming what was given instead.
 */
export function assertModel(model: unknown, source: string): asserts model is HasLayers {
  if (!hasLayers(model)) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `initialize(model) for ${source} expects a tfjs LayersModel (with .layers), but got ${describeValue(model)}.`,
    );
  }
}

/**
 * Returns the layer of `model` named `name`, searching nested models too.
 *
 * @throws `MEMBER_NOT_FOUND` listing the model's layer names.
 */
export function findLayer(model: HasLayers, name: string): tf.layers.Layer {
  const layers = allLayers(model);
  const found = layers.find((l) => l.name === name);
  if (found === undefined) {
    throw new DistillError(
      'MEMBER_NOT_FOUND',
      `Model "${model.name}" has no layer named ${describeValue(name)}; its layers are: ${layers.map((l) => l.name).join(', ')}.`,
    );
  }
  return found;
}
