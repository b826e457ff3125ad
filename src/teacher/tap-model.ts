/**
 * A LayersModel that stands for a teacher computed by something other than tfjs layers (a
 * GraphModel, an ONNX session): one custom layer runs it, and identity "tap" layers named after
 * its intermediate nodes let layer recorders find and record those nodes' values.
 */
import * as tf from '@tensorflow/tfjs';
import { DistillError } from '../errors.js';

/** What a teacher computes for a batch: its logits and the values of its tapped nodes. */
export interface TeacherValues {
  /** The output `[N, numClasses]`. */
  readonly logits: tf.Tensor;
  /** Per tapped node name, its value for the batch. */
  readonly nodes: Readonly<Record<string, tf.Tensor>>;
}

/** Options of {@link tapModel}. */
export interface TapModelOptions {
  /** The model's name. */
  readonly name: string;
  /** Shape of one example (without the batch dimension); `null` for a free dimension. */
  readonly inputShape: readonly (number | null)[];
  /** The output width: the number of classes. */
  readonly numClasses: number;
  /** Names of the tapped nodes; each gets an identity layer of that exact name. */
  readonly nodes: readonly string[];
  /**
   * Another name for the output besides `logits` (the output node's own name), tapped too;
   * omitted when it is `logits` or one of `nodes`.
   */
  readonly outputName?: string;
  /** Computes the teacher on a batch, synchronously; called inside a `tf.tidy`. */
  readonly run: (x: tf.Tensor) => TeacherValues;
  /**
   * The op that computes the output (`Softmax`, `BiasAdd`, ...), when known: read by
   * `detectOutputKind`.
   */
  readonly outputOp?: string;
  /**
   * Layers (or models) searched by recorders after the taps: those of a wrapped LayersModel,
   * which `run` calls.
   */
  readonly innerLayers?: readonly tf.layers.Layer[];
  /** Called once when the model is disposed, to free what `run` uses. */
  readonly onDispose?: () => void;
}

/** The name of the layer that outputs a tap model's logits. */
export const LOGITS_LAYER = 'logits';

function onlyTensor(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return Array.isArray(inputs) ? inputs[0]! : inputs;
}

/**
 * An identity layer, only ever called eagerly: layer names are checked by tfjs only where a
 * symbolic tensor is named after its layer, so a tap keeps a node's exact name, `/` and `:`
 * included.
 */
export class TapLayer extends tf.layers.Layer {
  /** @inheritDoc */
  static readonly className = 'TfjsDistillTap';

  /** @param name - The tapped node's name. */
  constructor(name: string) {
    super({ name, trainable: false });
  }

  /** Returns its input. */
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return onlyTensor(inputs);
  }

  /** @inheritDoc */
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }
}

/**
 * The layer that runs the teacher. Its taps are in `layers`, where the layer lookup of
 * recorders searches nested models, so `LayerOutputsRecorder({ source: node })` finds them.
 */
class TeacherLayer extends tf.layers.Layer {
  static readonly className = 'TfjsDistillTeacher';
  /** The taps, one per node (and one for the output's own name), then the inner layers. */
  readonly layers: tf.layers.Layer[];
  /** The op computing the output, when known. */
  readonly outputOp: string | undefined;
  private readonly taps: Map<string, TapLayer>;
  private readonly outputTap: TapLayer | undefined;
  private disposed = false;

  constructor(private readonly options: TapModelOptions) {
    super({ name: LOGITS_LAYER, trainable: false });
    this.taps = new Map(options.nodes.map((n) => [n, new TapLayer(n)]));
    const out = options.outputName;
    this.outputTap =
      out !== undefined && out !== LOGITS_LAYER && !this.taps.has(out)
        ? new TapLayer(out)
        : undefined;
    this.layers = [
      ...this.taps.values(),
      ...(this.outputTap ? [this.outputTap] : []),
      ...(options.innerLayers ?? []),
    ];
    this.outputOp = options.outputOp;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    // The node values not returned must not outlive the call, also outside any tidy.
    return tf.tidy(() => {
      const { logits, nodes } = this.options.run(onlyTensor(inputs));
      for (const [name, tap] of this.taps) {
        const value = nodes[name];
        if (value === undefined) {
          throw new DistillError(
            'MEMBER_NOT_FOUND',
            `The teacher "${this.options.name}" computed no value for its tapped node "${name}".`,
          );
        }
        tap.apply(value);
      }
      return this.outputTap ? (this.outputTap.apply(logits) as tf.Tensor) : logits;
    });
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [shape[0] ?? null, this.options.numClasses];
  }

  override dispose(): ReturnType<tf.layers.Layer['dispose']> {
    const result = super.dispose();
    if (result.refCountAfterDispose === 0 && !this.disposed) {
      this.disposed = true;
      this.options.onDispose?.();
    }
    return result;
  }
}

/**
 * Builds the stand-in LayersModel: `input -> logits`, where the `logits` layer runs
 * `options.run` and passes each node's value through its tap. It has no weights (the teacher is
 * frozen); `model.dispose()` calls `onDispose`.
 */
export function tapModel(options: TapModelOptions): tf.LayersModel {
  const input = tf.input({ shape: [...options.inputShape], name: 'input' });
  const output = new TeacherLayer(options).apply(input) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: output, name: options.name });
  model.trainable = false;
  return model;
}
