/**
 * A minimal line chart on a canvas: fixed x range, y range fixed or fitted to the data, one
 * colored line per series, a legend. Redrawn whole on every update.
 */

/** One line of a {@link LineChart}. */
export interface Series {
  /** Legend label. */
  readonly label: string;
  /** CSS color of the line. */
  readonly color: string;
  /** Points in data coordinates, in x order. */
  readonly points: { x: number; y: number }[];
}

/** Options of {@link LineChart}. */
export interface LineChartOptions {
  /** Title drawn at the top left. */
  readonly title: string;
  /** Label of the x axis. */
  readonly xLabel: string;
  /** Largest x value; the x axis runs from 0. */
  readonly xMax: number;
  /** Fixed y range; omitted, it runs from 0 to the largest value seen. */
  readonly yRange?: readonly [number, number];
}

const PAD = { left: 44, right: 12, top: 28, bottom: 34 };

/** A line chart drawn on a canvas element. */
export class LineChart {
  readonly series: Series[] = [];

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly options: LineChartOptions,
  ) {}

  /** Adds an empty series and returns it; push points into it, then call {@link draw}. */
  addSeries(label: string, color: string): Series {
    const s: Series = { label, color, points: [] };
    this.series.push(s);
    return s;
  }

  /** Redraws axes, lines and legend. */
  draw(): void {
    const ctx = this.canvas.getContext('2d');
    if (ctx === null) return;
    const { width, height } = this.canvas;
    const plotW = width - PAD.left - PAD.right;
    const plotH = height - PAD.top - PAD.bottom;
    const [yMin, yMax] = this.yRange();
    const px = (x: number): number => PAD.left + (x / this.options.xMax) * plotW;
    const py = (y: number): number => PAD.top + (1 - (y - yMin) / (yMax - yMin)) * plotH;

    ctx.clearRect(0, 0, width, height);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, width, height);
    ctx.font = '12px system-ui, sans-serif';
    ctx.fillStyle = '#222';
    ctx.fillText(this.options.title, PAD.left, 16);

    // Grid and tick labels: 5 steps in y, one per unit in x.
    ctx.strokeStyle = '#e4e4e4';
    ctx.fillStyle = '#666';
    ctx.lineWidth = 1;
    for (let i = 0; i <= 5; i++) {
      const y = yMin + ((yMax - yMin) * i) / 5;
      ctx.beginPath();
      ctx.moveTo(PAD.left, py(y));
      ctx.lineTo(width - PAD.right, py(y));
      ctx.stroke();
      ctx.fillText(y.toFixed(2), 4, py(y) + 4);
    }
    for (let x = 0; x <= this.options.xMax; x++) {
      ctx.fillText(String(x), px(x) - 3, height - PAD.bottom + 14);
    }
    ctx.fillText(this.options.xLabel, PAD.left + plotW / 2 - 16, height - 6);

    for (const s of this.series) {
      ctx.strokeStyle = s.color;
      ctx.lineWidth = 2;
      ctx.beginPath();
      s.points.forEach((p, i) =>
        i === 0 ? ctx.moveTo(px(p.x), py(p.y)) : ctx.lineTo(px(p.x), py(p.y)),
      );
      ctx.stroke();
    }

    // Legend at the top right.
    let lx = width - PAD.right;
    for (const s of [...this.series].reverse()) {
      lx -= ctx.measureText(s.label).width + 26;
      ctx.fillStyle = s.color;
      ctx.fillRect(lx, 8, 14, 4);
      ctx.fillStyle = '#222';
      ctx.fillText(s.label, lx + 18, 14);
    }
  }

  private yRange(): readonly [number, number] {
    if (this.options.yRange !== undefined) return this.options.yRange;
    const max = Math.max(1e-6, ...this.series.flatMap((s) => s.points.map((p) => p.y)));
    return [0, max * 1.05];
  }
}
