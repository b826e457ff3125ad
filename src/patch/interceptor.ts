/**
 * What an interceptor sees of one intercepted call, and what it must implement.
 */
import type { PatchPoint } from './target.js';

/** One call of an intercepted function, as seen by one interceptor. */
export interface Invocation {
  /** The `this` the caller used. */
  readonly thisArg: unknown;
  /** The arguments the caller passed. */
  readonly args: readonly unknown[];
  /** Calls the next active interceptor, or the original function, with the same arguments. */
  proceed(): unknown;
}

/**
 * Where an interceptor sits in the chain of one target. Observers (recorders) run outside
 * substitutes (deliveries), so a recorder sees the value a replaying delivery returns, whichever
 * entered first.
 */
export const INTERCEPTOR_ROLES = ['observer', 'substitute'] as const;

/** See {@link INTERCEPTOR_ROLES}. */
export type InterceptorRole = (typeof INTERCEPTOR_ROLES)[number];

/** Something that wraps the calls of one target while its scope is open. */
export interface Interceptor {
  /** The property this interceptor replaces. */
  readonly point: PatchPoint;
  /** Its place in the chain; see {@link INTERCEPTOR_ROLES}. */
  readonly role: InterceptorRole;
  /** Handles one call; returns what the caller receives. */
  intercept(invocation: Invocation): unknown;
}
