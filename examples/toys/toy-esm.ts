/**
 * A toy ES module. Its exports live on a sealed module namespace, so they cannot be patched:
 * a delivery on `{ owner: namespace, name: 'toyFunc' }` throws `UNPATCHABLE_TARGET`.
 */

/** Returns a random integer in [0, 1000000). */
export function toyFunc(): number {
  return Math.floor(Math.random() * 1_000_000);
}
