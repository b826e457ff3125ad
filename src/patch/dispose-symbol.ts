/**
 * `Symbol.dispose` for runtimes that lack it (older browsers), under the registered name that
 * TypeScript's `using` helpers and the TC39 polyfills agree on.
 */
const symbolCtor = Symbol as unknown as { dispose?: symbol };
if (symbolCtor.dispose === undefined) {
  Object.defineProperty(Symbol, 'dispose', { value: Symbol.for('Symbol.dispose') });
}

export {};
