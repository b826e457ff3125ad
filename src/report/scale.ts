/**
 * Axis scales with "nice" round ticks (1, 2, 2.5 or 5 times a power of ten) for the SVG plots.
 */

/** An axis: its domain, its tick values and how to print them. */
export interface Scale {
  /** Lower end of the axis. */
  readonly min: number;
  /** Upper end of the axis, always above `min`. */
  readonly max: number;
  /** Tick positions within `[min, max]`, ascending. */
  readonly ticks: readonly number[];
  /** Prints a tick with as many decimals as the tick step needs. */
  readonly format: (value: number) => string;
}

/** Options of {@link niceScale}. */
export interface NiceScaleOptions {
  /** Integer ticks only (epochs); the axis then spans the data plus a small margin. */
  readonly integer?: boolean;
  /** About how many ticks to aim for (default 5). */
  readonly targetTicks?: number;
}

function niceStep(raw: number, integer: boolean): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  const steps = integer ? [1, 2, 5, 10] : [1, 2, 2.5, 5, 10];
  const step = steps.find((s) => fraction <= s + 1e-9)! * power;
  return integer ? Math.max(1, Math.round(step)) : step;
}

/** Decimals needed to print multiples of `step` exactly (at most 10). */
function decimalsOf(step: number): number {
  for (let d = 0; d < 10; d++) {
    const scaled = step * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, scaled)) return d;
  }
  return 10;
}

/**
 * A scale covering `values` (non-finite ones are ignored). Value axes are widened to whole
 * ticks (0.05..2.3 becomes 0..2.5); integer axes keep the data range with a 3% margin, so
 * markers at the ends do not sit on the frame. A single value gets a range around it; no values
 * give `[0, 1]`.
 *
 * @param values - The data along this axis.
 * @param options - `integer`, `targetTicks`.
 */
export function niceScale(values: readonly number[], options: NiceScaleOptions = {}): Scale {
  const integer = options.integer === true;
  const finite = values.filter(Number.isFinite);
  let lo = finite.length > 0 ? Math.min(...finite) : 0;
  let hi = finite.length > 0 ? Math.max(...finite) : 1;
  if (hi === lo) {
    const half = integer ? 1 : Math.abs(lo) * 0.1 || 1;
    lo -= half;
    hi += half;
  }
  const step = niceStep((hi - lo) / (options.targetTicks ?? 5), integer);
  let min: number;
  let max: number;
  if (integer) {
    const margin = (hi - lo) * 0.03;
    min = lo - margin;
    max = hi + margin;
  } else {
    min = Math.floor(lo / step + 1e-9) * step;
    max = Math.ceil(hi / step - 1e-9) * step;
  }
  const decimals = decimalsOf(step);
  const ticks: number[] = [];
  const first = Math.ceil(min / step - 1e-9);
  const last = Math.floor(max / step + 1e-9);
  for (let k = first; k <= last; k++) ticks.push(Number((k * step).toFixed(decimals)));
  const format = (value: number): string => {
    const text = value.toFixed(decimals);
    return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
  };
  return { min, max, ticks, format };
}
