/**
 * A recorder that hands out one weight of a model, e.g. for a loss on parameters.
 */
import type * as tf from '@tensorflow/tfjs';
import { DistillError, DistillTypeError, describeValue } from '../errors.js';
import type { Interceptor } from '../patch/interceptor.js';
import { BaseRecorder } from './base-recorder.js';
import { assertModel, findLayer } from './layer-lookup.js';

/** Options of {@link ParameterRecorder}. */
export interface ParameterRecorderOptions {
  /**
   * `"<layer>/<weight>"`, e.g. `"fc1/kernel"`. tfjs renames the variables of a second model
   * built in the same process (`fc1/kernel_1`), so the layer is matched by its name and the
   * weight by its original name.
   */
  readonly source: string;
}

/**
 * Records one weight of a model: after `initialize(model)` its record 0 is the live
 * `tf.Variable` (not a copy), so a loss built from it trains that weight. Resetting or entering
 * never disposes it.
 */
export class ParameterRecorder extends BaseRecorder {
  /** The weight's `"<layer>/<weight>"` name. */
  readonly source: string;
  private variable: tf.Variable | undefined;
  private modelName = '';

  /** @param options - The weight's name. */
  constructor(options: ParameterRecorderOptions) {
    const source = (options as { source?: unknown } | null)?.source;
    if (typeof source !== 'string' || !/^[^/]+\/.+$/.test(source)) {
      throw new DistillTypeError(
        'INVALID_ARGUMENT',
        `new ParameterRecorder({ source }) expects "<layer>/<weight>" such as "fc1/kernel", but got ${describeValue(source)}.`,
      );
    }
    super();
    this.source = source;
  }

  /** @inheritDoc */
  get sourceLabel(): string {
    return `weight "${this.source}"${this.modelName ? ` of model "${this.modelName}"` : ''}`;
  }

  /**
   * Finds the weight in `model`.
   *
   * @throws `MEMBER_NOT_FOUND` listing the model's layers or the layer's weights.
   */
  override initialize(model?: unknown): this {
    assertModel(model, this.sourceLabel);
    const slash = this.source.indexOf('/');
    const layerName = this.source.slice(0, slash);
    const weightName = this.source.slice(slash + 1);
    const layer = findLayer(model, layerName);
    const short = (w: tf.LayerVariable): string => {
      const at = w.originalName.lastIndexOf(`${layerName}/`);
      return at >= 0 ? w.originalName.slice(at + layerName.length + 1) : w.originalName;
    };
    const weight = layer.weights.find((w) => short(w) === weightName);
    if (weight === undefined) {
      throw new DistillError(
        'MEMBER_NOT_FOUND',
        `Layer "${layerName}" of model "${model.name}" has no weight ${describeValue(weightName)}; its weights are: ${layer.weights.map(short).join(', ') || 'none (is the model built?)'}.`,
      );
    }
    this.modelName = model.name;
    // LayerVariable.read() is typed as a Tensor but returns the backing tf.Variable itself.
    this.variable = weight.read() as tf.Variable;
    this.dataBuffer.splice(0, this.dataBuffer.length, this.variable);
    return this;
  }

  /** @inheritDoc */
  override get isInitialized(): boolean {
    return this.variable !== undefined;
  }

  /** The model's weights are not the recorder's to dispose: the record stays. */
  override reset(): void {
    this.generation++;
  }

  protected interceptors(): readonly Interceptor[] {
    if (this.variable === undefined) {
      throw new DistillError(
        'NOT_INITIALIZED',
        `The recorder of ${this.sourceLabel} is not bound to a model. Call initialize(model) first.`,
      );
    }
    return [];
  }
}
