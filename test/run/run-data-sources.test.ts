/**
 * Runs on each kind of data source a JSON config can name (`data.source.type`): an image
 * folder, a CSV file, NPY files and MNIST as images, with paths relative to the config's
 * folder. Each run must finish, leave no tensor behind, and learn.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { checkRunConfig, runTraining, type RunConfig, type RunSummary } from '../../src/index.js';
import { fixturesDir } from '../helpers/paths.js';

const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-distill-data-source-runs-'));
after(() => fs.rmSync(runsDir, { recursive: true, force: true }));

interface Trained {
  readonly summary: RunSummary;
  readonly log: readonly string[];
  /** The metrics of each epoch, as metrics.jsonl has them. */
  readonly epochs: readonly Record<string, number>[];
  /** The example shape the saved model takes. */
  readonly inputShape: readonly number[];
}

/** Trains `config` with paths relative to the fixtures, asserting that no tensor outlives it. */
async function train(config: RunConfig): Promise<Trained> {
  const log: string[] = [];
  const before = tf.memory().numTensors;
  const summary = await runTraining(checkRunConfig(config, config.name!), {
    runsDir,
    baseDir: fixturesDir,
    observer: { log: (line) => log.push(line) },
  });
  assert.equal(tf.memory().numTensors, before, 'no tensor outlives the run');
  const epochs = fs
    .readFileSync(path.join(summary.runDir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, number>);
  const model = fs.readFileSync(path.join(summary.runDir, 'model', 'model.json'), 'utf8');
  const [, shape = ''] = /"batch_input_shape":\[null,([\d,]+)\]/.exec(model) ?? [];
  return { summary, log, epochs, inputShape: shape.split(',').map(Number) };
}

/** Asserts sane figures: all epochs done, errors below chance, accuracy consistent with them. */
function assertLearned(t: Trained, epochs: number, testCount: number, classes: number): void {
  const { summary } = t;
  assert.equal(summary.epochs, epochs);
  assert.equal(summary.interrupted, false);
  assert.equal(summary.testCount, testCount);
  assert.equal(t.epochs.length, epochs);
  const chance = testCount * (1 - 1 / classes);
  assert.ok(summary.testErrors < chance, `${summary.testErrors} errors; chance is ${chance}`);
  assert.ok(Math.abs(summary.testAccuracy - (1 - summary.testErrors / testCount)) < 1e-9);
  for (const e of t.epochs) assert.ok(Number.isFinite(e.trainLoss) && Number.isFinite(e.testLoss));
}

const train3 = {
  epochs: 3,
  batchSize: 30,
  optimizer: { type: 'adam', learningRate: 1e-2 },
} as const;

describe('runs on data sources named in the config', () => {
  it('runTraining reads { type: "imageFolder" } with its size, channels and limit options', async () => {
    const t = await train({
      name: 'image-folder',
      data: {
        source: {
          type: 'imageFolder',
          path: 'shapes',
          size: [8, 8],
          channels: 1,
          limit: { train: 60, test: 30 },
        },
      },
      model: { type: 'mlp', hidden: [8] },
      train: { epochs: 1, batchSize: 20 },
    });
    assert.deepEqual(
      t.log.filter((l) => l.startsWith('Data:')),
      ['Data: image folder shapes (3 classes, 390 PNG/JPEG images, 8x8 gray).'],
    );
    assert.deepEqual(t.inputShape, [8, 8, 1]);
    // The shapes are not learnt by an MLP in one epoch: only check the figures are sane.
    assert.equal(t.summary.testCount, 30);
    assert.ok(Number.isInteger(t.summary.testErrors) && t.summary.testErrors <= 30);
    assert.ok(Number.isFinite(t.epochs[0]!.trainLoss), JSON.stringify(t.epochs));
  });

  it('runTraining reads { type: "csv" } relative to the config folder and learns the blobs', async () => {
    const t = await train({
      name: 'csv',
      data: { source: { type: 'csv', path: 'tabular/blobs.csv', standardize: true } },
      model: { type: 'mlp', hidden: [8] },
      train: train3,
    });
    assertLearned(t, 3, 60, 3);
    assert.deepEqual(t.inputShape, [8]);
    assert.match(t.log.join('\n'), /^Data: CSV .*blobs\.csv \(8 features, 3 classes\)\.$/m);
  });

  it('runTraining reads { type: "npy" } from a folder of x.npy and y.npy and learns the blobs', async () => {
    const t = await train({
      name: 'npy',
      data: { source: { type: 'npy', dir: 'tabular/blobs-npy', testFraction: 0.2 } },
      model: { type: 'mlp', hidden: [8] },
      train: train3,
    });
    assertLearned(t, 3, 60, 3);
    assert.deepEqual(t.inputShape, [8]);
  });

  it('runTraining reads { type: "mnist", shape: "image" } with a validation split', async () => {
    const t = await train({
      name: 'mnist-image',
      data: {
        source: {
          type: 'mnist',
          shape: 'image',
          trainLimit: 300,
          validationSize: 50,
          testLimit: 100,
        },
      },
      model: { type: 'mlp', hidden: [16] },
      train: { epochs: 2, batchSize: 50, optimizer: { type: 'adam', learningRate: 3e-3 } },
    });
    assertLearned(t, 2, 100, 10);
    assert.deepEqual(t.inputShape, [28, 28, 1]);
    for (const e of t.epochs) assert.ok(Number.isInteger(e.valErrors) && e.valErrors! <= 50);
  });
});
