/**
 * Line charts of training runs as standalone SVG text: one panel per metric (or per group of
 * metrics), in a row or a grid, one coloured line per run. No dependencies, no DOM, so it works
 * in Node.js and browsers alike.
 */
import { DistillTypeError, describeValue } from '../errors.js';
import {
  escapeXml,
  PANEL_LEGEND_ROW,
  panelLegendRows,
  panelSvg,
  px,
  type PlotPanel,
  type PlotRun,
} from './plot-panel.js';

export { escapeXml, type EpochMetrics, type PlotPanel, type PlotRun } from './plot-panel.js';

/** Options of {@link plotRunsSvg}. */
export interface PlotOptions {
  /** Metrics to plot, one panel each, left to right (default: every metric found, in order). */
  readonly metrics?: readonly string[];
  /** Title above the panels (default `'Training runs'`). */
  readonly title?: string;
  /** Panel titles by metric (default: the metric names). */
  readonly metricLabels?: Readonly<Record<string, string>>;
  /**
   * Panels with several metrics or reference lines, left to right and top to bottom; instead
   * of `metrics` (give one or the other).
   */
  readonly panels?: readonly PlotPanel[];
  /** Panels per row (default: all in one row). */
  readonly columns?: number;
  /** Width of each panel in pixels (default 380). */
  readonly panelWidth?: number;
  /** Height of each panel in pixels (default 280). */
  readonly panelHeight?: number;
  /** Line colours, used in turn (default: ten distinct colours). */
  readonly colors?: readonly string[];
}

const DEFAULT_COLORS = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#ff7f0e',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#7f7f7f',
  '#bcbd22',
];
const MARGIN = 16;
const GAP = 28;
const TITLE_HEIGHT = 40;
const LEGEND_ROW = 22;
const PAD = { left: 58, right: 14, top: 30, bottom: 44 };
const FONT = 'font-family="Helvetica, Arial, sans-serif"';

function checkRuns(runs: unknown): asserts runs is readonly PlotRun[] {
  if (!Array.isArray(runs)) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `plotRunsSvg expects an array of { name, epochs }, but got ${describeValue(runs)}.`,
    );
  }
  runs.forEach((run: unknown, i) => {
    const r = run as Partial<PlotRun> | null;
    if (
      typeof r !== 'object' ||
      r === null ||
      typeof r.name !== 'string' ||
      !Array.isArray(r.epochs) ||
      (r.references !== undefined && (typeof r.references !== 'object' || r.references === null))
    ) {
      throw new DistillTypeError(
        'INVALID_ARGUMENT',
        `Expected runs[${i}] to be { name: string, epochs: [{ epoch, ...metrics }], references?: { name: number } }, but got ${describeValue(run)}.`,
      );
    }
  });
}

/** Every metric name in the runs, in first-seen order. */
function metricsIn(runs: readonly PlotRun[]): string[] {
  const names = new Set<string>();
  for (const run of runs) {
    for (const row of run.epochs) {
      for (const [key, value] of Object.entries(row)) {
        if (key !== 'epoch' && typeof value === 'number') names.add(key);
      }
    }
  }
  return [...names];
}

/** Legend entries laid out in rows that fit `width`; returns the SVG and its height. */
function legend(runs: readonly PlotRun[], colors: readonly string[], width: number, top: number) {
  const items: string[] = [];
  let x = MARGIN;
  let row = 0;
  runs.forEach((run, i) => {
    // Long names are shortened in the legend; the markers' tooltips keep them whole.
    const label = run.name.length > 48 ? `${run.name.slice(0, 47)}…` : run.name;
    // About 7 px per character at 12 px: a width estimate without measuring text.
    const itemWidth = 34 + label.length * 7 + 18;
    if (x > MARGIN && x + itemWidth > width - MARGIN) {
      x = MARGIN;
      row++;
    }
    const y = top + row * LEGEND_ROW + LEGEND_ROW / 2;
    const color = colors[i % colors.length]!;
    items.push(
      `<g class="legend-item"><line x1="${px(x)}" y1="${px(y)}" x2="${px(x + 24)}" y2="${px(y)}" stroke="${color}" stroke-width="2"/>` +
        `<circle cx="${px(x + 12)}" cy="${px(y)}" r="3" fill="${color}"/>` +
        `<text x="${px(x + 32)}" y="${px(y + 4)}" font-size="12" fill="#222">${escapeXml(label)}</text></g>`,
    );
    x += itemWidth;
  });
  const height = runs.length === 0 ? 0 : (row + 1) * LEGEND_ROW;
  return { svg: `<g class="legend">${items.join('')}</g>`, height };
}

function positiveSize(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 120) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected ${name} to be a number of pixels >= 120, but got ${describeValue(value)}.`,
    );
  }
  return value;
}

function checkPanels(panels: unknown): asserts panels is readonly PlotPanel[] {
  if (!Array.isArray(panels)) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected options.panels to be an array of { title, metrics: [...] }, but got ${describeValue(panels)}.`,
    );
  }
  const strings = (v: unknown): boolean =>
    Array.isArray(v) && v.every((item) => typeof item === 'string');
  panels.forEach((spec: unknown, i) => {
    const p = spec as Partial<PlotPanel> | null;
    if (
      typeof p !== 'object' ||
      p === null ||
      typeof p.title !== 'string' ||
      !strings(p.metrics) ||
      (p.references !== undefined && !strings(p.references)) ||
      (p.labels !== undefined && (typeof p.labels !== 'object' || p.labels === null))
    ) {
      throw new DistillTypeError(
        'INVALID_ARGUMENT',
        `Expected options.panels[${i}] to be { title: string, metrics: string[], labels?: {...}, references?: string[] }, but got ${describeValue(spec)}.`,
      );
    }
  });
}

/** The panels to draw: `options.panels`, or one per metric of `options.metrics` (or found). */
function panelsOf(runs: readonly PlotRun[], options: PlotOptions): readonly PlotPanel[] {
  if (options.panels !== undefined) {
    if (options.metrics !== undefined) {
      throw new DistillTypeError(
        'INVALID_ARGUMENT',
        'plotRunsSvg got both options.metrics and options.panels; give one of them (a metric m is the panel { title: m, metrics: [m] }).',
      );
    }
    checkPanels(options.panels);
    return options.panels;
  }
  // A metric named twice would draw the same panel twice.
  const metrics = [...new Set(options.metrics ?? metricsIn(runs))];
  return metrics.map((m) => ({ title: options.metricLabels?.[m] ?? m, metrics: [m] }));
}

function columnsOf(value: number | undefined, panels: number): number {
  if (value === undefined) return panels;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected columns to be a whole number of panels per row >= 1, but got ${describeValue(value)}.`,
    );
  }
  return Math.min(value, panels);
}

/**
 * Draws training runs as a standalone SVG document: a title, a legend, and one panel per metric
 * (or per {@link PlotPanel}) in rows of `columns`, each with ticked axes and one coloured line
 * with point markers per run and metric. Several metrics in one panel differ by dash pattern
 * and are named in a legend below it; a panel's references are dashed horizontal lines in the
 * run's colour. Points with a missing or non-finite value are left out; a panel without any
 * value says so.
 *
 * @param runs - The runs, each with its per-epoch values (and constant reference values).
 * @param options - Metrics or panels, title, columns, panel size, colours.
 * @returns SVG text, ready to write to a `.svg` file or put in HTML.
 * @throws DistillError `INVALID_ARGUMENT` for malformed runs or options, or nothing to plot.
 *
 * @example
 * ```ts
 * const svg = plotRunsSvg(
 *   [{ name: 'teacher', epochs: [{ epoch: 1, loss: 0.31, accuracy: 0.91 }, ...] }, ...],
 *   { metrics: ['loss', 'accuracy'], title: 'MNIST' },
 * );
 * fs.writeFileSync('runs/plot.svg', svg);
 * const kd = plotRunsSvg(runs, {
 *   panels: [
 *     { title: 'loss terms', metrics: ['student.loss', 'distill.loss_kd'] },
 *     { title: 'agreement', metrics: ['agreement'], references: ['teacher accuracy'] },
 *   ],
 * });
 * ```
 */
export function plotRunsSvg(runs: readonly PlotRun[], options: PlotOptions = {}): string {
  checkRuns(runs);
  const specs = panelsOf(runs, options);
  if (specs.length === 0) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      'plotRunsSvg has nothing to plot: no metric values in the runs and no options.metrics given.',
    );
  }
  const colors = options.colors?.length ? options.colors : DEFAULT_COLORS;
  const panelWidth = positiveSize(options.panelWidth, 'panelWidth', 380);
  const panelHeight = positiveSize(options.panelHeight, 'panelHeight', 280);
  const columns = columnsOf(options.columns, specs.length);
  const rows = Math.ceil(specs.length / columns);
  const plotWidth = panelWidth - PAD.left - PAD.right;
  // Panels with a legend of their own get taller; each row is as tall as its tallest panel.
  const rowHeights = Array.from({ length: rows }, (_, r) => {
    const legendRows = Math.max(
      ...specs.slice(r * columns, (r + 1) * columns).map((p) => panelLegendRows(p, plotWidth)),
    );
    return panelHeight + (legendRows > 0 ? legendRows * PANEL_LEGEND_ROW + 8 : 0);
  });
  const width = MARGIN * 2 + columns * panelWidth + (columns - 1) * GAP;
  const leg = legend(runs, colors, width, TITLE_HEIGHT);
  const top = TITLE_HEIGHT + leg.height + 6;
  const rowTops = rowHeights.map((_, r) => top + rowHeights.slice(0, r).reduce((a, h) => a + h, 0));
  const height = top + rowHeights.reduce((a, h) => a + h, 0) + MARGIN;
  const panels = specs.map((spec, i) => {
    const left = MARGIN + (i % columns) * (panelWidth + GAP);
    const box = {
      x: left + PAD.left,
      y: rowTops[Math.floor(i / columns)]! + PAD.top,
      width: plotWidth,
      height: panelHeight - PAD.top - PAD.bottom,
    };
    return panelSvg(runs, spec, box, colors);
  });
  const title = escapeXml(options.title ?? 'Training runs');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${px(width)}" height="${px(height)}" viewBox="0 0 ${px(width)} ${px(height)}" ${FONT}>\n` +
    `<title>${title}</title>\n` +
    `<rect width="100%" height="100%" fill="#ffffff"/>\n` +
    `<text x="${px(width / 2)}" y="26" font-size="18" font-weight="bold" fill="#111" text-anchor="middle">${title}</text>\n` +
    `${leg.svg}\n${panels.join('\n')}\n</svg>\n`
  );
}
