/**
 * DenseConnector: a fully connected adapter for `[N, D]` features.
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

/** Options of {@link DenseConnector}. */
export interface DenseConnectorOptions {
  /** Input width `D`. Default: taken from the first input (see `build`). */
  readonly inFeatures?: number;
  /** Output width, usually the teacher feature's width. Required. */
  readonly outFeatures: number;
  /** Add a trainable bias. Default true. */
  readonly useBias?: boolean;
  /** Applied after the linear map; one of {@link CONNECTOR_ACTIVATIONS}. Default `'linear'`. */
  readonly activation?: ConnectorActivation;
  /** Seed of the kernel's Glorot-uniform initialiser, for reproducible runs. Default: random. */
  readonly seed?: number;
}

/**
 * `activation(x · W + b)` for `x` of shape `[N, inFeatures]`, giving `[N, outFeatures]`. `W`
 * starts Glorot-uniform, `b` at zero.
 *
 * @example
 * ```ts
 * const connector = new DenseConnector({ inFeatures: 32, outFeatures: 128 });
 * const adapted = connector.forward(studentFeature); // [N, 128]
 * ```
 */
export class DenseConnector extends LastAxisLinear {
  /** The option names the constructor accepts. */
  static readonly optionKeys = [
    'inFeatures',
    'outFeatures',
    'useBias',
    'activation',
    'seed',
  ] as const;

  /** Output width. */
  readonly outFeatures: number;

  /**
   * @param options - See {@link DenseConnectorOptions}.
   * @throws `INVALID_CONFIG` naming the option for an unknown key or a bad value.
   */
  constructor(options: DenseConnectorOptions) {
    const o = readOptions(options, DenseConnector.optionKeys, 'DenseConnector options');
    const outFeatures = requiredPositiveInteger(o.outFeatures, 'outFeatures');
    super({
      kind: 'DenseConnector',
      rank: 2,
      layout: '[N, D]',
      inKey: 'inFeatures',
      inSize: optionalPositiveInteger(o.inFeatures, 'inFeatures'),
      outSize: outFeatures,
      useBias: optionalBoolean(o.useBias, 'useBias', true),
      activation: oneOf(o.activation, 'activation', CONNECTOR_ACTIVATIONS, 'linear'),
      seed: optionalSeed(o.seed, 'seed'),
    });
    this.outFeatures = outFeatures;
  }

  /** Input width, once known. */
  get inFeatures(): number | undefined {
    return this.inSize;
  }
}
