/**
 * The base of every delivery: a bounded FIFO queue of a target's outputs, recorded while the
 * teacher runs and replayed while the student runs.
 */
import { DistillError, DistillTypeError, describeValue } from '../errors.js';
import { positiveInteger } from '../config/validate.js';
import { isThenable } from '../patch/activation.js';
import { ScopeController, type Scope } from '../patch/scope-controller.js';
import type { Interceptor, Invocation } from '../patch/interceptor.js';
import type { PatchPoint } from '../patch/target.js';
import { queuedValueHandler } from '../queued-values.js';
import { checkOverrideKeys, mergeOverride, type OverrideKey } from './partial-override.js';
import { RingQueue } from './ring-queue.js';

/** Options shared by every delivery. */
export interface DistillDeliveryOptions {
  /** How many outputs the queue holds at most (a positive integer). Default 1. */
  readonly maxKeepData?: number;
  /**
   * Replays only these indices (array outputs) or keys (object outputs) and takes the rest
   * from the student's own call, which then runs too. Default: replay whole outputs.
   */
  readonly overrideKeys?: readonly OverrideKey[];
}

/** The scope returned by `enter()`: leave it with `exit()` or a `using` declaration. */
export type DeliveryScope = Scope;

/** What an async recording holds until its promise settles. */
class PendingOutput {
  state: 'pending' | 'fulfilled' | 'rejected' = 'pending';
  value: unknown;
  error: unknown;
  readonly settled: Promise<void>;

  constructor(promise: PromiseLike<unknown>) {
    this.settled = Promise.resolve(promise).then(
      (value) => {
        this.state = 'fulfilled';
        this.value = queuedValueHandler().keep(value);
      },
      (error: unknown) => {
        this.state = 'rejected';
        this.error = error;
      },
    );
  }
}

/**
 * Base class of deliveries. Subclasses resolve a target; this class owns the queue and the
 * record/replay semantics, so users can add their own kind by resolving another target.
 *
 * - Record (`overrideData = false`): a full queue throws before the original runs and loses
 *   nothing; otherwise the original runs and its output is queued.
 * - Replay (`overrideData = true`): an empty queue throws without calling the original;
 *   otherwise the oldest output is dequeued and returned.
 * - Async targets: what the promise resolves to is queued; a replay returns a promise.
 */
export abstract class DistillDelivery implements Interceptor {
  /** Deliveries substitute outputs, so they sit inside recorders on a shared target. */
  readonly role = 'substitute' as const;
  /** How many outputs the queue holds at most. */
  readonly maxKeepData: number;
  /** The indices or keys replayed by a partial override, if any. */
  readonly overrideKeys: readonly OverrideKey[] | undefined;
  private override = false;
  private readonly queue: RingQueue<unknown>;
  private readonly scope = new ScopeController(
    () => `The delivery of ${this.target} (${this.queueState})`,
    () => [this],
  );

  /**
   * @param point - The resolved target.
   * @param options - Queue bound and partial override.
   */
  protected constructor(
    readonly point: PatchPoint,
    options: DistillDeliveryOptions = {},
  ) {
    this.maxKeepData = positiveInteger(options.maxKeepData, 'maxKeepData', 1);
    this.overrideKeys = checkOverrideKeys(options.overrideKeys, 'overrideKeys');
    this.queue = new RingQueue(this.maxKeepData);
  }

  /** The intercepted target's name, as used in messages. */
  get target(): string {
    return this.point.label;
  }

  /** `false`: calls in scope run and are recorded; `true`: they replay recorded outputs. */
  get overrideData(): boolean {
    return this.override;
  }

  set overrideData(value: boolean) {
    if (typeof value !== 'boolean') {
      throw new DistillTypeError(
        'INVALID_ARGUMENT',
        `overrideData of the delivery of ${this.target} must be true or false, but got ${describeValue(value)}.`,
      );
    }
    this.override = value;
  }

  /** How many outputs are queued. */
  get size(): number {
    return this.queue.size;
  }

  /** Whether a scope of this delivery is open. */
  get isEntered(): boolean {
    return this.scope.isEntered;
  }

  /** The queue state for messages, e.g. `"3 of 3 queued"`. */
  get queueState(): string {
    return `${this.queue.size} of ${this.maxKeepData} queued`;
  }

  /**
   * Starts intercepting the target for the current code and its async continuations.
   *
   * @returns A scope to `exit()`, or to declare with `using` so it exits at the block's end.
   */
  enter(): DeliveryScope {
    return this.scope.enter();
  }

  /** Leaves the open scope and restores the target if nothing else intercepts it. */
  exit(): void {
    this.scope.exit();
  }

  /**
   * Runs `fn` inside a scope of this delivery. If `fn` returns a promise, the scope closes
   * when it settles.
   *
   * @returns What `fn` returns.
   */
  run<R>(fn: () => R): R {
    return this.scope.run(fn);
  }

  /** Drops every queued output (releasing held tensors). */
  clear(): void {
    const handler = queuedValueHandler();
    for (const item of this.queue.drain()) {
      if (item instanceof PendingOutput) {
        void item.settled.then(() => {
          if (item.state === 'fulfilled') handler.release(item.value);
        });
      } else {
        handler.release(item);
      }
    }
  }

  /** Records or replays one intercepted call; see the class comment. */
  intercept(invocation: Invocation): unknown {
    return this.override ? this.replay(invocation) : this.record(invocation);
  }

  private record(invocation: Invocation): unknown {
    if (this.queue.isFull) {
      throw new DistillError(
        'QUEUE_FULL',
        `Cannot record another output of ${this.target}: ${this.queueState}. ` +
          'Replay the queued outputs first (overrideData = true), clear() them, or raise maxKeepData.',
      );
    }
    const output = invocation.proceed();
    if (isThenable(output)) {
      const pending = new PendingOutput(output);
      this.queue.push(pending);
      return output;
    }
    this.queue.push(queuedValueHandler().keep(output));
    return output;
  }

  private replay(invocation: Invocation): unknown {
    if (this.queue.size === 0) {
      throw new DistillError(
        'QUEUE_EMPTY',
        `Cannot replay an output of ${this.target}: ${this.queueState}. ` +
          'Record first (overrideData = false) with as many calls as you replay, or check that the teacher calls it.',
      );
    }
    const item = this.queue.shift();
    if (item instanceof PendingOutput) {
      return item.settled.then(() => {
        if (item.state === 'rejected') {
          throw new DistillError(
            'RECORDED_CALL_FAILED',
            `Cannot replay an output of ${this.target}: the recorded call rejected (${String(item.error)}).`,
            { cause: item.error },
          );
        }
        return this.deliver(item.value, invocation);
      });
    }
    return this.deliver(item, invocation);
  }

  private deliver(stored: unknown, invocation: Invocation): unknown {
    const handler = queuedValueHandler();
    if (this.overrideKeys === undefined) return handler.take(stored);
    const keys = this.overrideKeys;
    const merge = (own: unknown): unknown => {
      let result: ReturnType<typeof mergeOverride>;
      try {
        result = mergeOverride(stored, own, keys, this.target);
      } catch (error) {
        handler.release(stored);
        throw error;
      }
      const merged = result.merged as Record<OverrideKey, unknown>;
      const ownParts = own as Record<OverrideKey, unknown>;
      for (const key of keys) {
        handler.discard(ownParts[key], invocation.args);
        merged[key] = handler.take(merged[key]);
      }
      for (const part of result.unused) handler.release(part);
      return merged;
    };
    const own = invocation.proceed();
    return isThenable(own) ? Promise.resolve(own).then(merge) : merge(own);
  }
}
