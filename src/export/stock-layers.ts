/**
 * Which layers a stock TF.js loads: an exported model must deserialize with `tf.loadLayersModel`
 * alone, in a page that has none of the code that defined the model.
 */
import type * as tf from '@tensorflow/tfjs';
import { DistillError } from '../errors.js';

/**
 * The layer (and model) classes that `@tensorflow/tfjs` 4 registers itself. Custom layers, and
 * layers that only exist in memory (a GraphModel's taps, say), are not among them.
 */
export const STOCK_LAYER_CLASSES: ReadonlySet<string> = new Set([
  'InputLayer',
  'Model',
  'Functional',
  'Sequential',
  'ReLU',
  'LeakyReLU',
  'PReLU',
  'ELU',
  'ThresholdedReLU',
  'Softmax',
  'Conv2D',
  'Conv3D',
  'Conv2DTranspose',
  'Conv3DTranspose',
  'SeparableConv2D',
  'Conv1D',
  'Cropping2D',
  'UpSampling2D',
  'DepthwiseConv2D',
  'RNN',
  'SimpleRNNCell',
  'SimpleRNN',
  'GRUCell',
  'GRU',
  'LSTMCell',
  'LSTM',
  'StackedRNNCells',
  'ConvLSTM2DCell',
  'ConvLSTM2D',
  'Dropout',
  'SpatialDropout1D',
  'Dense',
  'Flatten',
  'Activation',
  'RepeatVector',
  'Reshape',
  'Permute',
  'Masking',
  'Embedding',
  'Add',
  'Multiply',
  'Average',
  'Maximum',
  'Minimum',
  'Concatenate',
  'Dot',
  'GaussianNoise',
  'GaussianDropout',
  'AlphaDropout',
  'BatchNormalization',
  'LayerNormalization',
  'ZeroPadding2D',
  'MaxPooling1D',
  'AveragePooling1D',
  'MaxPooling2D',
  'AveragePooling2D',
  'MaxPooling3D',
  'AveragePooling3D',
  'GlobalAveragePooling1D',
  'GlobalMaxPooling1D',
  'GlobalAveragePooling2D',
  'GlobalMaxPooling2D',
  'TimeDistributed',
  'Bidirectional',
  'Rescaling',
  'CenterCrop',
  'CategoryEncoding',
  'Resizing',
  'RandomWidth',
]);

/** Every `class_name` of a layer in a topology, nested models and wrapped layers included. */
export function layerClassNames(topology: unknown): { name: string; className: string }[] {
  const found: { name: string; className: string }[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const entry = node as { class_name?: unknown; config?: unknown; name?: unknown };
    const config = entry.config as { name?: unknown; layers?: unknown; layer?: unknown } | null;
    if (typeof entry.class_name === 'string' && typeof config === 'object' && config !== null) {
      const name =
        typeof config.name === 'string'
          ? config.name
          : typeof entry.name === 'string'
            ? entry.name
            : '?';
      found.push({ name, className: entry.class_name });
      visit(config.layers);
      visit(config.layer);
      return;
    }
    visit((node as { model_config?: unknown }).model_config);
  };
  visit(topology);
  return found;
}

/**
 * Refuses a topology with a layer that stock TF.js cannot load, naming the layer and its class.
 *
 * @param topology - `modelTopology` of a layers model's artifacts.
 * @param source - The model, for the message.
 * @throws DistillError `INVALID_ARGUMENT`.
 */
export function checkStockLayers(
  topology: tf.io.ModelArtifacts['modelTopology'],
  source: string,
): void {
  const layers = layerClassNames(topology);
  if (layers.length === 0) {
    throw new DistillError(
      'INVALID_ARGUMENT',
      `${source} has no layers topology: only layers models (tf.LayersModel) can be exported.`,
    );
  }
  const custom = layers.filter((l) => !STOCK_LAYER_CLASSES.has(l.className));
  if (custom.length > 0) {
    const list = custom.map((l) => `${l.name} (${l.className})`).join(', ');
    throw new DistillError(
      'INVALID_ARGUMENT',
      `${source} has layers that stock TF.js cannot load in a web page: ${list}. Replace them with built-in layers, or register their classes in the page before tf.loadLayersModel.`,
    );
  }
}
