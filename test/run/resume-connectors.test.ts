/**
 * Resuming a distillation run with a connector (FitNets-like, on a small MNIST subset): the
 * connector's weights are checkpointed, so an interrupted and resumed run ends exactly where an
 * uninterrupted one does, and a config whose connectors changed is refused.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  checkRunConfig,
  runTraining,
  type CheckpointInfo,
  type RunOptions,
} from '../../src/index.js';
import { distillError } from '../helpers/errors.js';
import { expectNoLeaks } from '../helpers/tensors.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-distill-resume-'));
const runsDir = path.join(work, 'runs');
after(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

/** A two-layer connector without input sizes, so it is built by a forward pass on resume. */
const HINT = [
  { type: 'DenseConnector', outFeatures: 16, activation: 'relu', seed: 7 },
  { type: 'DenseConnector', outFeatures: 24, seed: 8 },
];

/** 6 steps an epoch, 2 epochs; the teacher is a seeded, untrained MLP, 24 features wide. */
function fitnets(
  name: string,
  hint: unknown = HINT,
  hidden = [12],
): ReturnType<typeof checkRunConfig> {
  return checkRunConfig(
    {
      name,
      seed: 5,
      backend: 'cpu',
      data: { trainLimit: 120, validationSize: 50, testLimit: 100 },
      model: { type: 'mlp', hidden },
      teacher: { model: { type: 'mlp', hidden: [24] } },
      distill: {
        studentRecorders: { feat: { type: 'LayerOutputs', source: 'fc1' } },
        teacherRecorders: { feat: { type: 'LayerOutputs', source: 'fc1' } },
        connectors: { hint },
        distillLosses: { loss_hint: { type: 'L2Loss', normalize: true } },
        lossForwardMappings: {
          loss_hint: {
            sFeature: { recorder: 'feat', fromStudent: true, connector: 'hint' },
            tFeature: { recorder: 'feat', fromStudent: false },
          },
        },
      },
      train: { epochs: 2, batchSize: 20 },
    },
    name,
  );
}

/** The running mean loss after each step, by epoch and batch, as the observer reports it. */
type Trace = [epoch: number, batch: number, loss: number][];

/** Runs `fitnets(name)`, aborting (as Ctrl-C does) after `abortAfter` steps when given. */
async function train(
  name: string,
  options: {
    abortAfter?: number;
    resume?: boolean;
    hint?: unknown;
    hidden?: number[];
    log?: string[];
  } = {},
): Promise<Trace> {
  const trace: Trace = [];
  const controller = new AbortController();
  let epoch = -1;
  let steps = 0;
  const runOptions: RunOptions = {
    runsDir,
    baseDir: work,
    resume: options.resume,
    signal: options.abortAfter === undefined ? undefined : controller.signal,
    observer: {
      log: (message) => options.log?.push(message),
      startEpoch: (e) => (epoch = e),
      step: (batch, loss) => {
        trace.push([epoch, batch, loss]);
        if (++steps === options.abortAfter) controller.abort();
      },
    },
  };
  const summary = await runTraining(fitnets(name, options.hint, options.hidden), runOptions);
  assert.equal(summary.interrupted, options.abortAfter !== undefined);
  return trace;
}

function metricsLines(name: string): Record<string, unknown>[] {
  return fs
    .readFileSync(path.join(runsDir, name, 'metrics.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const { seconds: _seconds, ...rest } = JSON.parse(line) as Record<string, unknown>;
      return rest;
    });
}

/** The checkpoint.json file that latest.json of run `name` points at. */
function latestJson(name: string): string {
  const checkpoints = path.join(runsDir, name, 'checkpoints');
  const { dir } = JSON.parse(fs.readFileSync(path.join(checkpoints, 'latest.json'), 'utf8')) as {
    dir: string;
  };
  return path.join(checkpoints, dir, 'checkpoint.json');
}

function latestInfo(name: string): CheckpointInfo {
  return JSON.parse(fs.readFileSync(latestJson(name), 'utf8')) as CheckpointInfo;
}

describe('resuming a run with a connector', () => {
  let uninterrupted: Trace = [];
  let resumed: Trace = [];

  before(async () => {
    uninterrupted = await train('whole');
    // Step 3 of 6 in epoch 1: the checkpoint is taken in the middle of an epoch.
    const first = await train('parts', { abortAfter: 3 });
    assert.deepEqual(first, uninterrupted.slice(0, 3));
    // Building the connector, restoring it and the optimizer leave no tensor behind.
    resumed = await expectNoLeaks(() => train('parts', { resume: true }));
  });

  it('checkpoints the connector weights beside the model and the optimizer state', () => {
    const info = latestInfo('parts');
    assert.equal(info.formatVersion, 2);
    assert.deepEqual(Object.keys(info.files).sort(), [
      'connectors.bin',
      'model.json',
      'optimizer.bin',
      'weights.bin',
    ]);
    assert.deepEqual(info.connectorState, {
      path: 'connectors.bin',
      connectors: [
        {
          name: 'hint',
          weights: [
            { name: 'hint/0', shape: [12, 16], dtype: 'float32' },
            { name: 'hint/1', shape: [16], dtype: 'float32' },
            { name: 'hint/2', shape: [16, 24], dtype: 'float32' },
            { name: 'hint/3', shape: [24], dtype: 'float32' },
          ],
        },
      ],
    });
    // Adam: the step count, then first and second moments of 4 student and 4 connector weights.
    assert.equal(info.optimizerState?.weights.length, 1 + 2 * 8);
  });

  it('ends with exactly the connector, student and optimizer state of an uninterrupted run', () => {
    const whole = latestInfo('whole');
    const parts = latestInfo('parts');
    assert.equal(parts.step, whole.step);
    for (const file of ['connectors.bin', 'weights.bin', 'optimizer.bin']) {
      assert.deepEqual(parts.files[file], whole.files[file], file);
    }
  });

  it('logs the same losses and metrics as an uninterrupted run', () => {
    // Epoch 1 resumes after batch 3: the resumed run's means there cover batches 4-6 only.
    assert.deepEqual(
      resumed.map(([epoch, batch]) => [epoch, batch]),
      uninterrupted.slice(3).map(([epoch, batch]) => [epoch, batch]),
    );
    const sumTo = (i: number): number => uninterrupted[i - 1]![2] * i;
    const [first, , last] = resumed.map(([, , loss]) => loss);
    assert.ok(Math.abs(first! - (sumTo(4) - sumTo(3))) < 1e-5, 'the loss of batch 4');
    assert.ok(Math.abs(last! - (sumTo(6) - sumTo(3)) / 3) < 1e-5, 'the mean of batches 4-6');
    const epoch2 = (trace: Trace): Trace => trace.filter(([epoch]) => epoch === 1);
    assert.deepEqual(epoch2(resumed), epoch2(uninterrupted));
    const [whole1, whole2] = metricsLines('whole');
    const [parts1, parts2] = metricsLines('parts');
    // The training means of epoch 1 cover the resumed batches only: the loss and its terms.
    const { trainLosses: partsTerms, ...parts1Rest } = parts1!;
    const { trainLosses: _wholeTerms, ...whole1Rest } = whole1!;
    assert.deepEqual({ ...parts1Rest, trainLoss: last }, { ...whole1Rest, trainLoss: last });
    const terms = partsTerms as Record<string, number>;
    assert.ok(Math.abs(terms.loss! - last!) < 1e-5, 'the mean loss term of batches 4-6');
    assert.ok(Math.abs(terms['distill.loss_hint']! + terms['student.loss']! - last!) < 1e-5);
    assert.deepEqual(parts2, whole2);
  });

  it('refuses to resume when the config changed the connector, naming it and leaving the run as it was', async () => {
    const configBefore = fs.readFileSync(path.join(runsDir, 'parts', 'config.json'), 'utf8');
    const changed = [{ ...HINT[0], outFeatures: 10 }, HINT[1]];
    await assert.rejects(
      train('parts', { resume: true, hint: changed }),
      distillError(
        'SHAPE_MISMATCH',
        /^Connector "hint" has weights \[12, 10\] float32, \[10\] float32, \[10, 24\] float32, \[24\] float32, but .*connectors\.bin holds \[12, 16\] float32, .* for it\./,
        /connectors changed since the checkpoint was saved/,
        /start over with --force\.$/,
      ),
    );
    assert.equal(fs.readFileSync(path.join(runsDir, 'parts', 'config.json'), 'utf8'), configBefore);
  });

  it('refuses to resume when the model changed so that the optimizer state no longer lines up', async () => {
    // A second hidden layer: the connector still fits fc1, but there are 6 student weights now.
    await assert.rejects(
      train('parts', { resume: true, hidden: [12, 8] }),
      distillError(
        'SHAPE_MISMATCH',
        /optimizer\.bin does not fit the variables being trained: its 16 per-variable tensors cannot belong to the 10 variables being trained\./,
        /start over with --force\.$/,
      ),
    );
  });

  it('resumes from a checkpoint saved before connectors were checkpointed, saying they start anew', async () => {
    const file = latestJson('parts');
    const { connectorState: _connectorState, ...info } = latestInfo('parts');
    const { 'connectors.bin': _bin, ...files } = info.files;
    fs.writeFileSync(file, JSON.stringify({ ...info, formatVersion: 1, files }));
    const log: string[] = [];
    await train('parts', { resume: true, log });
    assert.ok(
      log.some((line) =>
        /predates connector weights in checkpoints \(format version 1\): the connectors start from new weights\./.test(
          line,
        ),
      ),
      log.join('\n'),
    );
  });
});
