/**
 * Every error that tfjs-distill throws on purpose, by stable code.
 *
 * Codes are part of the public API: match on `error.code`, never on the message.
 */
export const ERROR_CODES = [
  'INVALID_ARGUMENT',
  'INVALID_PATH',
  'MODULE_NOT_FOUND',
  'MEMBER_NOT_FOUND',
  'NOT_A_FUNCTION',
  'UNPATCHABLE_TARGET',
  'QUEUE_FULL',
  'QUEUE_EMPTY',
  'ALREADY_ENTERED',
  'NOT_ENTERED',
  'RECORDED_CALL_FAILED',
  'OVERRIDE_MISMATCH',
  'UNKNOWN_TYPE',
  'DUPLICATE_TYPE',
  'INVALID_CONFIG',
  'DISPOSED_TENSOR',
  'INDEX_OUT_OF_RANGE',
  'NOT_INITIALIZED',
  'SHAPE_MISMATCH',
  'MISSING_INPUT',
  'NOT_BUILT',
  'FILE_NOT_FOUND',
  'DATA_CORRUPT',
  'IO_ERROR',
  'UNSUPPORTED_PLATFORM',
  'BACKEND_UNAVAILABLE',
  'WORKER_FAILED',
] as const;

/** A stable machine-readable error code; see {@link ERROR_CODES}. */
export type DistillErrorCode = (typeof ERROR_CODES)[number];

const BRAND: unique symbol = Symbol.for('tfjs-distill.error');

/** Options accepted by {@link DistillError} and {@link DistillTypeError}. */
export interface DistillErrorOptions {
  /** The error that caused this one, kept for debugging. */
  readonly cause?: unknown;
}

interface Branded {
  readonly [BRAND]: true;
}

function brand(error: Error, code: DistillErrorCode): void {
  Object.defineProperty(error, BRAND, { value: true });
  Object.defineProperty(error, 'code', { value: code, enumerable: true });
}

/**
 * Base class of every error tfjs-distill throws on purpose.
 *
 * Each carries a stable {@link DistillErrorCode} in `code`, a message that names the offending
 * input and how to fix it, and the underlying error in `cause` when there is one.
 * {@link DistillTypeError} (a `TypeError`) also counts as a `DistillError` for `instanceof`.
 *
 * @example
 * ```ts
 * try { delivery.run(step); } catch (e) {
 *   if (e instanceof DistillError && e.code === 'QUEUE_EMPTY') ...
 * }
 * ```
 */
export class DistillError extends Error {
  /** Stable machine-readable code. */
  declare readonly code: DistillErrorCode;

  /**
   * @param code - Stable machine-readable code.
   * @param message - What went wrong, with the offending value and the fix.
   * @param options - `cause`, when another error led to this one.
   */
  constructor(code: DistillErrorCode, message: string, options?: DistillErrorOptions) {
    super(message, options);
    this.name = 'DistillError';
    brand(this, code);
  }

  /** Makes `instanceof DistillError` true for {@link DistillTypeError} too. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this === DistillError) {
      return typeof value === 'object' && value !== null && BRAND in value;
    }
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }
}

/**
 * A {@link DistillError} for a value of the wrong type; also a built-in `TypeError`.
 */
export class DistillTypeError extends TypeError implements Branded {
  /** Stable machine-readable code. */
  declare readonly code: DistillErrorCode;
  declare readonly [BRAND]: true;

  /**
   * @param code - Stable machine-readable code.
   * @param message - What went wrong, with the offending value and the fix.
   * @param options - `cause`, when another error led to this one.
   */
  constructor(code: DistillErrorCode, message: string, options?: DistillErrorOptions) {
    super(message, options);
    this.name = 'DistillTypeError';
    brand(this, code);
  }
}

/**
 * Renders a value for an error message: short, unambiguous, never throwing.
 *
 * @param value - Any value a user passed.
 * @returns A one-line description such as `"abc"`, `10.9`, `[Function foo]` or `{ a, b }`.
 */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
    case 'function':
      return `[Function ${value.name || '(anonymous)'}]`;
    case 'symbol':
      return value.toString();
    case 'bigint':
      return `${value}n`;
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) return `array of length ${value.length}`;
      const ctor = (value as { constructor?: { name?: unknown } }).constructor;
      const name = typeof ctor?.name === 'string' && ctor.name !== 'Object' ? `${ctor.name} ` : '';
      const keys = Object.keys(value).slice(0, 5);
      return `${name}{ ${keys.join(', ')}${Object.keys(value).length > 5 ? ', ...' : ''} }`;
    }
    default:
      return String(value);
  }
}
