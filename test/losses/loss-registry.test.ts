import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import {
  ATLoss,
  DKDLoss,
  KDSoftCELoss,
  KLDivergence,
  L1Loss,
  L2Loss,
  LOSS_TYPES,
  buildLoss,
  lossRegistry,
  type LossConfig,
} from '../../src/losses/index.js';
import { expectLoss } from './run-loss.js';
import { distillError } from '../helpers/errors.js';

describe('lossRegistry', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('lossRegistry knows exactly the LOSS_TYPES', () => {
    assert.deepEqual(lossRegistry.types, [...LOSS_TYPES]);
  });

  it('buildLoss builds each type with its options and input names', () => {
    const cases: [LossConfig, new (...args: never[]) => unknown, readonly string[]][] = [
      [{ type: 'KLDivergence', tau: 4 }, KLDivergence, ['predsS', 'predsT']],
      [{ type: 'KDSoftCELoss', tau: 2 }, KDSoftCELoss, ['predsS', 'predsT']],
      [{ type: 'L2Loss', normalize: false }, L2Loss, ['sFeature', 'tFeature']],
      [{ type: 'L1Loss', reduction: 'sum' }, L1Loss, ['sFeature', 'tFeature']],
      [{ type: 'ATLoss', lossWeight: 1000 }, ATLoss, ['sFeature', 'tFeature']],
      [{ type: 'DKDLoss', beta: 2 }, DKDLoss, ['predsS', 'predsT', 'gtLabels']],
    ];
    for (const [config, cls, inputNames] of cases) {
      const loss = buildLoss(config);
      assert.ok(loss instanceof cls, config.type);
      assert.deepEqual(loss.inputNames, inputNames);
    }
    assert.equal((buildLoss({ type: 'KLDivergence', tau: 4 }) as KLDivergence).tau, 4);
  });

  it('buildLoss gives a working loss with the configured lossWeight', async () => {
    const loss = buildLoss({ type: 'L1Loss', lossWeight: 2, reduction: 'sum' });
    assert.equal(loss.lossWeight, 2);
    await expectLoss(loss, { sFeature: [[1, -1]], tFeature: [[0, 0]] }, 4);
  });

  it('buildLoss rejects an unknown type and suggests the closest', () => {
    assert.throws(
      () => buildLoss({ type: 'KLDivergense' } as unknown as LossConfig, 'losses.kd'),
      distillError('UNKNOWN_TYPE', /losses\.kd\.type/, /Perhaps you meant "KLDivergence"\?/),
    );
  });

  it('buildLoss names the config path for an unknown key', () => {
    assert.throws(
      () =>
        buildLoss({ type: 'L2Loss', div_element: true } as unknown as LossConfig, 'losses.hint'),
      distillError('INVALID_CONFIG', /Unknown key "div_element" at losses\.hint/),
    );
  });

  it('buildLoss names the option, its value and the config path for a bad value', () => {
    assert.throws(
      () => buildLoss({ type: 'KLDivergence', tau: -1 }, 'losses.kd'),
      distillError(
        'INVALID_CONFIG',
        /Expected tau to be a positive number, but got -1\. \(at losses\.kd\)/,
      ),
    );
  });
});
