/**
 * The per-epoch diagnostics of a run: the teacher's test accuracy, the student's agreement with
 * the teacher, the mean of each loss term and the learning rate, in metrics.jsonl, in what the
 * observer hears, in summary.json and in plot.svg, also after a resume.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { STRIPES_SHAPE, stripesSource } from '../helpers/stripes.js';
import { checkRunConfig, runTraining, type RunConfig, type RunSummary } from '../../src/index.js';
import type { DataSource } from '../../src/data/sources/source.js';
import { fileLoader } from '../../src/train/checkpoint-io.js';
import { agreement, evaluateSplit } from '../../src/train/evaluate-split.js';
import { learningRateAt, type ScheduleConfig } from '../../src/train/schedule.js';
import { expectNoLeaks } from '../helpers/tensors.js';

const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-distill-diagnostics-'));
after(() => fs.rmSync(runsDir, { recursive: true, force: true }));

const SHAPE = STRIPES_SHAPE;
const TEST_COUNT = 60;
const EPOCHS = 3;
const BASE_LR = 0.01;
const SCHEDULE: ScheduleConfig = { type: 'cosine', minLearningRate: 0.001 };

const source = (): DataSource => stripesSource(TEST_COUNT);

/** A seeded, untrained teacher: the same weights every time it is built. */
function buildTeacher(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: SHAPE }),
      tf.layers.dense({
        units: 3,
        name: 'logits',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 9 }),
      }),
    ],
  });
}

/** How often a teacher built by the runs predicted the whole test split in one batch. */
let teacherTestPasses = 0;

/** The teacher of the runs, counting its forward passes over the test split. */
function countingTeacher(): tf.LayersModel {
  const model = buildTeacher();
  const apply = model.apply.bind(model);
  model.apply = (inputs, kwargs) => {
    const x = Array.isArray(inputs) ? inputs[0]! : (inputs as tf.Tensor);
    if (x.shape[0] === TEST_COUNT) teacherTestPasses++;
    return apply(inputs, kwargs);
  };
  return model;
}

function kdConfig(name: string): RunConfig {
  return {
    name,
    seed: 3,
    backend: 'cpu',
    data: { source: () => source() },
    model: { type: 'mlp', hidden: [8] },
    teacher: { model: countingTeacher },
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
    train: {
      epochs: EPOCHS,
      batchSize: 20,
      taskLossWeight: 0.3,
      optimizer: { type: 'adam', learningRate: BASE_LR },
      schedule: SCHEDULE,
    },
  };
}

function plainConfig(name: string): RunConfig {
  const { teacher: _teacher, distill: _distill, ...rest } = kdConfig(name);
  return { ...rest, train: { ...rest.train, taskLossWeight: 1 } };
}

interface EpochLine {
  readonly epoch: number;
  readonly step: number;
  readonly trainLoss: number;
  readonly trainLosses: Record<string, number>;
  readonly learningRate: number;
  readonly testAccuracy: number;
  readonly teacherTestAccuracy?: number;
  readonly teacherAgreement?: number;
}

function epochLines(name: string): EpochLine[] {
  return fs
    .readFileSync(path.join(runsDir, name, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as EpochLine);
}

/** What a teacher built as the runs build theirs scores on the test split, measured here. */
async function expectedTeacher(): Promise<{ accuracy: number; predictions: Int32Array }> {
  const teacher = buildTeacher();
  try {
    return await evaluateSplit((x) => teacher.predict(x) as tf.Tensor, source().test, {
      numClasses: 3,
    });
  } finally {
    teacher.dispose();
  }
}

/** The predictions of a run's final model on the test split. */
async function finalPredictions(runDir: string): Promise<Int32Array> {
  const model = await tf.loadLayersModel(fileLoader(path.join(runDir, 'model')));
  try {
    const r = await evaluateSplit((x) => model.predict(x) as tf.Tensor, source().test, {
      numClasses: 3,
    });
    return r.predictions;
  } finally {
    model.dispose();
  }
}

function assertClose(actual: number, expected: number, what: string, tolerance = 1e-5): void {
  assert.ok(
    Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)),
    `${what}: ${actual} != ${expected}`,
  );
}

/** Checks the loss terms and the learning rate of every line. */
function assertLossesAndRate(lines: readonly EpochLine[], terms: readonly string[]): void {
  for (const line of lines) {
    assert.deepEqual(Object.keys(line.trainLosses), terms, `epoch ${line.epoch}`);
    for (const value of Object.values(line.trainLosses)) assert.ok(Number.isFinite(value));
    const { loss, ...parts } = line.trainLosses;
    // The parts are weighted already (taskLossWeight, lossWeight): they add up to the total.
    const sum = Object.values(parts).reduce((a, b) => a + b, 0);
    assertClose(sum, loss!, `epoch ${line.epoch}: the sum of the loss terms`);
    assertClose(loss!, line.trainLoss, `epoch ${line.epoch}: trainLosses.loss and trainLoss`);
    // The rate of the epoch's last step: the schedule's value at the end of the epoch.
    assert.equal(line.learningRate, learningRateAt(SCHEDULE, BASE_LR, line.epoch, EPOCHS));
  }
}

describe('run diagnostics of a distillation', () => {
  let summary: RunSummary;
  const heard: [Record<string, number>, Record<string, number>][] = [];
  let passes = 0;

  before(async () => {
    teacherTestPasses = 0;
    summary = await expectNoLeaks(() =>
      runTraining(checkRunConfig(kdConfig('kd'), 'kd'), {
        runsDir,
        baseDir: runsDir,
        observer: { endEpoch: (metrics, losses) => heard.push([{ ...metrics }, { ...losses }]) },
      }),
    );
    passes = teacherTestPasses;
  });

  it('runTraining logs the teacher test accuracy on every epoch line, measured once a run', async () => {
    const expected = await expectedTeacher();
    const lines = epochLines('kd');
    assert.deepEqual(
      lines.map((l) => l.epoch),
      [1, 2, 3],
    );
    for (const line of lines) assert.equal(line.teacherTestAccuracy, expected.accuracy);
    assert.equal(summary.teacherTestAccuracy, expected.accuracy);
    assert.equal(passes, 1, 'the teacher predicts the test split once, not every epoch');
  });

  it("runTraining logs the student's agreement with the teacher, the one of the final model in the summary", async () => {
    const lines = epochLines('kd');
    for (const line of lines) {
      assert.ok(line.teacherAgreement! >= 0 && line.teacherAgreement! <= 1, `${line.epoch}`);
      // A fraction of the test examples: a multiple of one in sixty.
      const agreeing = line.teacherAgreement! * TEST_COUNT;
      assertClose(agreeing, Math.round(agreeing), `epoch ${line.epoch}: examples agreeing`);
    }
    const expected = agreement(
      await finalPredictions(summary.runDir),
      (await expectedTeacher()).predictions,
    );
    assert.equal(summary.teacherAgreement, expected);
    assert.equal(lines.at(-1)!.teacherAgreement, expected);
  });

  it('runTraining logs the mean of each loss term, adding up to the total, and the learning rate', () => {
    const lines = epochLines('kd');
    assertLossesAndRate(lines, ['loss', 'student.loss', 'distill.loss_kd']);
    // A cosine schedule: the rate falls from epoch to epoch.
    assert.ok(lines[0]!.learningRate > lines[2]!.learningRate);
  });

  it('runTraining tells the observer the same numbers it logs', () => {
    const lines = epochLines('kd');
    assert.equal(heard.length, lines.length);
    heard.forEach(([metrics, losses], i) => {
      assert.deepEqual(losses, lines[i]!.trainLosses);
      assert.equal(metrics.teacherAgreement, lines[i]!.teacherAgreement);
      assert.equal(metrics.teacherTestAccuracy, lines[i]!.teacherTestAccuracy);
      assert.equal(metrics.learningRate, lines[i]!.learningRate);
    });
  });

  it('runTraining plots the agreement with the teacher, its accuracy, the loss terms and the rate', () => {
    const svg = fs.readFileSync(path.join(summary.runDir, 'plot.svg'), 'utf8');
    const panel = (title: string): string => {
      const start = svg.indexOf(`data-title="${title}"`);
      assert.ok(start > 0, `a panel "${title}"`);
      const end = svg.indexOf('<g class="panel"', start);
      return svg.slice(start, end === -1 ? undefined : end);
    };
    const agree = panel('agreement with the teacher (test)');
    assert.match(agree, /<polyline points="[^"]+"/);
    assert.match(
      agree,
      /<line class="reference" data-run="kd" data-reference="teacher test accuracy"/,
    );
    const terms = panel('train loss terms');
    assert.match(terms, /data-metric="loss term student\.loss"><polyline points="[^"]+"/);
    assert.match(terms, /data-metric="loss term distill\.loss_kd"><polyline points="[^"]+"/);
    assert.match(terms, />distill\.loss_kd<\/text>/, 'the legend names the terms');
    assert.match(panel('learning rate'), /<polyline points="[^"]+"/);
  });
});

describe('run diagnostics after a resume', () => {
  it('runTraining writes the same fields on the lines after a resume, measuring the teacher again', async () => {
    const controller = new AbortController();
    let steps = 0;
    teacherTestPasses = 0;
    const first = await runTraining(checkRunConfig(kdConfig('parts'), 'parts'), {
      runsDir,
      baseDir: runsDir,
      signal: controller.signal,
      observer: { step: () => ++steps === 17 && controller.abort() },
    });
    assert.equal(first.interrupted, true);
    assert.deepEqual(
      epochLines('parts').map((l) => l.epoch),
      [1],
    );
    await expectNoLeaks(() =>
      runTraining(checkRunConfig(kdConfig('parts'), 'parts'), {
        runsDir,
        baseDir: runsDir,
        resume: true,
      }),
    );
    assert.equal(teacherTestPasses, 2, 'once for each invocation');
    const lines = epochLines('parts');
    assert.deepEqual(
      lines.map((l) => l.epoch),
      [1, 2, 3],
    );
    const { accuracy } = await expectedTeacher();
    for (const line of lines) {
      assert.equal(line.teacherTestAccuracy, accuracy);
      assert.ok(line.teacherAgreement! >= 0 && line.teacherAgreement! <= 1);
    }
    assertLossesAndRate(lines, ['loss', 'student.loss', 'distill.loss_kd']);
    // The epochs after the resume train as in an uninterrupted run.
    const whole = epochLines('kd');
    assert.deepEqual(lines[2]!.trainLosses, whole[2]!.trainLosses);
    assert.equal(lines[2]!.teacherAgreement, whole[2]!.teacherAgreement);
  });
});

describe('run diagnostics without a teacher', () => {
  it('runTraining logs the loss terms and the learning rate, and no teacher fields', async () => {
    const summary = await expectNoLeaks(() =>
      runTraining(checkRunConfig(plainConfig('alone'), 'alone'), {
        runsDir,
        baseDir: runsDir,
      }),
    );
    const lines = epochLines('alone');
    assertLossesAndRate(lines, ['loss', 'student.loss']);
    for (const line of lines) {
      assert.equal(line.trainLosses['student.loss'], line.trainLosses.loss);
      assert.equal('teacherTestAccuracy' in line, false);
      assert.equal('teacherAgreement' in line, false);
    }
    assert.equal('teacherTestAccuracy' in summary, false);
    const svg = fs.readFileSync(path.join(summary.runDir, 'plot.svg'), 'utf8');
    assert.match(svg, /data-title="learning rate"/);
    assert.match(svg, /data-title="train loss terms"/);
    assert.doesNotMatch(svg, /agreement|class="reference"/);
  });
});
