/**
 * Recorders of a tfjs layer's outputs or inputs. They intercept the layer *instance* of the
 * model they were initialized with, never its class, which teacher and student often share.
 */
import type * as tf from '@tensorflow/tfjs';
import { DistillError, DistillTypeError, describeValue } from '../errors.js';
import type { AnyFunction, PatchPoint } from '../patch/target.js';
import { holdsSymbolicTensor } from '../tensor/nested.js';
import { assertModel, findLayer } from './layer-lookup.js';
import { InterceptingRecorder, type RecordedPart } from './target-recorder.js';

/** Options of the layer recorders. */
export interface LayerRecorderOptions {
  /** The layer's name in the model (`layer.name`), searched through nested models too. */
  readonly source: string;
}

abstract class LayerRecorder extends InterceptingRecorder {
  /** The layer's name. */
  readonly source: string;
  private layerPoint: PatchPoint | undefined;

  protected constructor(options: LayerRecorderOptions, part: RecordedPart, kind: string) {
    if (
      typeof options !== 'object' ||
      options === null ||
      typeof options.source !== 'string' ||
      options.source === ''
    ) {
      throw new DistillTypeError(
        'INVALID_ARGUMENT',
        `new ${kind}({ source }) expects source to be a layer name, but got ${describeValue((options as { source?: unknown } | null)?.source ?? options)}.`,
      );
    }
    super(part);
    this.source = options.source;
  }

  /** The layer this recorder was bound to by `initialize`, if any. */
  get layer(): tf.layers.Layer | undefined {
    return this.layerPoint?.owner as tf.layers.Layer | undefined;
  }

  /**
   * Binds the recorder to the layer named `source` in `model`.
   *
   * @throws `MEMBER_NOT_FOUND` listing the model's layers if there is none of that name.
   */
  override initialize(model?: unknown): this {
    assertModel(model, this.describeSource());
    const layer = findLayer(model, this.source);
    const original = (layer as unknown as { call: AnyFunction }).call;
    this.layerPoint = {
      owner: layer,
      key: 'call',
      original,
      label: `layer "${this.source}" of model "${model.name}"`,
    };
    return this;
  }

  /** @inheritDoc */
  override get isInitialized(): boolean {
    return this.layerPoint !== undefined;
  }

  /** @inheritDoc */
  get point(): PatchPoint {
    if (this.layerPoint === undefined) {
      throw new DistillError(
        'NOT_INITIALIZED',
        `The recorder of ${this.describeSource()} is not bound to a model. Call initialize(model) before entering it.`,
      );
    }
    return this.layerPoint;
  }

  protected describeSource(): string {
    return this.layerPoint?.label ?? `layer "${this.source}"`;
  }

  /** Calls that build a model symbolically compute nothing, so they are not recorded. */
  protected override accepts(value: unknown): boolean {
    return !holdsSymbolicTensor(value);
  }
}

/**
 * Records what a layer returns on each eager call: through `model.predict`, `model.apply`,
 * `model.execute`, nested models and training steps. Symbolic calls are skipped.
 *
 * @example
 * ```ts
 * const rec = new LayerOutputsRecorder({ source: 'fc2' }).initialize(student);
 * rec.run(() => student.apply(x));
 * const feature = rec.getRecordData() as tf.Tensor; // owned by the recorder
 * ```
 */
export class LayerOutputsRecorder extends LayerRecorder {
  /** @param options - The layer's name. */
  constructor(options: LayerRecorderOptions) {
    super(options, 'outputs', 'LayerOutputsRecorder');
  }
}

/**
 * Records what a layer receives on each eager call: its input tensor, or its list of input
 * tensors when it takes several.
 */
export class LayerInputsRecorder extends LayerRecorder {
  /** @param options - The layer's name. */
  constructor(options: LayerRecorderOptions) {
    super(options, 'inputs', 'LayerInputsRecorder');
  }

  /** The first argument of `call` is the input; a one-element list is unwrapped. */
  protected override selectInputs(args: readonly unknown[]): unknown {
    const inputs = args[0];
    return Array.isArray(inputs) && inputs.length === 1 ? (inputs[0] as unknown) : inputs;
  }
}
