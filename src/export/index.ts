/**
 * Export for the web (browser-safe part): a layers model as model.json + weight shards,
 * quantized as tfjs-converter quantizes, and what quantization costs it.
 */
export {
  exportArtifacts,
  exportModelFiles,
  loadExported,
  type ExportOptions,
  type ExportedModel,
} from './export-model.js';
export {
  QUANTIZE_DTYPES,
  checkQuantize,
  type EncodedWeight,
  type QuantizeDtype,
} from './quantize.js';
export { DEFAULT_SHARD_BYTES } from './shards.js';
export { STOCK_LAYER_CLASSES } from './stock-layers.js';
export {
  compareQuantizations,
  type CompareQuantizationsOptions,
  type QuantizedRow,
} from './compare-quantized.js';
export { measureLatency, type LatencyRow, type MeasureLatencyOptions } from './latency.js';
