/**
 * Line charts of training runs as standalone SVG text: one panel per metric, side by side, one
 * coloured line per run. No dependencies, no DOM, so it works in Node.js and browsers alike.
 */
import { DistillTypeError, describeValue } from '../errors.js';
import { niceScale, type Scale } from './scale.js';

/** The values of one run at one epoch. */
export interface EpochMetrics {
  /** Epoch number, the x coordinate. */
  readonly epoch: number;
  /** Metric values by name; missing, NaN and infinite values leave a point out. */
  readonly [metric: string]: number | undefined;
}

/** One run to plot, e.g. `{ name: 'student (distilled)', epochs: [...] }`. */
export interface PlotRun {
  /** Shown in the legend. */
  readonly name: string;
  /** Its values, one entry per epoch, in any order. */
  readonly epochs: readonly EpochMetrics[];
}

/** Options of {@link plotRunsSvg}. */
export interface PlotOptions {
  /** Metrics to plot, one panel each, left to right (default: every metric found, in order). */
  readonly metrics?: readonly string[];
  /** Title above the panels (default `'Training runs'`). */
  readonly title?: string;
  /** Panel titles by metric (default: the metric names). */
  readonly metricLabels?: Readonly<Record<string, string>>;
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

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Rounds a coordinate to 0.1 px, so the SVG text stays short. */
function px(value: number): string {
  return String(Math.round(value * 10) / 10);
}

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
      !Array.isArray(r.epochs)
    ) {
      throw new DistillTypeError(
        'INVALID_ARGUMENT',
        `Expected runs[${i}] to be { name: string, epochs: [{ epoch, ...metrics }] }, but got ${describeValue(run)}.`,
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

/** The plottable points of `run` for `metric`, sorted by epoch. */
function pointsOf(run: PlotRun, metric: string): [number, number][] {
  return run.epochs
    .map((row): [number, number | undefined] => [row.epoch, row[metric]])
    .filter((p): p is [number, number] => Number.isFinite(p[0]) && Number.isFinite(p[1]))
    .sort((a, b) => a[0] - b[0]);
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

interface PanelBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

function axes(box: PanelBox, xs: Scale, ys: Scale, label: string): string {
  const { x, y, width, height } = box;
  const sx = (v: number): number => x + ((v - xs.min) / (xs.max - xs.min)) * width;
  const sy = (v: number): number => y + height - ((v - ys.min) / (ys.max - ys.min)) * height;
  const out: string[] = [];
  for (const t of ys.ticks) {
    const ty = px(sy(t));
    out.push(
      `<line x1="${px(x)}" y1="${ty}" x2="${px(x + width)}" y2="${ty}" stroke="#e4e4e4"/>`,
      `<text x="${px(x - 6)}" y="${px(sy(t) + 4)}" font-size="11" fill="#444" text-anchor="end">${ys.format(t)}</text>`,
    );
  }
  for (const t of xs.ticks) {
    const tx = px(sx(t));
    out.push(
      `<line x1="${tx}" y1="${px(y)}" x2="${tx}" y2="${px(y + height)}" stroke="#f0f0f0"/>`,
      `<line x1="${tx}" y1="${px(y + height)}" x2="${tx}" y2="${px(y + height + 4)}" stroke="#444"/>`,
      `<text x="${tx}" y="${px(y + height + 17)}" font-size="11" fill="#444" text-anchor="middle">${xs.format(t)}</text>`,
    );
  }
  out.push(
    `<rect x="${px(x)}" y="${px(y)}" width="${px(width)}" height="${px(height)}" fill="none" stroke="#888"/>`,
    `<text x="${px(x + width / 2)}" y="${px(y + height + 36)}" font-size="12" fill="#222" text-anchor="middle">epoch</text>`,
    `<text x="${px(x + width / 2)}" y="${px(y - 10)}" font-size="14" font-weight="bold" fill="#222" text-anchor="middle">${escapeXml(label)}</text>`,
  );
  return out.join('');
}

function panel(
  runs: readonly PlotRun[],
  metric: string,
  label: string,
  box: PanelBox,
  colors: readonly string[],
): string {
  const series = runs.map((run) => pointsOf(run, metric));
  const all = series.flat();
  const xs = niceScale(
    all.map((p) => p[0]),
    { integer: true },
  );
  const ys = niceScale(all.map((p) => p[1]));
  const sx = (v: number): number => box.x + ((v - xs.min) / (xs.max - xs.min)) * box.width;
  const sy = (v: number): number =>
    box.y + box.height - ((v - ys.min) / (ys.max - ys.min)) * box.height;
  const lines = series.map((points, i) => {
    const color = colors[i % colors.length]!;
    // Dense series get smaller markers, so the line stays readable.
    const r = points.length > 40 ? 1.5 : 3;
    const name = escapeXml(runs[i]!.name);
    const coords = points.map(([e, v]) => `${px(sx(e))},${px(sy(v))}`).join(' ');
    const markers = points
      .map(
        ([e, v]) =>
          `<circle cx="${px(sx(e))}" cy="${px(sy(v))}" r="${r}" fill="${color}"><title>${name}, epoch ${e}: ${metric} ${v}</title></circle>`,
      )
      .join('');
    return (
      `<g class="run" data-run="${name}"><polyline points="${coords}" fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round"/>` +
      `${markers}</g>`
    );
  });
  const empty =
    all.length === 0
      ? `<text x="${px(box.x + box.width / 2)}" y="${px(box.y + box.height / 2)}" font-size="12" fill="#888" text-anchor="middle">no data</text>`
      : '';
  return `<g class="panel" data-metric="${escapeXml(metric)}">${axes(box, xs, ys, label)}${empty}${lines.join('')}</g>`;
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

/**
 * Draws training runs as a standalone SVG document: a title, a legend, and one panel per metric
 * side by side, each with ticked axes and one coloured line with point markers per run.
 * Points with a missing or non-finite value are left out; a panel without any value says so.
 *
 * @param runs - The runs, each with its per-epoch values.
 * @param options - Metrics, title, panel size, colours.
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
 * ```
 */
export function plotRunsSvg(runs: readonly PlotRun[], options: PlotOptions = {}): string {
  checkRuns(runs);
  // A metric named twice would draw the same panel twice.
  const metrics = [...new Set(options.metrics ?? metricsIn(runs))];
  if (metrics.length === 0) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      'plotRunsSvg has nothing to plot: no metric values in the runs and no options.metrics given.',
    );
  }
  const colors = options.colors?.length ? options.colors : DEFAULT_COLORS;
  const panelWidth = positiveSize(options.panelWidth, 'panelWidth', 380);
  const panelHeight = positiveSize(options.panelHeight, 'panelHeight', 280);
  const width = MARGIN * 2 + metrics.length * panelWidth + (metrics.length - 1) * GAP;
  const leg = legend(runs, colors, width, TITLE_HEIGHT);
  const top = TITLE_HEIGHT + leg.height + 6;
  const height = top + panelHeight + MARGIN;
  const panels = metrics.map((metric, i) => {
    const left = MARGIN + i * (panelWidth + GAP);
    const box = {
      x: left + PAD.left,
      y: top + PAD.top,
      width: panelWidth - PAD.left - PAD.right,
      height: panelHeight - PAD.top - PAD.bottom,
    };
    return panel(runs, metric, options.metricLabels?.[metric] ?? metric, box, colors);
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
