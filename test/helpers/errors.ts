/**
 * Matching tfjs-distill errors in tests.
 */
import assert from 'node:assert/strict';
import { DistillError, type DistillErrorCode } from '../../src/errors.js';

/** A predicate for `assert.throws` matching a DistillError's code and message. */
export function distillError(
  code: DistillErrorCode,
  ...patterns: RegExp[]
): (e: unknown) => boolean {
  return (e: unknown) => {
    assert.ok(e instanceof DistillError, `not a DistillError: ${String(e)}`);
    assert.equal(e.code, code, `code of: ${e.message}`);
    for (const p of patterns) assert.match(e.message, p);
    return true;
  };
}
