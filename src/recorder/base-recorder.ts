/**
 * The base of every recorder: a buffer of what a target produced or received inside a scope.
 */
import { DistillError, DistillTypeError, describeValue } from '../errors.js';
import type { Interceptor } from '../patch/interceptor.js';
import { ScopeController, type Scope } from '../patch/scope-controller.js';
import { queuedValueHandler } from '../queued-values.js';

/** The scope returned by a recorder's `enter()`. */
export type RecorderScope = Scope;

/**
 * Base class of recorders. Entering a scope clears the buffer; calls made inside the scope are
 * recorded in call order; calls outside it are not. Tensors are kept alive until the next
 * {@link BaseRecorder.reset} (or the next entry), so losses can read them after the model's own
 * `tf.tidy` scopes have ended.
 */
export abstract class BaseRecorder {
  /** What was recorded since the last entry, one record per call. Read with `getRecordData`. */
  readonly dataBuffer: unknown[] = [];
  private readonly scope = new ScopeController(
    () => `The recorder of ${this.sourceLabel}`,
    () => this.interceptors(),
    () => this.reset(),
  );

  /** The recorded source for messages, e.g. `layer "fc1"`. */
  abstract get sourceLabel(): string;

  /** The interceptors a scope attaches; throws `NOT_INITIALIZED` if the recorder needs a model. */
  protected abstract interceptors(): readonly Interceptor[];

  /**
   * Binds the recorder to a model, where its source needs one (layers, parameters). Function
   * and method recorders need none and ignore the argument.
   *
   * @returns The recorder, for chaining.
   */
  initialize(_model?: unknown): this {
    return this;
  }

  /** Whether the recorder is bound to what it records (recorders that need a model override this). */
  get isInitialized(): boolean {
    return true;
  }

  /** Whether a scope of this recorder is open. */
  get isEntered(): boolean {
    return this.scope.isEntered;
  }

  /** Clears the buffer and starts recording calls made by the current code. */
  enter(): RecorderScope {
    return this.scope.enter();
  }

  /** Stops recording; the buffer keeps what was recorded. */
  exit(): void {
    this.scope.exit();
  }

  /** Records inside `fn`; the scope closes when `fn` returns, throws or its promise settles. */
  run<R>(fn: () => R): R {
    return this.scope.run(fn);
  }

  /** Counts resets, so a late async record never lands in a buffer that was reset meanwhile. */
  protected generation = 0;

  /** Empties the buffer, disposing the tensors it kept. */
  reset(): void {
    this.generation++;
    const handler = queuedValueHandler();
    for (const record of this.dataBuffer.splice(0)) handler.release(record);
  }

  /** Adds one record (kept by the value handler). */
  protected push(value: unknown): void {
    this.dataBuffer.push(this.keep(value));
  }

  /**
   * Replaces what this recorder holds with records made elsewhere, as if it had recorded them:
   * for instance by the same recorder around a teacher running in a worker thread. Tensors are
   * kept as clones, so the caller still owns (and disposes) the values it passes.
   *
   * @param records - The records, first call first.
   */
  setRecords(records: readonly unknown[]): void {
    if (!Array.isArray(records)) {
      throw new DistillTypeError(
        'INVALID_ARGUMENT',
        `setRecords expects an array of records for ${this.sourceLabel}, but got ${describeValue(records)}.`,
      );
    }
    this.reset();
    for (const record of records) this.push(record);
  }

  /** Returns what the buffer stores for `value` (a kept clone of its tensors). */
  protected keep(value: unknown): unknown {
    return queuedValueHandler().keep(value);
  }

  /**
   * Returns the record of the `recordIdx`-th call (0 = first), or, with `dataIdx`, one element
   * of it (for calls that return or receive several values). The value stays owned by the
   * recorder: do not dispose it; it is valid until the next reset or entry. `T` is what the
   * caller expects it to be (e.g. `tf.Tensor`); it is not checked.
   *
   * @throws `INDEX_OUT_OF_RANGE`, naming the index and the buffer's length.
   */
  getRecordData<T = unknown>(recordIdx = 0, dataIdx?: number): T {
    if (!this.isInitialized) {
      throw new DistillError(
        'NOT_INITIALIZED',
        `The recorder of ${this.sourceLabel} is not bound to a model, so it has recorded nothing. Call initialize(model) first.`,
      );
    }
    const length = this.dataBuffer.length;
    if (!Number.isSafeInteger(recordIdx) || recordIdx < 0 || recordIdx >= length) {
      throw new DistillError(
        'INDEX_OUT_OF_RANGE',
        `recordIdx ${describeValue(recordIdx)} is out of range: the recorder of ${this.sourceLabel} holds ${length} record(s). ` +
          (length === 0
            ? 'Run the model inside the recorder scope first, and check that it calls the source.'
            : `Use an index from 0 to ${length - 1}.`),
      );
    }
    const record = queuedValueHandler().peek(this.dataBuffer[recordIdx]);
    if (dataIdx === undefined) return record as T;
    if (!Array.isArray(record)) {
      throw new DistillError(
        'INDEX_OUT_OF_RANGE',
        `dataIdx ${describeValue(dataIdx)} was given, but record ${recordIdx} of ${this.sourceLabel} is not an array (${describeValue(record)}). Omit dataIdx.`,
      );
    }
    if (!Number.isSafeInteger(dataIdx) || dataIdx < 0 || dataIdx >= record.length) {
      throw new DistillError(
        'INDEX_OUT_OF_RANGE',
        `dataIdx ${describeValue(dataIdx)} is out of range: record ${recordIdx} of ${this.sourceLabel} has ${record.length} element(s).`,
      );
    }
    return record[dataIdx] as T;
  }
}
