/**
 * Runs on data that is not MNIST: a source of the config's own, image-shaped, with a teacher
 * and a student that see it through different views.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { checkRunConfig, runTraining, type RunConfig } from '../../src/index.js';
import type { DataSource } from '../../src/data/sources/source.js';
import { distillError } from '../helpers/errors.js';
import { stripesSource } from '../helpers/stripes.js';
import { fixturesDir } from '../helpers/paths.js';

const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-distill-source-runs-'));
after(() => fs.rmSync(runsDir, { recursive: true, force: true }));

const source = (): DataSource => stripesSource();

function config(name: string): RunConfig {
  return {
    name,
    seed: 2,
    backend: 'cpu',
    data: { source: () => source() },
    model: { type: 'mlp', hidden: [8] },
    input: { scale: [-1, 1] },
    teacher: {
      model: () =>
        tf.sequential({
          layers: [
            tf.layers.flatten({ inputShape: [12, 12, 3] }),
            tf.layers.dense({ units: 3, name: 'logits' }),
          ],
        }),
      input: { size: [12, 12], channels: 3 },
    },
    distill: {
      studentRecorders: { logits: { type: 'LayerOutputs', source: 'logits' } },
      teacherRecorders: { logits: { type: 'LayerOutputs', source: 'logits' } },
      distillLosses: { loss_kd: { type: 'KLDivergence', tau: 2, lossWeight: 0.5 } },
      lossForwardMappings: {
        loss_kd: {
          predsS: { recorder: 'logits', fromStudent: true },
          predsT: { recorder: 'logits', fromStudent: false },
        },
      },
    },
    train: { epochs: 3, batchSize: 20, optimizer: { type: 'adam', learningRate: 0.01 } },
  };
}

describe('runs on a data source of their own', () => {
  it('runTraining distills on image-shaped data with a teacher and a student of different views', async () => {
    const before = tf.memory().numTensors;
    const summary = await runTraining(checkRunConfig(config('stripes'), 'stripes'), {
      runsDir,
      baseDir: runsDir,
    });
    assert.equal(tf.memory().numTensors, before, 'no tensor outlives the run');
    assert.equal(summary.testCount, 60);
    assert.equal(summary.epochs, 3);
    // The task is easy: a student that learns at all is far above chance (20 of 60).
    assert.ok(summary.testErrors < 20, `${summary.testErrors} test errors`);
    const saved = JSON.parse(
      fs.readFileSync(path.join(summary.runDir, 'model', 'model.json'), 'utf8'),
    ) as { modelTopology: unknown };
    assert.match(JSON.stringify(saved.modelTopology), /\[null,6,6,1\]/);
  });

  it('runTraining refuses a teacher the data cannot be fed to, naming the view that would', async () => {
    const bad = { ...config('unfed'), teacher: { ...config('unfed').teacher!, input: undefined } };
    await assert.rejects(
      runTraining(checkRunConfig(bad, 'unfed'), { runsDir, baseDir: runsDir }),
      distillError(
        'SHAPE_MISMATCH',
        /^teacher\.model takes inputs of shape \[N, 12, 12, 3\], but the data gives it \[N, 6, 6, 1\]; set teacher\.input: \{ "size": \[12, 12\], "channels": 3 \}/,
      ),
    );
    assert.equal(fs.existsSync(path.join(runsDir, 'unfed')), false, 'nothing is written');
  });
});

describe('runs that skip unreadable images', () => {
  it('runTraining reports how many images skipBad skipped', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-distill-skip-'));
    try {
      const shapes = path.join(fixturesDir, 'shapes', 'train');
      for (const cls of ['circle', 'square']) {
        fs.mkdirSync(path.join(folder, cls));
        for (const f of fs.readdirSync(path.join(shapes, cls)).slice(0, 10)) {
          fs.copyFileSync(path.join(shapes, cls, f), path.join(folder, cls, f));
        }
      }
      fs.writeFileSync(path.join(folder, 'circle', 'broken.png'), 'not an image');
      const logs: string[] = [];
      await runTraining(
        checkRunConfig(
          {
            name: 'skip',
            backend: 'cpu',
            data: {
              source: {
                type: 'imageFolder',
                path: folder,
                size: [8, 8],
                skipBad: true,
                testFraction: 0.2,
              },
            },
            model: { type: 'mlp', hidden: [4] },
            train: { epochs: 1, batchSize: 8 },
          },
          'skip',
        ),
        { runsDir, baseDir: runsDir, observer: { log: (m) => logs.push(m) } },
      );
      assert.ok(
        logs.includes('Skipped 1 unreadable example(s) so far (skipBad).'),
        logs.join('\n'),
      );
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
