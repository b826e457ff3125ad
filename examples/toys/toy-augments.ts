/**
 * A toy batch augmentation in the spirit of mixup: every sample is mixed with another sample of
 * the batch, with a random weight and a random partner. Two calls on the same batch almost
 * surely differ, which is why a teacher and a student would see different inputs.
 */

/** A batch after augmentation: mixed images and mixed labels. */
export type MixedBatch = [imgs: number[], labels: number[]];

/** Mixes each sample with a randomly chosen other sample of the batch. */
export class ToyAugments {
  /** How many times {@link ToyAugments.call} really ran. */
  calls = 0;

  /**
   * @param imgs - One number per sample, standing in for an image.
   * @param labels - One number per sample, standing in for a (soft) label.
   * @returns The mixed batch.
   */
  call(imgs: number[], labels: number[]): MixedBatch {
    this.calls++;
    const n = imgs.length;
    const lam = 0.1 + 0.8 * Math.random();
    // A random non-zero shift pairs every sample with a different one.
    const shift = 1 + Math.floor(Math.random() * Math.max(1, n - 1));
    const mix = (xs: number[]): number[] =>
      xs.map((x, i) => lam * x + (1 - lam) * xs[(i + shift) % n]!);
    return [mix(imgs), mix(labels)];
  }
}

/** Whether two arrays of numbers are element-wise equal. */
export function equal(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
