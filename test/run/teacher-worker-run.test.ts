/**
 * A run with `teacher.runInWorker` trains exactly as the same run without it, stops cleanly
 * when aborted mid-epoch, and resumes.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { Augments, checkRunConfig, runTraining, type RunConfig } from '../../src/index.js';
import { rootDir } from '../helpers/paths.js';

const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-distill-worker-runs-'));
after(() => fs.rmSync(runsDir, { recursive: true, force: true }));

const MIX = { type: 'BatchMixup', alpha: 0.4, numClasses: 10 } as const;

function config(name: string, runInWorker: boolean, epochs = 2): RunConfig {
  return {
    name,
    seed: 4,
    backend: 'cpu',
    data: { trainLimit: 300, validationSize: 100, testLimit: 200 },
    model: { type: 'mlp', hidden: [16] },
    teacher: { model: { type: 'mlp', hidden: [32] }, augments: MIX, runInWorker },
    distill: {
      studentRecorders: {
        logits: { type: 'LayerOutputs', source: 'logits' },
        feat: { type: 'LayerOutputs', source: 'fc1' },
      },
      teacherRecorders: {
        logits: { type: 'LayerOutputs', source: 'logits' },
        feat: { type: 'LayerOutputs', source: 'fc1' },
      },
      distillDeliveries: [
        // The object form: a string path would load the package's dist/, not these sources.
        { type: 'MethodOutputs', maxKeepData: 2, methodPath: { cls: Augments, name: 'call' } },
      ],
      connectors: { hint: { type: 'DenseConnector', outFeatures: 32, seed: 3 } },
      distillLosses: {
        loss_kd: { type: 'KLDivergence', tau: 4, lossWeight: 0.7 },
        loss_hint: { type: 'L2Loss', normalize: true, lossWeight: 0.2 },
      },
      lossForwardMappings: {
        loss_kd: {
          predsS: { recorder: 'logits', fromStudent: true },
          predsT: { recorder: 'logits', fromStudent: false },
        },
        loss_hint: {
          sFeature: { recorder: 'feat', fromStudent: true, connector: 'hint' },
          tFeature: { recorder: 'feat', fromStudent: false },
        },
      },
    },
    train: { epochs, batchSize: 50, augments: MIX, taskLossWeight: 0.3 },
  };
}

function epochLines(name: string): Record<string, unknown>[] {
  return fs
    .readFileSync(path.join(runsDir, name, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .map(({ seconds: _seconds, ...rest }) => rest);
}

describe('runs with teacher.runInWorker', () => {
  it('train exactly as the same run on one thread', async () => {
    const options = { runsDir, baseDir: rootDir };
    const plain = await runTraining(checkRunConfig(config('plain', false), 'plain'), options);
    const tensors = tf.memory().numTensors;
    const worker = await runTraining(checkRunConfig(config('worker', true), 'worker'), options);
    assert.equal(tf.memory().numTensors, tensors, 'the run left tensors behind');
    assert.deepEqual(epochLines('worker'), epochLines('plain'));
    assert.equal(worker.testErrors, plain.testErrors);
    assert.equal(worker.interrupted, false);
  });

  it('stop mid-epoch when aborted, leaving nothing behind, and resume to the end', async () => {
    const controller = new AbortController();
    const tensors = tf.memory().numTensors;
    const first = await runTraining(checkRunConfig(config('aborted', true, 3), 'aborted'), {
      runsDir,
      baseDir: rootDir,
      signal: controller.signal,
      observer: {
        step: (batch) => {
          if (batch === 2) controller.abort();
        },
      },
    });
    assert.equal(first.interrupted, true);
    assert.equal(tf.memory().numTensors, tensors, 'the interrupted run left tensors behind');
    const resumed = await runTraining(checkRunConfig(config('aborted', true, 3), 'aborted'), {
      runsDir,
      baseDir: rootDir,
      resume: true,
    });
    assert.equal(resumed.interrupted, false);
    assert.equal(resumed.epochs, 3);
    assert.deepEqual(
      epochLines('aborted').map((line) => line.epoch),
      [1, 2, 3],
    );
  });
});
