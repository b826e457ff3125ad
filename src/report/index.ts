/** Reports: SVG plots of training runs. */
export {
  escapeXml,
  plotRunsSvg,
  type EpochMetrics,
  type PlotOptions,
  type PlotPanel,
  type PlotRun,
} from './plot-svg.js';
export {
  TEACHER_ACCURACY,
  plotRunMetricsSvg,
  runPanels,
  runPlotOptions,
  runSeries,
  type RunMetrics,
} from './run-plot.js';
export { niceScale, type NiceScaleOptions, type Scale } from './scale.js';
