/**
 * Validators for the options of batch augments. Each names the offending key and value.
 */
import { DistillError, describeValue } from '../errors.js';
import { checkOptionsObject } from '../config/validate.js';

/** Throws a `TypeError` unless `options` is an object. */
export function checkAugmentOptions(options: unknown, cls: string): void {
  checkOptionsObject(options, cls, '{ alpha: 0.2, numClasses: 10 }');
}

/** Reads `alpha`, the parameter of the Beta(alpha, alpha) distribution of λ. */
export function checkAlpha(value: unknown, path = 'alpha'): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new DistillError(
      'INVALID_CONFIG',
      `Expected ${path} to be a positive number (such as 0.2 or 1), but got ${describeValue(value)}.`,
    );
  }
  return value;
}

/** Reads `numClasses`, the width of the one-hot labels. */
export function checkNumClasses(value: unknown, path = 'numClasses'): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new DistillError(
      'INVALID_CONFIG',
      `Expected ${path} to be a positive integer (the number of classes), but got ${describeValue(value)}.`,
    );
  }
  return value;
}

/** Reads an optional probability `prob` in [0, 1]; default 1. */
export function checkProb(value: unknown, path = 'prob'): number {
  if (value === undefined) return 1;
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new DistillError(
      'INVALID_CONFIG',
      `Expected ${path} to be a probability in [0, 1], but got ${describeValue(value)}.`,
    );
  }
  return value;
}

/** Renders a shape or a shape-like value for messages, e.g. `[4,28,28,1]`. */
export function describeShape(value: unknown): string {
  if (Array.isArray(value) && value.every((d) => typeof d === 'number')) {
    return `[${value.join(',')}]`;
  }
  return describeValue(value);
}

/** An image shape: `[height, width, channels]`, or `[height, width]` to infer the channels. */
export type ImageShape = readonly [number, number, number] | readonly [number, number];

/** Reads an optional `imageShape`: two or three positive integers. */
export function checkImageShape(value: unknown, path = 'imageShape'): ImageShape | undefined {
  if (value === undefined) return undefined;
  if (
    !Array.isArray(value) ||
    (value.length !== 2 && value.length !== 3) ||
    !value.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 1)
  ) {
    throw new DistillError(
      'INVALID_CONFIG',
      `Expected ${path} to be [height, width, channels] or [height, width] with positive integers (such as [28, 28, 1]), but got ${describeShape(value)}.`,
    );
  }
  return Object.freeze([...(value as number[])]) as unknown as ImageShape;
}
