/** Reports: SVG plots of training runs. */
export {
  escapeXml,
  plotRunsSvg,
  type EpochMetrics,
  type PlotOptions,
  type PlotRun,
} from './plot-svg.js';
export { niceScale, type NiceScaleOptions, type Scale } from './scale.js';
