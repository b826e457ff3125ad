/**
 * The browser example: loads a few thousand MNIST digits shipped with the page, runs the mixup
 * panel, then trains a teacher and two students while charting them. Results go to
 * `window.__distillResults` for the browser test.
 */
import * as tf from '@tensorflow/tfjs';
import { MNIST_FILES, decodeMnist, type Dataset } from 'tfjs-distill';
import { LineChart } from './chart.js';
import { runMixup, type MixupResults } from './mixup.js';
import { SETTINGS, runTraining, type Point } from './training.js';

/** What the page exposes on `window` when it is done. */
export interface DistillResults {
  readonly backend: string;
  readonly mixup: MixupResults;
  readonly teacherAccuracy: number;
  /** Test accuracy of each student at each evaluation, the first one before training. */
  readonly accuracies: { readonly alone: number[]; readonly distilled: number[] };
  readonly alone: Point[];
  readonly distilled: Point[];
  readonly seconds: number;
}

declare global {
  interface Window {
    __distillResults?: DistillResults;
    __distillError?: string;
  }
}

function element<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`The page has no #${id}.`);
  return el as T;
}

async function fetchBytes(name: string): Promise<Uint8Array> {
  const response = await fetch(`./mnist/${name}`);
  if (!response.ok) throw new Error(`Fetching ${name} failed: HTTP ${response.status}.`);
  return new Uint8Array(await response.arrayBuffer());
}

async function loadDigits(): Promise<{ train: Dataset; test: Dataset }> {
  const names = [
    MNIST_FILES.trainImages,
    MNIST_FILES.trainLabels,
    MNIST_FILES.testImages,
    MNIST_FILES.testLabels,
  ];
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all(
    names.map(fetchBytes),
  );
  return {
    train: decodeMnist(trainImages!, trainLabels!, { imagesName: names[0], labelsName: names[1] }),
    test: decodeMnist(testImages!, testLabels!, { imagesName: names[2], labelsName: names[3] }),
  };
}

/** WebGL when the browser can run it, the CPU backend otherwise (or with `?backend=cpu`). */
async function pickBackend(): Promise<string> {
  const forceCpu = new URLSearchParams(location.search).get('backend') === 'cpu';
  try {
    if (forceCpu) throw new Error('CPU requested');
    if (await tf.setBackend('webgl')) return 'webgl';
  } catch {
    // no WebGL context here
  }
  await tf.setBackend('cpu');
  return 'cpu';
}

async function main(): Promise<void> {
  const started = performance.now();
  const status = element<HTMLParagraphElement>('status');
  const backend = await pickBackend();
  await tf.ready();
  const { train, test } = await loadDigits();
  status.textContent = `Backend: ${backend}. ${train.count} training and ${test.count} test digits.`;

  const mixup = runMixup(train, element('mixup'));

  const xMax = SETTINGS.studentEpochs;
  const accuracy = new LineChart(element('accuracy-chart'), {
    title: 'Student test accuracy',
    xLabel: 'epoch',
    xMax,
    yRange: [0, 1],
  });
  const loss = new LineChart(element('loss-chart'), {
    title: 'Student test loss (cross-entropy)',
    xLabel: 'epoch',
    xMax,
  });
  const lines = {
    alone: [accuracy.addSeries('alone', '#d62728'), loss.addSeries('alone', '#d62728')],
    distilled: [accuracy.addSeries('distilled', '#1f77b4'), loss.addSeries('distilled', '#1f77b4')],
  };
  accuracy.draw();
  loss.draw();

  const results = await runTraining(
    train,
    test,
    (text) => (status.textContent = `Backend: ${backend}. ${text}`),
    (student, point) => {
      const [acc, ce] = lines[student];
      acc!.points.push({ x: point.epoch, y: point.accuracy });
      ce!.points.push({ x: point.epoch, y: point.loss });
      accuracy.draw();
      loss.draw();
    },
  );

  const last = (points: Point[]): string => `${((points.at(-1)?.accuracy ?? 0) * 100).toFixed(1)}%`;
  const seconds = (performance.now() - started) / 1000;
  element('summary').textContent =
    `Teacher ${(results.teacherAccuracy * 100).toFixed(1)}%, student alone ${last(results.alone)}, distilled student ${last(results.distilled)} test accuracy.`;
  status.textContent = `Backend: ${backend}. Done in ${seconds.toFixed(1)} s.`;
  window.__distillResults = {
    backend,
    mixup,
    teacherAccuracy: results.teacherAccuracy,
    accuracies: {
      alone: results.alone.map((p) => p.accuracy),
      distilled: results.distilled.map((p) => p.accuracy),
    },
    alone: results.alone,
    distilled: results.distilled,
    seconds,
  };
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  window.__distillError = message;
  const status = document.getElementById('status');
  if (status !== null) status.textContent = `Failed: ${message}`;
});
