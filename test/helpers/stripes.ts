/**
 * A tiny image-shaped data source for run-level tests: 6x6 gray images whose class is the third
 * of the image (left, middle, right) that is bright. Easy to learn, so a run that trains at all
 * is far above chance.
 */
import type { Dataset } from '../../src/data/dataset.js';
import { datasetSplit } from '../../src/data/sources/in-memory.js';
import type { DataSource } from '../../src/data/sources/source.js';

/** The shape of one stripes image. */
export const STRIPES_SHAPE = [6, 6, 1];

/** `count` stripes images, their noise drawn from `seed`. */
export function stripes(count: number, seed: number): Dataset {
  const images = new Float32Array(count * 36);
  const labels = new Uint8Array(count);
  let state = seed;
  const rand = (): number => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < count; i++) {
    labels[i] = i % 3;
    for (let p = 0; p < 36; p++) {
      const bright = Math.floor((p % 6) / 2) === labels[i];
      images[i * 36 + p] = (bright ? 0.7 : 0.1) + 0.3 * rand();
    }
  }
  return { images, labels, count };
}

/** The stripes source: 240 training and `testCount` test images, no validation split. */
export function stripesSource(testCount = 60): DataSource {
  return {
    inputShape: STRIPES_SHAPE,
    numClasses: 3,
    classNames: ['left', 'middle', 'right'],
    description: 'stripes',
    train: datasetSplit(stripes(240, 1), STRIPES_SHAPE),
    test: datasetSplit(stripes(testCount, 2), STRIPES_SHAPE),
    validation: undefined,
  };
}
