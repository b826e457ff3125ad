/**
 * Assertions about tfjs-distill errors.
 */
import { DistillError, type DistillErrorCode } from '../../src/index.js';

/**
 * Returns a validator for `assert.throws` / `assert.rejects` that checks the error is a
 * `DistillError` with `code` whose message matches every pattern.
 */
export function distillError(
  code: DistillErrorCode,
  ...patterns: RegExp[]
): (error: unknown) => boolean {
  return (error: unknown) => {
    if (!(error instanceof DistillError)) throw new Error(`not a DistillError: ${String(error)}`);
    if (error.code !== code) throw new Error(`code ${error.code} !== ${code}: ${error.message}`);
    for (const p of patterns) {
      if (!p.test(error.message)) throw new Error(`message does not match ${p}: ${error.message}`);
    }
    return true;
  };
}

/** A snapshot of a property: its own descriptor (or absence) on `owner`. */
export function snapshot(owner: object, key: string | symbol): PropertyDescriptor | undefined {
  return Object.getOwnPropertyDescriptor(owner, key);
}
