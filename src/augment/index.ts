/** Train-time batch augmentation: mixup, CutMix, and a probabilistic choice between them. */
export { SeededRandom } from './random.js';
