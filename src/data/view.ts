/**
 * Views: what one model sees of a batch. A teacher may want 224x224 RGB in [-1, 1] while its
 * student wants 32x32 gray in [0, 1]; both read the same batch, each through its own view, and
 * the view runs after the batch augments, so a delivery that hands the student the teacher's
 * augmented batch still aligns them.
 */
import * as tf from '@tensorflow/tfjs';
import { DistillError, describeValue } from '../errors.js';
import type { DataSplit } from './sources/source.js';

/** How a model sees a batch; every field is optional, and an empty view passes the batch on. */
export interface ViewConfig {
  /** Resize images (`[N, height, width, channels]`) to `[height, width]`, bilinearly. */
  readonly size?: readonly [number, number];
  /** Channels of images: 1 (gray, by luma) or 3 (RGB, gray repeated). */
  readonly channels?: 1 | 3;
  /**
   * Map values from `[0, 1]` (the range image sources read pixels into) linearly to
   * `[min, max]`, such as `[-1, 1]`.
   */
  readonly scale?: readonly [number, number];
  /** Flatten each example to one vector, for a dense model on image data. */
  readonly flatten?: boolean;
}

/** A view bound to the shape of the source's examples. */
export interface View {
  /** The shape of one example as the model sees it. */
  readonly inputShape: readonly number[];
  /** True when the view changes nothing. */
  readonly identity: boolean;
  /** The batch as the model sees it: a new tensor the caller owns (or `x` itself, for identity). */
  readonly apply: (x: tf.Tensor) => tf.Tensor;
}

/** ITU-R BT.601 luma weights, what most image libraries use for RGB to gray. */
const LUMA = [0.299, 0.587, 0.114];

function bad(path: string, expected: string, value: unknown): never {
  throw new DistillError(
    'INVALID_CONFIG',
    `Expected ${path} to be ${expected}, but got ${describeValue(value)}.`,
  );
}

/** Checks a view config as written in a run config. */
export function checkView(value: unknown, path: string): ViewConfig | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    bad(path, 'a view { size, channels, scale, flatten }', value);
  const v = value as Record<string, unknown>;
  for (const key of Object.keys(v)) {
    if (!['size', 'channels', 'scale', 'flatten'].includes(key)) {
      throw new DistillError(
        'INVALID_CONFIG',
        `Unknown key ${path}.${key}; a view has size, channels, scale and flatten.`,
      );
    }
  }
  const pair = (key: string, check: (n: number) => boolean, expected: string): void => {
    const p = v[key];
    if (p === undefined) return;
    if (!Array.isArray(p) || p.length !== 2 || !p.every((n) => typeof n === 'number' && check(n)))
      bad(`${path}.${key}`, expected, p);
  };
  pair(
    'size',
    (n) => Number.isSafeInteger(n) && n >= 1,
    '[height, width] in pixels, e.g. [32, 32]',
  );
  pair('scale', Number.isFinite, '[min, max], e.g. [-1, 1]');
  if (v.channels !== undefined && v.channels !== 1 && v.channels !== 3)
    bad(`${path}.channels`, '1 (gray) or 3 (RGB)', v.channels);
  if (v.flatten !== undefined && typeof v.flatten !== 'boolean')
    bad(`${path}.flatten`, 'true or false', v.flatten);
  return value;
}

/**
 * Binds `config` to examples of `sourceShape`.
 *
 * @param config - The view; undefined is the identity.
 * @param sourceShape - The shape of one example of the source, e.g. `[28, 28, 1]`.
 * @param path - The view's key, for messages.
 * @throws `SHAPE_MISMATCH` when the view resizes or recolours examples that are not images.
 */
export function makeView(
  config: ViewConfig | undefined,
  sourceShape: readonly number[],
  path = 'view',
): View {
  const { size, channels, scale, flatten = false } = config ?? {};
  const isImage = sourceShape.length === 3;
  if ((size !== undefined || channels !== undefined) && !isImage) {
    throw new DistillError(
      'SHAPE_MISMATCH',
      `${path} resizes or recolours images, but the data's examples have shape [${sourceShape.join(', ')}], not [height, width, channels]; remove ${path}.size and ${path}.channels.`,
    );
  }
  const inChannels = isImage ? sourceShape[2]! : 0;
  if (channels !== undefined && inChannels !== 1 && inChannels !== 3) {
    throw new DistillError(
      'SHAPE_MISMATCH',
      `${path}.channels converts between gray and RGB, but the data's images have ${inChannels} channels.`,
    );
  }
  let shape = [...sourceShape];
  if (size !== undefined) shape = [size[0], size[1], shape[2]!];
  if (channels !== undefined) shape = [shape[0]!, shape[1]!, channels];
  if (flatten) shape = [shape.reduce((a, b) => a * b, 1)];
  const resize = size !== undefined && (size[0] !== sourceShape[0] || size[1] !== sourceShape[1]);
  const recolour = channels !== undefined && channels !== inChannels;
  const rescale = scale !== undefined && (scale[0] !== 0 || scale[1] !== 1);
  const identity = !resize && !recolour && !rescale && !(flatten && sourceShape.length > 1);
  return {
    inputShape: shape,
    identity,
    apply: (x) => {
      if (identity) return x;
      return tf.tidy(() => {
        let y = x;
        if (resize) y = tf.image.resizeBilinear(y as tf.Tensor4D, [size[0], size[1]]);
        if (recolour) {
          y =
            channels === 1
              ? tf.sum(tf.mul(y, tf.tensor1d(LUMA)), -1, true)
              : tf.tile(y, [1, 1, 1, 3]);
        }
        if (rescale) y = tf.add(tf.mul(y, scale[1] - scale[0]), scale[0]);
        if (flatten) y = tf.reshape(y, [y.shape[0], -1]);
        return y;
      });
    },
  };
}

/**
 * The first `size` examples of `split` as a model sees them through `view`: a sample batch, for
 * telling a model's probabilities from its logits. The caller owns the result; undefined for
 * an empty split.
 */
export async function viewedSample(
  split: DataSplit,
  view: (x: tf.Tensor) => tf.Tensor,
  size = 32,
): Promise<tf.Tensor | undefined> {
  const it = split.batches({ batchSize: size, seed: 0, epoch: 0, shuffle: false });
  const first = await it.next();
  await it.return?.(undefined);
  if (first.done) return undefined;
  const { x, y } = first.value;
  y.dispose();
  const viewed = view(x);
  if (viewed !== x) x.dispose();
  return viewed;
}
