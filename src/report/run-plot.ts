/**
 * The plot of training runs from their metrics logs: the panels `tfjs-distill train` and
 * `tfjs-distill report` draw, from the epoch lines of `metrics.jsonl`.
 */
import type { MetricsRecord } from '../train/metrics-log.js';
import type { EpochMetrics, PlotPanel, PlotRun } from './plot-panel.js';
import { plotRunsSvg, type PlotOptions } from './plot-svg.js';

/** A run's name and the lines of its metrics log. */
export interface RunMetrics {
  /** Shown in the legend. */
  readonly name: string;
  /** The lines of its `metrics.jsonl`; only those with `split: 'epoch'` are plotted. */
  readonly records: readonly MetricsRecord[];
}

/** The series key of a training loss term, e.g. `'loss term distill.loss_kd'`. */
const TERM = 'loss term ';
/** The reference value of a distillation run: its teacher's accuracy on the test split. */
export const TEACHER_ACCURACY = 'teacher test accuracy';

function numberOr(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

/**
 * One run's epoch lines as a plot series: `train loss`, `test loss`, `test accuracy`,
 * `teacher agreement`, `learning rate` and a `loss term <name>` per loss term (from
 * `trainLosses`, without the total `loss`, which is `train loss`), with the teacher's test
 * accuracy as the reference `'teacher test accuracy'`. Lines of older runs without the newer
 * fields simply have fewer series.
 */
export function runSeries(run: RunMetrics): PlotRun {
  const lines = run.records.filter((r) => r.split === 'epoch');
  const epochs = lines.map((r): EpochMetrics => {
    const terms =
      typeof r.trainLosses === 'object' && r.trainLosses !== null && !Array.isArray(r.trainLosses)
        ? Object.entries(r.trainLosses).filter(([name]) => name !== 'loss')
        : [];
    return {
      epoch: r.epoch,
      'train loss': numberOr(r.trainLoss),
      'test loss': numberOr(r.testLoss),
      'test accuracy': numberOr(r.testAccuracy),
      'teacher agreement': numberOr(r.teacherAgreement),
      'learning rate': numberOr(r.learningRate),
      ...Object.fromEntries(terms.map(([name, value]) => [`${TERM}${name}`, numberOr(value)])),
    };
  });
  // The same on every line of a run; the newest line wins, should a resumed run differ.
  const teacher = lines
    .map((r) => numberOr(r.teacherTestAccuracy))
    .filter((v): v is number => v !== undefined && Number.isFinite(v))
    .at(-1);
  return {
    name: run.name,
    epochs,
    ...(teacher === undefined ? {} : { references: { [TEACHER_ACCURACY]: teacher } }),
  };
}

function has(runs: readonly PlotRun[], metric: string): boolean {
  return runs.some((run) => run.epochs.some((row) => Number.isFinite(row[metric])));
}

/**
 * The panels of a report on `runs`: train loss, test loss and test accuracy always; then, when
 * some run has them, the agreement with the teacher, the training loss terms and the learning
 * rate. The teacher's test accuracy is a reference line on the accuracy and agreement panels.
 */
export function runPanels(runs: readonly PlotRun[]): PlotPanel[] {
  const references = runs.some((r) => r.references?.[TEACHER_ACCURACY] !== undefined)
    ? [TEACHER_ACCURACY]
    : [];
  const terms = [
    ...new Set(
      runs.flatMap((run) =>
        run.epochs.flatMap((row) => Object.keys(row).filter((k) => k.startsWith(TERM))),
      ),
    ),
  ];
  const panels: PlotPanel[] = [
    { title: 'train loss', metrics: ['train loss'] },
    { title: 'test loss', metrics: ['test loss'] },
    { title: 'test accuracy', metrics: ['test accuracy'], references },
  ];
  if (has(runs, 'teacher agreement')) {
    panels.push({
      title: 'agreement with the teacher (test)',
      metrics: ['teacher agreement'],
      references,
    });
  }
  if (terms.length > 0) {
    panels.push({
      title: 'train loss terms',
      metrics: terms,
      labels: Object.fromEntries(terms.map((t) => [t, t.slice(TERM.length)])),
    });
  }
  if (has(runs, 'learning rate'))
    panels.push({ title: 'learning rate', metrics: ['learning rate'] });
  return panels;
}

/**
 * The options of the plot `tfjs-distill train` and `report` write: the panels of
 * {@link runPanels}, three to a row.
 *
 * @param runs - The series, from {@link runSeries}.
 * @param title - The title (default: the run's name, or "N runs").
 */
export function runPlotOptions(runs: readonly PlotRun[], title?: string): PlotOptions {
  return {
    panels: runPanels(runs),
    columns: 3,
    title: title ?? (runs.length === 1 ? runs[0]!.name : `${runs.length} runs`),
  };
}

/**
 * The plot `tfjs-distill train` and `report` write, from the runs' metrics-log lines: one line
 * per run on the panels of {@link runPanels}.
 *
 * @param runs - Each run's name and metrics-log lines.
 * @param options - The title (default: the run's name, or "N runs").
 * @returns SVG text.
 */
export function plotRunMetricsSvg(
  runs: readonly RunMetrics[],
  options: { readonly title?: string } = {},
): string {
  const series = runs.map(runSeries);
  return plotRunsSvg(series, runPlotOptions(series, options.title));
}
