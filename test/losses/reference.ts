/**
 * Plain-JavaScript arithmetic the loss tests compare tfjs results with. Nothing here calls tfjs,
 * so a bug in the library cannot hide in the expected values.
 */

/** `softmax(row / tau)`. */
export function softmax(row: readonly number[], tau = 1): number[] {
  const scaled = row.map((x) => x / tau);
  const max = Math.max(...scaled);
  const exps = scaled.map((x) => Math.exp(x - max));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}

/** KL(p ‖ q) = Σ p · ln(p / q), with 0 · ln 0 = 0. */
export function kl(p: readonly number[], q: readonly number[]): number {
  return p.reduce((sum, pi, i) => (pi === 0 ? sum : sum + pi * Math.log(pi / q[i]!)), 0);
}

/** −Σ p · ln q. */
export function crossEntropy(p: readonly number[], q: readonly number[]): number {
  return -p.reduce((sum, pi, i) => sum + pi * Math.log(q[i]!), 0);
}

/** The entries of `row` except the one at `index`. */
export function without(row: readonly number[], index: number): number[] {
  return row.filter((_, i) => i !== index);
}

/** Sum of an array. */
export function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
