/**
 * How values are held while they wait in a delivery's queue or a recorder's buffer.
 *
 * The core holds values as they are. The tfjs layer installs a handler that keeps tensors alive
 * across `tf.tidy` scopes and hands out fresh clones, so the core itself never imports tfjs.
 */

/** Strategy for values held by deliveries and recorders. */
export interface QueuedValueHandler {
  /** Called when a value enters a queue; returns what is stored (e.g. a kept clone). */
  keep(value: unknown): unknown;
  /** Called when a stored value leaves the queue for a caller; returns what the caller gets. */
  take(stored: unknown): unknown;
  /** Like `take`, but the stored value stays stored (recorders read the same value repeatedly). */
  peek(stored: unknown): unknown;
  /** Called when a stored value is dropped without being taken (e.g. `clear()`). */
  release(stored: unknown): void;
  /**
   * Called with the parts of a caller's own output that a partial override replaced, so the
   * caller never sees them; must spare anything also found in `spare` (the call's arguments,
   * which a function may return unchanged).
   */
  discard(value: unknown, spare: readonly unknown[]): void;
}

/** Holds values as they are. */
export const identityValueHandler: QueuedValueHandler = {
  keep: (value) => value,
  take: (stored) => stored,
  peek: (stored) => stored,
  release: () => undefined,
  discard: () => undefined,
};

let current: QueuedValueHandler = identityValueHandler;

/** The handler in force; deliveries consult it on every queued value. */
export function queuedValueHandler(): QueuedValueHandler {
  return current;
}

/**
 * Installs the handler for queued values (the tfjs layer does this when it is imported).
 *
 * @param handler - The new handler.
 * @returns The previous handler, so a caller can put it back.
 */
export function setQueuedValueHandler(handler: QueuedValueHandler): QueuedValueHandler {
  const previous = current;
  current = handler;
  return previous;
}
