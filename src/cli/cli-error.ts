/**
 * How the command line turns errors into exit codes: usage and config problems exit 2 with one
 * line; anything else exits 1.
 */
import { DistillError, type DistillErrorCode } from '../errors.js';

/** A mistake in how the command was called. */
export class UsageError extends Error {
  /** @param message - What is wrong and how to call the command instead. */
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Codes that mean "the config or the arguments are wrong", which exit with status 2. */
const CONFIG_CODES: ReadonlySet<DistillErrorCode> = new Set<DistillErrorCode>([
  'INVALID_ARGUMENT',
  'INVALID_CONFIG',
  'INVALID_PATH',
  'MODULE_NOT_FOUND',
  'MEMBER_NOT_FOUND',
  'NOT_A_FUNCTION',
  'UNPATCHABLE_TARGET',
  'UNKNOWN_TYPE',
  'DUPLICATE_TYPE',
  'OVERRIDE_MISMATCH',
  'FILE_NOT_FOUND',
  'MISSING_INPUT',
  'SHAPE_MISMATCH',
]);

/** The exit status and the one-line message for an error. */
export function describeFailure(error: unknown): { status: number; message: string } {
  if (error instanceof UsageError) return { status: 2, message: error.message };
  if (error instanceof DistillError) {
    return {
      status: CONFIG_CODES.has(error.code) ? 2 : 1,
      message: `${error.code}: ${error.message}`,
    };
  }
  return { status: 1, message: error instanceof Error ? error.message : String(error) };
}
