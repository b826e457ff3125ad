/** Connectors: trainable adapters applied to a student feature before its distillation loss. */
export type { Connector } from './connector.js';
export { CONNECTOR_ACTIVATIONS, type ConnectorActivation } from './activation.js';
export { DenseConnector, type DenseConnectorOptions } from './dense-connector.js';
export { Conv1x1Connector, type Conv1x1ConnectorOptions } from './conv1x1-connector.js';
export { ConnectorSequence } from './connector-sequence.js';
export {
  connectorRegistry,
  buildConnector,
  CONNECTOR_TYPES,
  type ConnectorConfig,
  type ConnectorConfigTypes,
  type ConnectorType,
} from './connector-registry.js';
