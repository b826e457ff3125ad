import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import {
  CONNECTOR_TYPES,
  ConnectorSequence,
  Conv1x1Connector,
  DenseConnector,
  buildConnector,
  connectorRegistry,
  type ConnectorConfig,
} from '../../src/connectors/index.js';
import { expectNoLeaks } from '../helpers/tensors.js';
import { distillError } from '../helpers/errors.js';

describe('buildConnector', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('connectorRegistry knows exactly the CONNECTOR_TYPES', () => {
    assert.deepEqual(connectorRegistry.types, [...CONNECTOR_TYPES]);
  });

  it('buildConnector builds one connector from one config', () => {
    const dense = buildConnector({ type: 'DenseConnector', inFeatures: 3, outFeatures: 2 });
    const conv = buildConnector({ type: 'Conv1x1Connector', outChannels: 4 });
    assert.ok(dense instanceof DenseConnector);
    assert.ok(conv instanceof Conv1x1Connector);
    assert.equal(dense.built, true);
    assert.equal(conv.built, false);
    dense.dispose();
    conv.dispose();
  });

  it('buildConnector chains a list of configs in order, leak-free', async () => {
    const connector = buildConnector([
      { type: 'DenseConnector', inFeatures: 3, outFeatures: 5, activation: 'relu' },
      { type: 'DenseConnector', outFeatures: 2 },
    ]);
    assert.ok(connector instanceof ConnectorSequence);
    assert.equal(connector.built, false);
    const x = tf.zeros([4, 3]);
    tf.tidy(() => connector.forward(x)); // builds the second connector
    assert.equal(connector.built, true);
    assert.deepEqual(
      connector.trainableWeights.map((w) => w.shape),
      [[3, 5], [5], [5, 2], [2]],
    );
    await expectNoLeaks(() => {
      const y = connector.forward(x);
      assert.deepEqual(y.shape, [4, 2]);
      y.dispose();
    });
    x.dispose();
    const before = tf.memory().numTensors;
    connector.dispose();
    assert.equal(tf.memory().numTensors, before - 4);
  });

  it('buildConnector rejects an unknown type and suggests the closest', () => {
    assert.throws(
      () => buildConnector({ type: 'Dense' } as unknown as ConnectorConfig, 'connectors.hint'),
      distillError('UNKNOWN_TYPE', /connectors\.hint\.type/, /DenseConnector, Conv1x1Connector/),
    );
  });

  it('buildConnector names the list element of a bad option and frees what it built', () => {
    const before = tf.memory().numTensors;
    assert.throws(
      () =>
        buildConnector(
          [
            { type: 'DenseConnector', inFeatures: 3, outFeatures: 5 },
            { type: 'DenseConnector', outFeatures: 0 },
          ],
          'connectors.hint',
        ),
      distillError('INVALID_CONFIG', /outFeatures/, /\(at connectors\.hint\[1\]\)/),
    );
    assert.equal(tf.memory().numTensors, before);
    assert.throws(
      () =>
        buildConnector({
          type: 'Conv1x1Connector',
          outChannels: 2,
          relu: true,
        } as unknown as ConnectorConfig),
      distillError('INVALID_CONFIG', /Unknown key "relu" at connector/),
    );
  });

  it('buildConnector rejects an empty list', () => {
    assert.throws(
      () => buildConnector([], 'connectors.hint'),
      distillError('INVALID_CONFIG', /non-empty list/),
    );
  });

  it('ConnectorSequence rejects an element without forward', () => {
    assert.throws(
      () => new ConnectorSequence([{} as unknown as DenseConnector]),
      distillError('INVALID_ARGUMENT', /element 0 is not a connector/),
    );
  });
});
