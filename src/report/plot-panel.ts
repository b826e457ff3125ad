/**
 * One panel of a training-runs plot as SVG: ticked axes, a line per run and metric, horizontal
 * reference lines, and a small legend of the metrics and references when there are several.
 */
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
  /**
   * Constant values of the run by name (e.g. `{ 'teacher test accuracy': 0.97 }`), drawn as
   * horizontal dashed lines in the run's colour on the panels that name them
   * ({@link PlotPanel.references}).
   */
  readonly references?: Readonly<Record<string, number>>;
}

/** A panel with one or more metrics, e.g. every loss term of a run. */
export interface PlotPanel {
  /** Shown above the panel. */
  readonly title: string;
  /** The metrics it draws: one line per run and metric, each metric with its own dash pattern. */
  readonly metrics: readonly string[];
  /** Names of the metrics in the panel's legend (default: the metric names). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Keys of {@link PlotRun.references} drawn as horizontal lines, e.g. a teacher's accuracy. */
  readonly references?: readonly string[];
}

/** Where a panel's plot area is, in pixels. */
export interface PanelBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Dash patterns of the metrics within a panel, in turn (the first is solid). */
const DASHES = ['', '7 3', '2 3', '10 3 2 3', '4 2 1 2'];
/** Dash patterns of reference lines, in turn. */
const REFERENCE_DASHES = ['4 4', '1 4'];
/** Height of one row of a panel's legend. */
export const PANEL_LEGEND_ROW = 16;

/** Rounds a coordinate to 0.1 px, so the SVG text stays short. */
export function px(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The plottable points of `run` for `metric`, sorted by epoch. */
function pointsOf(run: PlotRun, metric: string): [number, number][] {
  return run.epochs
    .map((row): [number, number | undefined] => [row.epoch, row[metric]])
    .filter((p): p is [number, number] => Number.isFinite(p[0]) && Number.isFinite(p[1]))
    .sort((a, b) => a[0] - b[0]);
}

/** The finite reference values of `run` for `name`, if any. */
function referenceOf(run: PlotRun, name: string): number | undefined {
  const value = run.references?.[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

interface LegendEntry {
  readonly label: string;
  readonly dash: string;
  readonly reference: boolean;
}

/** What a panel's legend lists: its metrics when there are several, and its references. */
function legendEntries(spec: PlotPanel): LegendEntry[] {
  const metrics =
    spec.metrics.length > 1
      ? spec.metrics.map((m, i) => ({
          label: spec.labels?.[m] ?? m,
          dash: DASHES[i % DASHES.length]!,
          reference: false,
        }))
      : [];
  const references = (spec.references ?? []).map((r, i) => ({
    label: r,
    dash: REFERENCE_DASHES[i % REFERENCE_DASHES.length]!,
    reference: true,
  }));
  return [...metrics, ...references];
}

/** About 6 px per character at 11 px: a width estimate without measuring text. */
function entryWidth(entry: LegendEntry): number {
  return 28 + entry.label.length * 6 + 14;
}

/** Rows of entries that fit `width`. */
function legendRows(entries: readonly LegendEntry[], width: number): LegendEntry[][] {
  const rows: LegendEntry[][] = [];
  let used = 0;
  for (const entry of entries) {
    const w = entryWidth(entry);
    if (rows.length === 0 || (used > 0 && used + w > width)) {
      rows.push([]);
      used = 0;
    }
    rows.at(-1)!.push(entry);
    used += w;
  }
  return rows;
}

/** How many legend rows the panel of `spec` needs below its plot area of `width`. */
export function panelLegendRows(spec: PlotPanel, width: number): number {
  return legendRows(legendEntries(spec), width).length;
}

function panelLegend(spec: PlotPanel, box: PanelBox): string {
  const rows = legendRows(legendEntries(spec), box.width);
  const items: string[] = [];
  rows.forEach((row, r) => {
    // Below the axis label "epoch".
    const y = box.y + box.height + 52 + r * PANEL_LEGEND_ROW;
    let x = box.x;
    for (const entry of row) {
      const dash = entry.dash === '' ? '' : ` stroke-dasharray="${entry.dash}"`;
      items.push(
        `<line x1="${px(x)}" y1="${px(y)}" x2="${px(x + 22)}" y2="${px(y)}" stroke="#555" stroke-width="${entry.reference ? 1.5 : 2}"${dash}/>` +
          `<text x="${px(x + 28)}" y="${px(y + 4)}" font-size="11" fill="#333">${escapeXml(entry.label)}</text>`,
      );
      x += entryWidth(entry);
    }
  });
  return items.length === 0 ? '' : `<g class="panel-legend">${items.join('')}</g>`;
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

/**
 * Draws one panel: a line with point markers per run and metric (colour by run, dash pattern
 * by metric), a dashed horizontal line per run and reference, and a legend of the metrics and
 * references below the axis when the panel has several metrics or any reference.
 */
export function panelSvg(
  runs: readonly PlotRun[],
  spec: PlotPanel,
  box: PanelBox,
  colors: readonly string[],
): string {
  const series = spec.metrics.flatMap((metric, m) =>
    runs.map((run, i) => ({ run: i, metric, m, points: pointsOf(run, metric) })),
  );
  const references = (spec.references ?? []).flatMap((name, k) =>
    runs.flatMap((run, i) => {
      const value = referenceOf(run, name);
      return value === undefined ? [] : [{ run: i, name, k, value }];
    }),
  );
  const all = series.flatMap((s) => s.points);
  const xs = niceScale(
    all.map((p) => p[0]),
    { integer: true },
  );
  // References count for the value axis, so a teacher's accuracy above the curves stays in view.
  const ys = niceScale([...all.map((p) => p[1]), ...references.map((r) => r.value)]);
  const sx = (v: number): number => box.x + ((v - xs.min) / (xs.max - xs.min)) * box.width;
  const sy = (v: number): number =>
    box.y + box.height - ((v - ys.min) / (ys.max - ys.min)) * box.height;
  const lines = series.map(({ run, metric, m, points }) => {
    const color = colors[run % colors.length]!;
    // Dense series get smaller markers, so the line stays readable.
    const r = points.length > 40 ? 1.5 : 3;
    const name = escapeXml(runs[run]!.name);
    const label = escapeXml(spec.labels?.[metric] ?? metric);
    const dash = DASHES[m % DASHES.length]!;
    const coords = points.map(([e, v]) => `${px(sx(e))},${px(sy(v))}`).join(' ');
    const markers = points
      .map(
        ([e, v]) =>
          `<circle cx="${px(sx(e))}" cy="${px(sy(v))}" r="${r}" fill="${color}"><title>${name}, epoch ${e}: ${label} ${v}</title></circle>`,
      )
      .join('');
    return (
      `<g class="run" data-run="${name}" data-metric="${escapeXml(metric)}"><polyline points="${coords}" fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round"${dash === '' ? '' : ` stroke-dasharray="${dash}"`}/>` +
      `${markers}</g>`
    );
  });
  const referenceLines = references.map(({ run, name, k, value }) => {
    const color = colors[run % colors.length]!;
    const y = px(sy(value));
    const dash = REFERENCE_DASHES[k % REFERENCE_DASHES.length]!;
    return (
      `<line class="reference" data-run="${escapeXml(runs[run]!.name)}" data-reference="${escapeXml(name)}" x1="${px(box.x)}" y1="${y}" x2="${px(box.x + box.width)}" y2="${y}" stroke="${color}" stroke-width="1.5" stroke-dasharray="${dash}">` +
      `<title>${escapeXml(runs[run]!.name)}: ${escapeXml(name)} ${value}</title></line>`
    );
  });
  const empty =
    all.length === 0 && references.length === 0
      ? `<text x="${px(box.x + box.width / 2)}" y="${px(box.y + box.height / 2)}" font-size="12" fill="#888" text-anchor="middle">no data</text>`
      : '';
  return (
    `<g class="panel" data-metric="${escapeXml(spec.metrics.join(' '))}" data-title="${escapeXml(spec.title)}">` +
    `${axes(box, xs, ys, spec.title)}${empty}${referenceLines.join('')}${lines.join('')}${panelLegend(spec, box)}</g>`
  );
}
