import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { DenseConnector, checkRunConfig, runTraining, type RunConfig } from '../../src/index.js';
import { seedConnectors } from '../../src/run/seed-connectors.js';
import { rootDir } from '../helpers/paths.js';

describe('seedConnectors', () => {
  it('gives each unseeded connector config a seed from the run seed, keeping given seeds', () => {
    const instance = new DenseConnector({ outFeatures: 4 });
    const seeded = seedConnectors(
      {
        a: { type: 'DenseConnector', outFeatures: 4 },
        b: [
          { type: 'DenseConnector', outFeatures: 4, seed: 9 },
          { type: 'DenseConnector', outFeatures: 4 },
        ],
        c: instance,
      },
      5,
    );
    assert.deepEqual(seeded, {
      a: { type: 'DenseConnector', outFeatures: 4, seed: 106 },
      b: [
        { type: 'DenseConnector', outFeatures: 4, seed: 9 },
        { type: 'DenseConnector', outFeatures: 4, seed: 108 },
      ],
      c: instance,
    });
    assert.equal(seedConnectors(undefined, 5), undefined);
    instance.dispose();
  });
});

describe('a run with an unseeded connector', () => {
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-distill-seeded-'));
  after(() => fs.rmSync(runsDir, { recursive: true, force: true }));

  it('is reproducible from its seed alone', async () => {
    const config = (name: string): RunConfig => ({
      name,
      seed: 2,
      backend: 'cpu',
      data: { trainLimit: 200, validationSize: 0, testLimit: 100 },
      model: { type: 'mlp', hidden: [12] },
      teacher: { model: { type: 'mlp', hidden: [16] } },
      distill: {
        studentRecorders: { feat: { type: 'LayerOutputs', source: 'fc1' } },
        teacherRecorders: { feat: { type: 'LayerOutputs', source: 'fc1' } },
        connectors: { hint: { type: 'DenseConnector', outFeatures: 16 } },
        distillLosses: { hint: { type: 'L2Loss', normalize: true } },
        lossForwardMappings: {
          hint: {
            sFeature: { recorder: 'feat', fromStudent: true, connector: 'hint' },
            tFeature: { recorder: 'feat', fromStudent: false },
          },
        },
      },
      train: { epochs: 1, batchSize: 50 },
    });
    const lines = async (name: string): Promise<unknown[]> => {
      await runTraining(checkRunConfig(config(name), name), { runsDir, baseDir: rootDir });
      return fs
        .readFileSync(path.join(runsDir, name, 'metrics.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => {
          const { seconds: _seconds, ...rest } = JSON.parse(line) as Record<string, unknown>;
          return rest;
        });
    };
    assert.deepEqual(await lines('first'), await lines('second'));
  });
});
