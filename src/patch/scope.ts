/**
 * Which activations are in force for the code running right now.
 *
 * In Node.js an `AsyncLocalStorage` carries the set of active tokens, so interception follows a
 * scope into its async continuations and never reaches concurrent code outside it. Where
 * `AsyncLocalStorage` is missing (browsers), one process-wide set is used instead: every call
 * made while a scope is open is intercepted, wherever it comes from.
 */
import { nodeBuiltin } from '../node-builtins.js';

/** An opaque marker of one open scope. */
export type ScopeToken = object;

interface AsyncLocalStorageLike<T> {
  getStore(): T | undefined;
  run<R>(store: T, fn: () => R): R;
  enterWith(store: T): void;
}

type AlsConstructor = new <T>() => AsyncLocalStorageLike<T>;

const Als = nodeBuiltin<{ AsyncLocalStorage: AlsConstructor }>(
  'node:async_hooks',
)?.AsyncLocalStorage;

const EMPTY: ReadonlySet<ScopeToken> = new Set();

/** Tracks the open scopes; see the module comment for the two strategies. */
export interface ScopeStore {
  /** True when scopes follow async context (AsyncLocalStorage), false when process-wide. */
  readonly isolated: boolean;
  /** The tokens active for the code running now. */
  current(): ReadonlySet<ScopeToken>;
  /** Activates `token` for the rest of the current synchronous code and its continuations. */
  enter(token: ScopeToken): void;
  /** Deactivates a token activated with {@link ScopeStore.enter}. */
  leave(token: ScopeToken): void;
  /** Runs `fn` with `token` active; the caller deactivates the token for good afterwards. */
  run<R>(token: ScopeToken, fn: () => R): R;
}

function withToken(set: ReadonlySet<ScopeToken>, token: ScopeToken): Set<ScopeToken> {
  const next = new Set(set);
  next.add(token);
  return next;
}

function asyncScopeStore(AsyncLocalStorage: AlsConstructor): ScopeStore {
  const als = new AsyncLocalStorage<ReadonlySet<ScopeToken>>();
  return {
    isolated: true,
    current: () => als.getStore() ?? EMPTY,
    enter(token) {
      als.enterWith(withToken(als.getStore() ?? EMPTY, token));
    },
    leave(token) {
      const store = als.getStore();
      if (store === undefined || !store.has(token)) return;
      const next = new Set(store);
      next.delete(token);
      als.enterWith(next);
    },
    run: (token, fn) => als.run(withToken(als.getStore() ?? EMPTY, token), fn),
  };
}

/**
 * A scope store without async context: one set of active tokens for the whole process, as used
 * where `AsyncLocalStorage` is missing. Exported for tests; the library uses {@link scopeStore}.
 */
export function processWideScopeStore(): ScopeStore {
  const active = new Set<ScopeToken>();
  return {
    isolated: false,
    current: () => active,
    enter: (token) => void active.add(token),
    leave: (token) => void active.delete(token),
    run(token, fn) {
      active.add(token);
      return fn();
    },
  };
}

/** The scope store of this process. */
export const scopeStore: ScopeStore = Als ? asyncScopeStore(Als) : processWideScopeStore();
