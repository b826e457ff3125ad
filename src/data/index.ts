/**
 * Data: MNIST from IDX bytes, seeded splits and subsets, reproducible mini-batches. Loading the
 * files from disk (`loadMnist`, Node.js only) is exported by the package root from mnist-node.ts.
 */
export { featureSizeOf, selectExamples, type Dataset } from './dataset.js';
export {
  IDX_IMAGES_MAGIC,
  IDX_LABELS_MAGIC,
  parseIdx,
  parseIdxHeader,
  type IdxArray,
  type IdxHeader,
} from './idx.js';
export {
  MNIST_CLASSES,
  MNIST_FILES,
  MNIST_IMAGE_SIDE,
  MNIST_PIXELS,
  decodeMnist,
  type DecodeMnistOptions,
  type MnistData,
} from './mnist.js';
export {
  splitValidation,
  takeSubset,
  type SplitValidationOptions,
  type TakeSubsetOptions,
  type ValidationSplit,
} from './split.js';
export { batchCount, batches, epochOrder, type Batch, type BatchOptions } from './batches.js';
export {
  createRng,
  deriveSeed,
  normalizeSeed,
  permutation,
  shuffleInPlace,
  type Rng,
} from './random.js';
export { checkView, makeView, viewedSample, type View, type ViewConfig } from './view.js';
export type {
  DataSource,
  DataSplit,
  SourceBatch,
  SourceInfo,
  SplitReadOptions,
} from './sources/source.js';
export { datasetSplit } from './sources/in-memory.js';
export {
  decodeImage,
  detectImageFormat,
  ImageDecodeError,
  type ImageFormat,
  type RawImage,
} from './sources/image-decode.js';
export { convertChannels, resizeBilinear } from './sources/image-transform.js';
export { fromArrays, type ArraySplit, type FromArraysOptions } from './sources/arrays.js';
export {
  fromBatches,
  type BatchStream,
  type FromBatchesOptions,
  type UserBatch,
  type UserFeatures,
  type UserLabels,
} from './sources/iterable.js';
