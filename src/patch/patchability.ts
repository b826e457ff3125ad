/**
 * Decides whether a property can be replaced and restored exactly, and explains why not.
 */
import { DistillError } from '../errors.js';

/** Is `value` an ES module namespace object (sealed, its exports read-only)? */
export function isModuleNamespace(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.getPrototypeOf(value) === null &&
    (value as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag] === 'Module'
  );
}

function unpatchable(label: string, why: string, fix: string): DistillError {
  return new DistillError('UNPATCHABLE_TARGET', `Cannot intercept ${label}: ${why} ${fix}`);
}

/**
 * Throws a `DistillError` with code `UNPATCHABLE_TARGET` if `owner[key]` cannot be replaced
 * by a wrapper and restored afterwards.
 *
 * @param owner - The object holding (or inheriting) the property.
 * @param key - The property key.
 * @param label - The target's name for the message.
 */
export function assertPatchable(owner: object, key: string | symbol, label: string): void {
  if (isModuleNamespace(owner)) {
    throw unpatchable(
      label,
      'it is an export of an ES module namespace, which is sealed: its bindings cannot be replaced from outside.',
      'Target an object that callers read the function from instead: a class method ({ cls, name } or "module#Class.method"), ' +
        'or a mutable object the module exports and calls through (export const ops = { fn }; ops.fn(...)), passed as { owner, name }.',
    );
  }
  const own = Object.getOwnPropertyDescriptor(owner, key);
  if (own === undefined) {
    if (!Object.isExtensible(owner)) {
      throw unpatchable(
        label,
        'the object inherits the function but is frozen, sealed or non-extensible, so no own wrapper can shadow it.',
        'Target the prototype that defines the function, or an unfrozen copy of the object.',
      );
    }
    return;
  }
  if (own.get !== undefined || own.set !== undefined) {
    // Re-exports compile to getters that read another module's exports: replacing the getter
    // would only reach callers that go through this module, so refuse and point at the source.
    throw unpatchable(
      label,
      "it is a getter, as a re-export defines it (`export { f } from`, `export * from`, TypeScript's __exportStar or a bundler's export getter).",
      'Target the module that defines the function, whose own exports object callers read it from.',
    );
  }
  if (own.configurable) return;
  if (!own.writable) {
    const frozen = Object.isFrozen(owner)
      ? 'the object is frozen'
      : 'the property is read-only and non-configurable';
    throw unpatchable(
      label,
      `${frozen}.`,
      'Target a mutable object that callers read the function from, or intercept it before the object is frozen.',
    );
  }
}
