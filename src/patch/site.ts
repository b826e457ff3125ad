/**
 * One installed wrapper per patched property, dispatching to the interceptors whose scope is
 * active for the running code, and restoring the property exactly when the last one leaves.
 */
import { DistillError } from '../errors.js';
import type { Interceptor, Invocation } from './interceptor.js';
import { assertPatchable } from './patchability.js';
import { scopeStore, type ScopeToken } from './scope.js';
import type { AnyFunction } from './target.js';

interface ChainEntry {
  readonly interceptor: Interceptor;
  readonly token: ScopeToken;
  readonly rank: number;
}

const ROLE_RANK = { observer: 0, substitute: 1 } as const;

const sites = new WeakMap<object, Map<string | symbol, PatchSite>>();

/** Every wrapper made here, to its site, so a wrapper found on a property leads to its original. */
const wrapperSites = new WeakMap<AnyFunction, PatchSite>();

/**
 * The function under `fn`: `fn` itself, or if `fn` is a tfjs-distill wrapper, the original it
 * wraps. Targets resolved while another interceptor of theirs is entered keep the original so.
 */
export function unwrap(fn: AnyFunction): AnyFunction {
  let f = fn;
  for (let site = wrapperSites.get(f); site !== undefined; site = wrapperSites.get(f)) {
    f = site.original;
  }
  return f;
}

/** The invocation handed to the interceptor at `index` of a chain snapshot. */
class ChainInvocation implements Invocation {
  constructor(
    private readonly site: PatchSite,
    private readonly chain: readonly ChainEntry[],
    private readonly index: number,
    private readonly active: ReadonlySet<ScopeToken>,
    readonly thisArg: unknown,
    readonly args: unknown[],
  ) {}

  proceed(): unknown {
    return this.site.dispatch(this.chain, this.index + 1, this.active, this.thisArg, this.args);
  }
}

class PatchSite {
  /** Sorted by rank, then by entry order; replaced, never mutated, so calls see a snapshot. */
  chain: readonly ChainEntry[] = [];
  readonly wrapper: AnyFunction;
  /** The property's own descriptor before install; undefined when it was inherited. */
  private ownDescriptor: PropertyDescriptor | undefined;
  /** Whether the wrapper is installed now. Sites stay cached when idle, so re-entry is cheap. */
  installed = false;
  /** Whether the wrapper shadows an inherited function (no own property before install). */
  private inherited = false;

  constructor(
    readonly owner: object,
    readonly key: string | symbol,
    readonly original: AnyFunction,
  ) {
    // The wrapper needs its own dynamic `this`, so it reaches the site through a closure.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const site = this;
    const wrapper = function (this: unknown, ...args: unknown[]): unknown {
      const chain = site.chain;
      if (chain.length !== 0) {
        const active = scopeStore.current();
        if (active.size !== 0) return site.dispatch(chain, 0, active, this, args);
      }
      return Reflect.apply(site.next(), this, args);
    };
    // Keep what introspection sees (name, length) identical to the original.
    Object.defineProperty(wrapper, 'name', { value: original.name, configurable: true });
    Object.defineProperty(wrapper, 'length', { value: original.length, configurable: true });
    this.wrapper = wrapper;
    wrapperSites.set(wrapper, this);
  }

  dispatch(
    chain: readonly ChainEntry[],
    from: number,
    active: ReadonlySet<ScopeToken>,
    thisArg: unknown,
    args: unknown[],
  ): unknown {
    for (let i = from; i < chain.length; i++) {
      const entry = chain[i]!;
      if (active.has(entry.token)) {
        return entry.interceptor.intercept(
          new ChainInvocation(this, chain, i, active, thisArg, args),
        );
      }
    }
    return Reflect.apply(this.next(), thisArg, args);
  }

  /**
   * What a call reaches past the interceptors: the original, or, where the wrapper shadows an
   * inherited function, what the prototype chain holds now, as an unpatched call would. That may
   * be the wrapper of a base class's method, whose interceptors then see the call too.
   */
  private next(): AnyFunction {
    if (!this.inherited) return this.original;
    const proto = Object.getPrototypeOf(this.owner) as object | null;
    const inherited: unknown = proto === null ? undefined : Reflect.get(proto, this.key);
    return typeof inherited === 'function' ? (inherited as AnyFunction) : this.original;
  }

  install(): void {
    const d = Object.getOwnPropertyDescriptor(this.owner, this.key);
    this.ownDescriptor = d;
    this.inherited = d === undefined;
    if (d === undefined) {
      // Inherited: shadow it with an own property that restore deletes again.
      Object.defineProperty(this.owner, this.key, {
        value: this.wrapper,
        writable: true,
        enumerable: false,
        configurable: true,
      });
    } else if (d.configurable) {
      Object.defineProperty(this.owner, this.key, {
        value: this.wrapper,
        writable: d.get === undefined ? d.writable : true,
        enumerable: d.enumerable,
        configurable: true,
      });
    } else {
      (this.owner as Record<string | symbol, unknown>)[this.key] = this.wrapper;
    }
    this.installed = true;
  }

  restore(): void {
    this.installed = false;
    const d = this.ownDescriptor;
    this.ownDescriptor = undefined;
    if (d === undefined) {
      delete (this.owner as Record<string | symbol, unknown>)[this.key];
    } else if (d.configurable) {
      Object.defineProperty(this.owner, this.key, d);
    } else {
      (this.owner as Record<string | symbol, unknown>)[this.key] = d.value;
    }
  }
}

function siteFor(interceptor: Interceptor): PatchSite {
  const { owner, key, label, original } = interceptor.point;
  let byKey = sites.get(owner);
  if (byKey === undefined) {
    byKey = new Map();
    sites.set(owner, byKey);
  }
  let site = byKey.get(key);
  if (site !== undefined && site.installed) return site;
  assertPatchable(owner, key, label);
  // Another site's wrapper may be inherited here (a subclass of a patched class): look through it.
  const current = (owner as Record<string | symbol, unknown>)[key];
  if (typeof current !== 'function' || unwrap(current as AnyFunction) !== original) {
    throw new DistillError(
      'UNPATCHABLE_TARGET',
      `Cannot intercept ${label}: the property no longer holds the function found when the target was resolved ` +
        `(something else replaced it). Resolve the target again, or restore the other patch first.`,
    );
  }
  if (site === undefined || site.original !== original) {
    site = new PatchSite(owner, key, original);
    byKey.set(key, site);
  }
  try {
    site.install();
  } catch (cause) {
    throw new DistillError(
      'UNPATCHABLE_TARGET',
      `Cannot intercept ${label}: defining the wrapper failed (${String(cause)}). Target the object callers read the function from.`,
      { cause },
    );
  }
  return site;
}

/**
 * Adds `interceptor` to its target's chain under `token`, installing the wrapper if it is the
 * first. Throws `UNPATCHABLE_TARGET` (and changes nothing) when the property cannot be patched.
 */
export function attach(interceptor: Interceptor, token: ScopeToken): void {
  const site = siteFor(interceptor);
  const entry: ChainEntry = { interceptor, token, rank: ROLE_RANK[interceptor.role] };
  const chain = site.chain.slice();
  let at = chain.length;
  while (at > 0 && chain[at - 1]!.rank > entry.rank) at--;
  chain.splice(at, 0, entry);
  site.chain = chain;
}

/**
 * Removes `interceptor` (entered under `token`) from its target's chain, restoring the original
 * property exactly when the chain becomes empty. Does nothing if it is not attached.
 */
export function detach(interceptor: Interceptor, token: ScopeToken): void {
  const site = sites.get(interceptor.point.owner)?.get(interceptor.point.key);
  if (site === undefined || !site.installed) return;
  const chain = site.chain.filter((e) => !(e.interceptor === interceptor && e.token === token));
  if (chain.length === site.chain.length) return;
  site.chain = chain;
  if (chain.length === 0) site.restore();
}

/** Whether tfjs-distill currently has a wrapper installed on `owner[key]` (for tests and diagnostics). */
export function isPatched(owner: object, key: string | symbol): boolean {
  return sites.get(owner)?.get(key)?.installed ?? false;
}
