/**
 * Runs with teachers of every format: a GraphModel with a hidden node recorded by name, an
 * ONNX model (run one batch ahead, with and without a mixup delivery), and teachers that output
 * probabilities, which a run detects and distills from their logarithms.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import {
  Augments,
  checkRunConfig,
  runTraining,
  type DistillConfig,
  type RunConfig,
  type RunSummary,
  type TeacherConfig,
} from '../../src/index.js';
import { RunFiles } from '../../src/run/run-files.js';
import { distillError } from '../helpers/errors.js';
import { fixturesDir } from '../helpers/paths.js';

const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-distill-teacher-runs-'));
after(() => fs.rmSync(runsDir, { recursive: true, force: true }));

const HIDDEN = 'StatefulPartitionedCall/sequential/fc1/Relu';
const MIX = { type: 'BatchMixup', alpha: 0.4, numClasses: 10 } as const;

const KD: DistillConfig = {
  studentRecorders: { logits: { type: 'LayerOutputs', source: 'logits' } },
  teacherRecorders: { logits: { type: 'LayerOutputs', source: 'logits' } },
  distillLosses: { loss_kd: { type: 'KLDivergence', tau: 4, lossWeight: 0.7 } },
  lossForwardMappings: {
    loss_kd: {
      predsS: { recorder: 'logits', fromStudent: true },
      predsT: { recorder: 'logits', fromStudent: false },
    },
  },
};

/** A small MNIST distillation from `teacher` (paths relative to the fixtures). */
function config(name: string, teacher: TeacherConfig, more: Partial<RunConfig> = {}): RunConfig {
  return {
    name,
    seed: 3,
    data: { trainLimit: 200, validationSize: 0, testLimit: 100 },
    model: { type: 'mlp', hidden: [16] },
    teacher,
    distill: KD,
    ...more,
    train: {
      epochs: 2,
      batchSize: 50,
      taskLossWeight: 0.3,
      optimizer: { type: 'adam', learningRate: 3e-3 },
      ...more.train,
    },
  };
}

interface Trained {
  readonly summary: RunSummary;
  /** The run's `Teacher outputs ...` line. */
  readonly outputs: string;
}

/** Trains `c`, asserting it finishes below chance (90 errors of 100) and leaks no tensor. */
async function train(c: RunConfig): Promise<Trained> {
  const log: string[] = [];
  const before = tf.memory().numTensors;
  const summary = await runTraining(checkRunConfig(c, c.name!), {
    runsDir,
    baseDir: fixturesDir,
    observer: { log: (line) => log.push(line) },
  });
  assert.equal(tf.memory().numTensors, before, 'no tensor outlives the run');
  assert.equal(summary.epochs, 2);
  assert.equal(summary.testCount, 100);
  assert.ok(summary.testErrors < 90, `${summary.testErrors} test errors; chance is 90`);
  const outputs = log.filter((line) => line.startsWith('Teacher outputs'));
  assert.equal(outputs.length, 1, log.join('\n'));
  return { summary, outputs: outputs[0]! };
}

/** The test loss of the final model, from the last line of metrics.jsonl. */
function testLoss(summary: RunSummary): number {
  const lines = fs.readFileSync(path.join(summary.runDir, 'metrics.jsonl'), 'utf8').trim();
  return (JSON.parse(lines.split('\n').at(-1)!) as { testLoss: number }).testLoss;
}

describe('runs with GraphModel teachers', () => {
  it('runTraining records a GraphModel node by name for an L2 loss through a DenseConnector', async () => {
    const { summary, outputs } = await train(
      config(
        'graph-hint',
        { model: { type: 'graph', path: 'graph-teacher/logits', nodes: [HIDDEN] } },
        {
          distill: {
            ...KD,
            studentRecorders: {
              ...KD.studentRecorders,
              hidden: { type: 'LayerOutputs', source: 'fc1' },
            },
            teacherRecorders: {
              ...KD.teacherRecorders,
              hidden: { type: 'LayerOutputs', source: HIDDEN },
            },
            connectors: { hint: { type: 'DenseConnector', outFeatures: 32 } },
            distillLosses: { ...KD.distillLosses, loss_hint: { type: 'L2Loss', lossWeight: 0.2 } },
            lossForwardMappings: {
              ...KD.lossForwardMappings,
              loss_hint: {
                sFeature: { recorder: 'hidden', fromStudent: true, connector: 'hint' },
                tFeature: { recorder: 'hidden', fromStudent: false },
              },
            },
          },
        },
      ),
    );
    assert.match(outputs, /^Teacher outputs logits: some outputs are negative/);
    // The connector maps the student's 16 units to the node's 32 (an L2 loss of other widths
    // would have thrown) and is saved beside the student.
    const checkpoint = new RunFiles(summary.runDir).readLatest()!;
    const info = JSON.parse(fs.readFileSync(path.join(checkpoint, 'checkpoint.json'), 'utf8')) as {
      connectorState: { connectors: { name: string; weights: { shape: number[] }[] }[] };
    };
    assert.deepEqual(
      info.connectorState.connectors.map((c) => [c.name, c.weights.map((w) => w.shape)]),
      [['hint', [[16, 32], [32]]]],
    );
  });

  it('runTraining detects a softmax GraphModel and distills the student its logits variant gives; teacher.outputs overrides', async () => {
    const logits = await train(
      config('graph-logits', { model: { type: 'graph', path: 'graph-teacher/logits' } }),
    );
    const softmax = await train(
      config('graph-softmax', { model: { type: 'graph', path: 'graph-teacher/softmax' } }),
    );
    assert.equal(
      softmax.outputs,
      'Teacher outputs probabilities: the output op of layer "logits" is Softmax; distilled from their logarithms.',
    );
    // Log-probabilities are the logits shifted per row, which a softmax ignores.
    assert.equal(softmax.summary.testErrors, logits.summary.testErrors);
    assert.ok(Math.abs(testLoss(softmax.summary) - testLoss(logits.summary)) < 1e-4);
    // Taken as logits, the probabilities teach something else.
    const declared = await train(
      config('graph-softmax-as-logits', {
        model: { type: 'graph', path: 'graph-teacher/softmax' },
        outputs: 'logits',
      }),
    );
    assert.equal(declared.outputs, 'Teacher outputs logits: as teacher.outputs says.');
    assert.ok(
      Math.abs(testLoss(declared.summary) - testLoss(logits.summary)) > 1e-2,
      `${testLoss(declared.summary)} vs ${testLoss(logits.summary)}`,
    );
  });
});

describe('runs with ONNX teachers', () => {
  it('runTraining detects a softmax ONNX teacher on flat MNIST and distills the student its logits variant gives', async () => {
    const logits = await train(
      config('onnx-logits', { model: { type: 'onnx', path: 'onnx-teacher/cnn.onnx' } }),
    );
    assert.equal(
      logits.outputs,
      'Teacher outputs logits: the output "logits" is computed by a Gemm node, not Softmax.',
    );
    const softmax = await train(
      config('onnx-softmax', { model: { type: 'onnx', path: 'onnx-teacher/cnn-softmax.onnx' } }),
    );
    assert.equal(
      softmax.outputs,
      'Teacher outputs probabilities: the output "probs" is computed by a Softmax node; distilled from their logarithms.',
    );
    assert.ok(Math.abs(softmax.summary.testErrors - logits.summary.testErrors) <= 1);
    assert.ok(Math.abs(testLoss(softmax.summary) - testLoss(logits.summary)) < 1e-3);
  });

  const mixup = (maxKeepData: number): RunConfig =>
    config(
      `onnx-mixup-${maxKeepData}`,
      { model: { type: 'onnx', path: 'onnx-teacher/cnn.onnx' }, augments: MIX },
      {
        data: {
          source: {
            type: 'mnist',
            shape: 'image',
            trainLimit: 200,
            validationSize: 0,
            testLimit: 100,
          },
        },
        distill: {
          ...KD,
          distillDeliveries: [
            // The object form: a string path would load the package's dist/, not these sources.
            { type: 'MethodOutputs', maxKeepData, methodPath: { cls: Augments, name: 'call' } },
          ],
        },
        train: { augments: MIX },
      },
    );

  it('runTraining distills from an ONNX teacher on MNIST images with a mixup delivery of maxKeepData 2', async () => {
    await train(mixup(2));
  });

  it('runTraining refuses a delivery of maxKeepData 1 with an ONNX teacher, which runs a batch ahead', async () => {
    const before = tf.memory().numTensors;
    await assert.rejects(
      runTraining(checkRunConfig(mixup(1), 'onnx-mixup-1'), { runsDir, baseDir: fixturesDir }),
      distillError('INVALID_CONFIG', /keeps 1 recording.*Set its maxKeepData to 2 or more/),
    );
    assert.equal(tf.memory().numTensors, before, 'no tensor outlives the refusal');
    assert.equal(fs.existsSync(path.join(runsDir, 'onnx-mixup-1')), false, 'nothing is written');
  });
});
