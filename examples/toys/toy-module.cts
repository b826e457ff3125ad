/**
 * A toy CommonJS module (`.cts` compiles to `.cjs`), the target of the string form
 * `"./toys/toy-module.cjs#toyFunc"`. A CommonJS module's `exports` is a plain, mutable object,
 * so a delivery can patch its members.
 */

let calls = 0;

/** Returns a random integer in [0, 1000000), like the seed's `toy_func`. */
function toyFunc(): number {
  calls++;
  return Math.floor(Math.random() * 1_000_000);
}

/** How many times {@link toyFunc} really ran (a replayed call does not run it). */
function toyFuncCalls(): number {
  return calls;
}

export = { toyFunc, toyFuncCalls };
