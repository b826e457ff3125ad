/**
 * Seeded, stratified choices among listed images: the test and validation splits of a folder
 * without `train/` and `test/` folders, and per-split limits. Every choice is made per class, so
 * each class keeps its share, and the results keep the listing's order.
 */
import { createRng, deriveSeed, permutation } from '../random.js';
import type { ListedImage } from './image-folder-list.js';

/** Purpose tags, so the test split, the validation split and the limits are unrelated draws. */
export const SPLIT_STREAMS = {
  test: 101,
  validation: 102,
  limitTrain: 103,
  limitValidation: 104,
  limitTest: 105,
} as const;

function byClass(images: readonly ListedImage[], numClasses: number): number[][] {
  const groups: number[][] = Array.from({ length: numClasses }, () => []);
  images.forEach((image, index) => groups[image.label]!.push(index));
  return groups;
}

/** Picks `take[c]` of each class's images at random; returns a mask over `images`. */
function pick(
  groups: readonly number[][],
  take: readonly number[],
  length: number,
  seed: number,
  stream: number,
): Uint8Array {
  const chosen = new Uint8Array(length);
  groups.forEach((indices, label) => {
    // One generator per class: adding images to one class leaves the others' choices unchanged.
    const order = permutation(indices.length, createRng(deriveSeed(seed, stream, label)));
    for (let i = 0; i < take[label]!; i++) chosen[indices[order[i]!]!] = 1;
  });
  return chosen;
}

/**
 * Holds out `round(fraction * n)` of each class's `n` images at random.
 *
 * @param images - The listed images.
 * @param numClasses - Number of classes (labels are below it).
 * @param fraction - Share held out, in `[0, 1)`.
 * @param seed - Seed of the choice.
 * @param stream - A {@link SPLIT_STREAMS} tag.
 * @returns The images kept and those held out, each in listing order.
 */
export function stratifiedSplit(
  images: readonly ListedImage[],
  numClasses: number,
  fraction: number,
  seed: number,
  stream: number,
): { kept: ListedImage[]; held: ListedImage[] } {
  const groups = byClass(images, numClasses);
  const take = groups.map((g) => Math.round(fraction * g.length));
  const chosen = pick(groups, take, images.length, seed, stream);
  return {
    kept: images.filter((_, i) => chosen[i] === 0),
    held: images.filter((_, i) => chosen[i] === 1),
  };
}

/**
 * Keeps `limit` images chosen at random, each class in proportion to its size (largest
 * remainders round up, ties to the lower label).
 *
 * @param images - The listed images.
 * @param numClasses - Number of classes.
 * @param limit - How many to keep; all are kept when there are not more.
 * @param seed - Seed of the choice.
 * @param stream - A {@link SPLIT_STREAMS} tag.
 * @returns The kept images in listing order.
 */
export function stratifiedLimit(
  images: readonly ListedImage[],
  numClasses: number,
  limit: number,
  seed: number,
  stream: number,
): ListedImage[] {
  if (limit >= images.length) return [...images];
  const groups = byClass(images, numClasses);
  const quotas = groups.map((g) => (limit * g.length) / images.length);
  const take = quotas.map(Math.floor);
  let left = limit - take.reduce((a, b) => a + b, 0);
  const byRemainder = quotas
    .map((q, label) => ({ label, rest: q - Math.floor(q) }))
    .sort((a, b) => b.rest - a.rest || a.label - b.label);
  for (const { label } of byRemainder) {
    if (left === 0) break;
    take[label]! += 1;
    left -= 1;
  }
  const chosen = pick(groups, take, images.length, seed, stream);
  return images.filter((_, i) => chosen[i] === 1);
}
