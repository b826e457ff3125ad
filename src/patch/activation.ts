/**
 * Opening and closing the scope of a group of interceptors, atomically.
 */
import { attach, detach } from './site.js';
import type { Interceptor } from './interceptor.js';
import { scopeStore, type ScopeToken } from './scope.js';

/** Does `value` look like a promise (has a callable `then`)? */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * One scope of a group of interceptors. Created by {@link Activation.attachAll}; closed by
 * {@link Activation.close}, after which every property it patched (and no other interceptor
 * still uses) is restored exactly.
 */
export class Activation {
  private readonly token: ScopeToken = {};
  private open = true;

  private constructor(private readonly interceptors: readonly Interceptor[]) {}

  /**
   * Installs every interceptor, or none: if one target cannot be patched, the ones already
   * attached are detached again before the error propagates.
   */
  static attachAll(interceptors: readonly Interceptor[]): Activation {
    const activation = new Activation(interceptors);
    let done = 0;
    try {
      for (const interceptor of interceptors) {
        attach(interceptor, activation.token);
        done++;
      }
    } catch (error) {
      for (let i = done - 1; i >= 0; i--) detach(interceptors[i]!, activation.token);
      throw error;
    }
    return activation;
  }

  /**
   * Activates the scope for the rest of the current synchronous code and its async
   * continuations (process-wide where AsyncLocalStorage is missing) until {@link Activation.close}.
   */
  enterScope(): void {
    scopeStore.enter(this.token);
  }

  /**
   * Runs `fn` inside the scope and closes it when `fn` returns or throws, or, if `fn` returns
   * a promise, when that promise settles.
   */
  runScoped<R>(fn: () => R): R {
    let result: R;
    try {
      result = scopeStore.run(this.token, fn);
    } catch (error) {
      this.close();
      throw error;
    }
    if (!isThenable(result)) {
      this.close();
      return result;
    }
    return Promise.resolve(result).finally(() => this.close()) as R;
  }

  /** Whether this scope is still open. */
  get isOpen(): boolean {
    return this.open;
  }

  /** Closes the scope; idempotent. */
  close(): void {
    if (!this.open) return;
    this.open = false;
    scopeStore.leave(this.token);
    for (let i = this.interceptors.length - 1; i >= 0; i--) {
      detach(this.interceptors[i]!, this.token);
    }
  }
}
