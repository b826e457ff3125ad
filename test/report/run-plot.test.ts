import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  TEACHER_ACCURACY,
  plotRunMetricsSvg,
  runPanels,
  runSeries,
} from '../../src/report/run-plot.js';
import type { MetricsRecord } from '../../src/train/metrics-log.js';

/** Epoch lines as a distillation run writes them, plus a line of another kind. */
const KD: MetricsRecord[] = [1, 2].map((epoch) => ({
  epoch,
  step: epoch * 4,
  split: 'epoch',
  trainLoss: 1 / epoch,
  trainLosses: { loss: 1 / epoch, 'student.loss': 0.6 / epoch, 'distill.loss_kd': 0.4 / epoch },
  learningRate: 0.01 / epoch,
  testLoss: 0.9 / epoch,
  testAccuracy: 0.8 + epoch / 100,
  testErrors: 20 - epoch,
  teacherTestAccuracy: 0.93,
  teacherAgreement: 0.85 + epoch / 100,
}));
const OTHER: MetricsRecord = { epoch: 1.5, step: 6, split: 'val', loss: 9 };
/** A run logged before the diagnostics existed. */
const OLD: MetricsRecord[] = [
  { epoch: 1, step: 4, split: 'epoch', trainLoss: 2, testLoss: 1.5, testAccuracy: 0.5 },
];

describe('runSeries', () => {
  it('runSeries turns epoch lines into series, the loss terms without their total, the teacher accuracy a reference', () => {
    const run = runSeries({ name: 'kd', records: [KD[0]!, OTHER, KD[1]!] });
    assert.equal(run.name, 'kd');
    assert.deepEqual(run.references, { [TEACHER_ACCURACY]: 0.93 });
    const line = KD[1]!;
    const terms = line.trainLosses as Record<string, number>;
    assert.deepEqual(run.epochs[1], {
      epoch: 2,
      'train loss': line.trainLoss,
      'test loss': line.testLoss,
      'test accuracy': line.testAccuracy,
      'teacher agreement': line.teacherAgreement,
      'learning rate': line.learningRate,
      'loss term student.loss': terms['student.loss'],
      'loss term distill.loss_kd': terms['distill.loss_kd'],
    });
    assert.equal(run.epochs.length, 2, 'only epoch lines');
  });

  it('runSeries reads lines of older runs without the newer fields', () => {
    const run = runSeries({ name: 'old', records: OLD });
    assert.equal(run.references, undefined);
    assert.equal(run.epochs[0]!['teacher agreement'], undefined);
    assert.equal(run.epochs[0]!['train loss'], 2);
  });
});

describe('runPanels', () => {
  it('runPanels adds the agreement, loss-term and learning-rate panels when a run has them', () => {
    const panels = runPanels([runSeries({ name: 'kd', records: KD })]);
    assert.deepEqual(
      panels.map((p) => p.title),
      [
        'train loss',
        'test loss',
        'test accuracy',
        'agreement with the teacher (test)',
        'train loss terms',
        'learning rate',
      ],
    );
    const byTitle = new Map(panels.map((p) => [p.title, p]));
    assert.deepEqual(byTitle.get('test accuracy')!.references, [TEACHER_ACCURACY]);
    assert.deepEqual(byTitle.get('agreement with the teacher (test)')!.references, [
      TEACHER_ACCURACY,
    ]);
    const terms = byTitle.get('train loss terms')!;
    assert.deepEqual(terms.metrics, ['loss term student.loss', 'loss term distill.loss_kd']);
    assert.deepEqual(Object.values(terms.labels!), ['student.loss', 'distill.loss_kd']);
  });

  it('runPanels keeps the three panels of older runs', () => {
    const panels = runPanels([runSeries({ name: 'old', records: OLD })]);
    assert.deepEqual(
      panels.map((p) => p.title),
      ['train loss', 'test loss', 'test accuracy'],
    );
    assert.deepEqual(panels[2]!.references, []);
  });
});

describe('plotRunMetricsSvg', () => {
  it('plotRunMetricsSvg draws every panel, two rows of three, with the teacher accuracy as reference lines', () => {
    const svg = plotRunMetricsSvg([
      { name: 'kd', records: KD },
      { name: 'old', records: OLD },
    ]);
    assert.match(svg, />2 runs<\/text>/);
    assert.equal(svg.match(/<g class="panel"/g)!.length, 6);
    // On the accuracy and the agreement panels, for the run that has a teacher.
    assert.equal(svg.match(/<line class="reference" data-run="kd"/g)!.length, 2);
    // The frames of the panels: three at one height, three below.
    const tops = svg
      .split('<g class="panel"')
      .slice(1)
      .map((panel) => Number(/<rect x="[\d.]+" y="([\d.]+)"/.exec(panel)![1]));
    assert.equal(new Set(tops.slice(0, 3)).size, 1);
    assert.equal(new Set(tops.slice(3)).size, 1);
    assert.ok(tops[3]! > tops[0]!);
  });
});
