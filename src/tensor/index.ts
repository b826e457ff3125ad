/** tfjs-aware handling of values held by deliveries and recorders. */
import './install.js';

export { tensorValueHandler } from './tensor-value-handler.js';
export { forEachTensor, holdsSymbolicTensor, isTensor, mapTensors } from './nested.js';
