/**
 * Connector configs, the registry that builds connectors by `type`, and `buildConnector`.
 */
import { atPath, rejectUnknownKeys } from '../config/validate.js';
import { DistillError, describeValue } from '../errors.js';
import { Registry } from '../registry.js';
import type { Connector } from './connector.js';
import { ConnectorSequence } from './connector-sequence.js';
import { Conv1x1Connector, type Conv1x1ConnectorOptions } from './conv1x1-connector.js';
import { DenseConnector, type DenseConnectorOptions } from './dense-connector.js';

/**
 * Config types by `type` name: the connector's options plus its `type`. Add your own
 * registered kinds by module augmentation, as for losses.
 */
export interface ConnectorConfigTypes {
  /** See {@link DenseConnector}. */
  DenseConnector: { readonly type: 'DenseConnector' } & DenseConnectorOptions;
  /** See {@link Conv1x1Connector}. */
  Conv1x1Connector: { readonly type: 'Conv1x1Connector' } & Conv1x1ConnectorOptions;
}

/** Any known connector config. */
export type ConnectorConfig = ConnectorConfigTypes[keyof ConnectorConfigTypes];

/** The built-in connector type names. */
export const CONNECTOR_TYPES = ['DenseConnector', 'Conv1x1Connector'] as const;

/** One of {@link CONNECTOR_TYPES}. */
export type ConnectorType = (typeof CONNECTOR_TYPES)[number];

/** Builds connectors from configs; register your own kinds here. */
export const connectorRegistry = new Registry<Connector>('connector');

interface ConnectorClass {
  readonly optionKeys: readonly string[];
  new (options: Readonly<Record<string, unknown>>): Connector;
}

function register(type: ConnectorType, cls: ConnectorClass): void {
  connectorRegistry.register(type, (config, { path }) => {
    rejectUnknownKeys(config, ['type', ...cls.optionKeys], path);
    const options: Record<string, unknown> = { ...config };
    delete options.type;
    return atPath(path, () => new cls(options));
  });
}

// The casts only widen each constructor's typed options to the unknown record a config file
// yields; the constructors validate every value at run time.
register('DenseConnector', DenseConnector as unknown as ConnectorClass);
register('Conv1x1Connector', Conv1x1Connector as unknown as ConnectorClass);

/**
 * Builds a connector from one config, or a {@link ConnectorSequence} from a list of them
 * (applied in list order), via {@link connectorRegistry}.
 *
 * @param config - `{ type, ...options }` or a non-empty array of them.
 * @param path - The config's key path, for messages. Default `"connector"`; list elements
 *   are reported as `path[i]`.
 * @throws `UNKNOWN_TYPE` for an unknown `type`; `INVALID_CONFIG` for a bad option or an
 *   empty list.
 *
 * @example
 * ```ts
 * const connector = buildConnector([
 *   { type: 'Conv1x1Connector', outChannels: 64, activation: 'relu' },
 *   { type: 'Conv1x1Connector', outChannels: 128 },
 * ]);
 * ```
 */
export function buildConnector(
  config: ConnectorConfig | readonly ConnectorConfig[],
  path = 'connector',
): Connector {
  if (!Array.isArray(config)) return connectorRegistry.build(config, { path });
  if (config.length === 0) {
    throw new DistillError(
      'INVALID_CONFIG',
      `Expected ${path} to be a connector config or a non-empty list of them, but got ${describeValue(config)}.`,
    );
  }
  const built: Connector[] = [];
  try {
    config.forEach((c: unknown, i) =>
      built.push(connectorRegistry.build(c, { path: `${path}[${i}]` })),
    );
  } catch (error) {
    // Do not leak the weights of the connectors built before the bad one.
    for (const c of built) c.dispose();
    throw error;
  }
  return new ConnectorSequence(built);
}
