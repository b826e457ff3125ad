/**
 * Conv1x1Connector: a 1×1 convolution adapter for NHWC feature maps.
 */
import {
  oneOf,
  optionalBoolean,
  optionalPositiveInteger,
  optionalSeed,
  readOptions,
  requiredPositiveInteger,
} from '../config/options.js';
import { CONNECTOR_ACTIVATIONS, type ConnectorActivation } from './activation.js';
import { LastAxisLinear } from './last-axis-linear.js';

/** Options of {@link Conv1x1Connector}. */
export interface Conv1x1ConnectorOptions {
  /** Input channels `C`. Default: taken from the first input (see `build`). */
  readonly inChannels?: number;
  /** Output channels, usually the teacher feature map's. Required. */
  readonly outChannels: number;
  /** Add a trainable bias. Default true. */
  readonly useBias?: boolean;
  /**
   * Applied after the convolution; one of {@link CONNECTOR_ACTIVATIONS}. `'relu'` gives the
   * usual conv-ReLU adapter (there is no batch normalisation). Default `'linear'`.
   */
  readonly activation?: ConnectorActivation;
  /** Seed of the kernel's Glorot-uniform initialiser, for reproducible runs. Default: random. */
  readonly seed?: number;
}

/**
 * A 1×1 convolution on NHWC maps: `[N, H, W, inChannels]` → `[N, H, W, outChannels]`, i.e.
 * the same `activation(x · W + b)` at every pixel. It is computed as one matrix product, which
 * every tfjs backend can differentiate (the wasm backend has no convolution gradients).
 *
 * @example
 * ```ts
 * const connector = new Conv1x1Connector({ outChannels: 64, activation: 'relu' });
 * const adapted = connector.forward(studentMap); // [N, H, W, 64]
 * ```
 */
export class Conv1x1Connector extends LastAxisLinear {
  /** The option names the constructor accepts. */
  static readonly optionKeys = [
    'inChannels',
    'outChannels',
    'useBias',
    'activation',
    'seed',
  ] as const;

  /** Output channels. */
  readonly outChannels: number;

  /**
   * @param options - See {@link Conv1x1ConnectorOptions}.
   * @throws `INVALID_CONFIG` naming the option for an unknown key or a bad value.
   */
  constructor(options: Conv1x1ConnectorOptions) {
    const o = readOptions(options, Conv1x1Connector.optionKeys, 'Conv1x1Connector options');
    const outChannels = requiredPositiveInteger(o.outChannels, 'outChannels');
    super({
      kind: 'Conv1x1Connector',
      rank: 4,
      layout: '[N, H, W, C]',
      inKey: 'inChannels',
      inSize: optionalPositiveInteger(o.inChannels, 'inChannels'),
      outSize: outChannels,
      useBias: optionalBoolean(o.useBias, 'useBias', true),
      activation: oneOf(o.activation, 'activation', CONNECTOR_ACTIVATIONS, 'linear'),
      seed: optionalSeed(o.seed, 'seed'),
    });
    this.outChannels = outChannels;
  }

  /** Input channels, once known. */
  get inChannels(): number | undefined {
    return this.inSize;
  }
}
