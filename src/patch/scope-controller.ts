/**
 * The enter / exit / run life cycle shared by deliveries, recorders and their managers: at most
 * one open scope at a time, atomic attachment, exact restore.
 */
import { DistillError } from '../errors.js';
import './dispose-symbol.js';
import { Activation } from './activation.js';
import type { Interceptor } from './interceptor.js';

/** The scope returned by `enter()`: leave it with `exit()` or a `using` declaration. */
export interface Scope extends Disposable {
  /** Leaves this scope; idempotent. */
  exit(): void;
}

/** Manages the one open scope of an owner (a delivery, a recorder). */
export class ScopeController {
  private activation: Activation | undefined;

  /**
   * @param describe - Names the owner in messages, e.g. `the delivery of function "x"`.
   * @param interceptors - What to attach when a scope opens (called at each entry).
   * @param onEnter - Runs right before a scope opens (e.g. a recorder clears its buffer).
   */
  constructor(
    private readonly describe: () => string,
    private readonly interceptors: () => readonly Interceptor[],
    private readonly onEnter?: () => void,
  ) {}

  /** Whether a scope is open. */
  get isEntered(): boolean {
    return this.activation?.isOpen ?? false;
  }

  /** Opens a scope for the current code and its async continuations. */
  enter(): Scope {
    const activation = this.open();
    activation.enterScope();
    const exit = (): void => activation.close();
    return { exit, [Symbol.dispose]: exit };
  }

  /** Closes the open scope. */
  exit(): void {
    const activation = this.activation;
    if (activation === undefined || !activation.isOpen) {
      throw new DistillError(
        'NOT_ENTERED',
        `${this.describe()} is not entered, so it cannot exit. Call enter() first, or use run(fn).`,
      );
    }
    activation.close();
  }

  /** Runs `fn` in a scope that closes when `fn` returns, throws, or its promise settles. */
  run<R>(fn: () => R): R {
    return this.open().runScoped(fn);
  }

  private open(): Activation {
    if (this.isEntered) {
      throw new DistillError(
        'ALREADY_ENTERED',
        `${this.describe()} is already entered. Exit it before entering again; to run two scopes at once, use two instances.`,
      );
    }
    const interceptors = this.interceptors();
    this.onEnter?.();
    const activation = Activation.attachAll(interceptors);
    this.activation = activation;
    return activation;
  }
}
