/**
 * `tfjs-distill report <run-dir...>`: loss and accuracy per epoch of one or several runs, and
 * in distillations the agreement with the teacher, the loss terms and the learning rate, as an
 * SVG file.
 */
import type * as NodeFs from 'node:fs';
import type * as NodePath from 'node:path';
import { DistillError } from '../errors.js';
import { requireNodeBuiltin } from '../node-builtins.js';
import { plotRunsSvg, type PlotRun } from '../report/plot-svg.js';
import { runPlotOptions, runSeries } from '../report/run-plot.js';
import { readMetrics } from '../train/metrics-log.js';
import { UsageError } from './cli-error.js';

/** Reads the per-epoch metrics of a run directory as a plot series. */
export async function readRun(dir: string): Promise<PlotRun> {
  const fs = requireNodeBuiltin<typeof NodeFs>('node:fs', 'report');
  const path = requireNodeBuiltin<typeof NodePath>('node:path', 'report');
  const file = path.join(dir, 'metrics.jsonl');
  if (!fs.existsSync(file)) {
    throw new DistillError(
      'FILE_NOT_FOUND',
      `${dir} is not a run directory (no metrics.jsonl): give directories that tfjs-distill train wrote.`,
    );
  }
  return runSeries({ name: path.basename(path.resolve(dir)), records: await readMetrics(file) });
}

/** Writes the plot of `dirs` to `out` and returns its path. */
export async function reportCommand(
  dirs: readonly string[],
  options: { out?: string },
): Promise<string> {
  if (dirs.length === 0)
    throw new UsageError(
      'report needs one or more run directories: tfjs-distill report runs/a runs/b [--out report.svg]',
    );
  const fs = requireNodeBuiltin<typeof NodeFs>('node:fs', 'report');
  const path = requireNodeBuiltin<typeof NodePath>('node:path', 'report');
  const runs = await Promise.all(dirs.map(readRun));
  const out = path.resolve(
    options.out ?? (dirs.length === 1 ? path.join(dirs[0]!, 'plot.svg') : 'report.svg'),
  );
  const svg = plotRunsSvg(runs, runPlotOptions(runs));
  fs.writeFileSync(out, svg);
  return out;
}
