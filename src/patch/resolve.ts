/**
 * Resolves a delivery's or recorder's target, in string or object form, to a validated
 * {@link PatchPoint}.
 */
import { DistillError, DistillTypeError, describeValue } from '../errors.js';
import { loadModule, parsePath, walkMembers, type ResolveFrom } from './module-path.js';
import { assertPatchable } from './patchability.js';
import { unwrap } from './site.js';
import type { AnyFunction, FunctionTarget, MethodTarget, PatchPoint } from './target.js';

function isObjectLike(value: unknown): value is object {
  return (typeof value === 'object' || typeof value === 'function') && value !== null;
}

function keyName(key: string | symbol): string {
  return typeof key === 'symbol' ? `[${key.toString()}]` : key;
}

function ownerName(owner: object): string {
  if (typeof owner === 'function') return owner.name || '(anonymous function)';
  const ctor = (owner as { constructor?: { name?: unknown } }).constructor;
  return typeof ctor?.name === 'string' && ctor.name !== 'Object'
    ? `(${ctor.name} instance)`
    : '(object)';
}

function checkKey(key: unknown, option: string): asserts key is string | symbol {
  if (typeof key !== 'string' && typeof key !== 'symbol') {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `${option}.name must be a string or symbol, but got ${describeValue(key)}.`,
    );
  }
}

function functionPoint(owner: object, key: string | symbol, label: string): PatchPoint {
  if (!(key in owner)) {
    throw new DistillError(
      'MEMBER_NOT_FOUND',
      `${label} does not exist: the object has no member ${describeValue(key)} (it has: ${Object.keys(owner).slice(0, 20).join(', ') || 'no enumerable members'}).`,
    );
  }
  const value = (owner as Record<string | symbol, unknown>)[key];
  if (typeof value !== 'function') {
    throw new DistillError(
      'NOT_A_FUNCTION',
      `${label} is not a function but ${describeValue(value)}; deliveries and recorders intercept functions.`,
    );
  }
  assertPatchable(owner, key, label);
  return { owner, key, original: unwrap(value as AnyFunction), label };
}

function methodPoint(cls: unknown, key: string | symbol, label: string): PatchPoint {
  if (typeof cls !== 'function' || !isObjectLike((cls as { prototype?: unknown }).prototype)) {
    throw new DistillError(
      'NOT_A_FUNCTION',
      `${label}: ${describeValue(cls)} is not a class; a method target needs a class whose prototype defines the method.`,
    );
  }
  const proto = (cls as { prototype: object }).prototype;
  for (let o: object | null = proto; o !== null; o = Object.getPrototypeOf(o) as object | null) {
    const d = Object.getOwnPropertyDescriptor(o, key);
    if (d === undefined) continue;
    if (d.get !== undefined || d.set !== undefined) {
      throw new DistillError(
        'NOT_A_FUNCTION',
        `${label} is a getter/setter, not a method. Intercept the function it returns through its owner ({ owner, name }), or target a method.`,
      );
    }
    if (typeof d.value !== 'function') {
      throw new DistillError(
        'NOT_A_FUNCTION',
        `${label} is not a method but ${describeValue(d.value)}.`,
      );
    }
    assertPatchable(proto, key, label);
    return { owner: proto, key, original: unwrap(d.value as AnyFunction), label };
  }
  const names = Object.getOwnPropertyNames(proto).filter((n) => n !== 'constructor');
  throw new DistillError(
    'MEMBER_NOT_FOUND',
    `${label} does not exist: class ${(cls as { name: string }).name || '(anonymous)'} has no method ${describeValue(key)}` +
      (names.length ? ` (it has: ${names.join(', ')}).` : '.'),
  );
}

function checkPathType(path: unknown, option: string, form: string): void {
  if (typeof path !== 'string' && !isObjectLike(path)) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `${option} must be a string "${form}" or an object, but got ${describeValue(path)}.`,
    );
  }
}

/**
 * Resolves a function target: `"<module>#<member>(.<member>)*"` or `{ owner, name }`.
 *
 * @param path - The target.
 * @param resolveFrom - Base for string paths (default: `process.cwd()`).
 * @param option - The option's name for messages.
 */
export function resolveFunctionTarget(
  path: string | FunctionTarget,
  resolveFrom?: ResolveFrom,
  option = 'funcPath',
): PatchPoint {
  checkPathType(path, option, '<module>#<member>');
  if (typeof path === 'string') {
    const parsed = parsePath(path, option, 1);
    const root = loadModule(parsed, resolveFrom, option);
    const count = parsed.members.length;
    walkMembers(root, parsed, count, option, path); // names the first missing member
    const owner = walkMembers(root, parsed, count - 1, option, path);
    return functionPoint(
      owner as object,
      parsed.members[count - 1]!,
      `function ${describeValue(path)}`,
    );
  }
  const { owner, name } = path as { owner?: unknown; name?: unknown };
  if (!isObjectLike(owner)) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `${option}.owner must be the object that holds the function, but got ${describeValue(owner)}.`,
    );
  }
  checkKey(name, option);
  return functionPoint(owner, name, `function ${ownerName(owner)}.${keyName(name)}`);
}

/**
 * Resolves a method target: `"<module>#<Class>.<method>"` or `{ cls, name }`; the point is
 * `cls.prototype[name]`, shadowing an inherited method if needed.
 *
 * @param path - The target.
 * @param resolveFrom - Base for string paths (default: `process.cwd()`).
 * @param option - The option's name for messages.
 */
export function resolveMethodTarget(
  path: string | MethodTarget,
  resolveFrom?: ResolveFrom,
  option = 'methodPath',
): PatchPoint {
  checkPathType(path, option, '<module>#<Class>.<method>');
  if (typeof path === 'string') {
    const parsed = parsePath(path, option, 2);
    const root = loadModule(parsed, resolveFrom, option);
    const cls = walkMembers(root, parsed, parsed.members.length - 1, option, path);
    const name = parsed.members[parsed.members.length - 1]!;
    return methodPoint(cls, name, `method ${describeValue(path)}`);
  }
  const { cls, name } = path as { cls?: unknown; name?: unknown };
  checkKey(name, option);
  const className =
    typeof cls === 'function' ? cls.name || '(anonymous class)' : describeValue(cls);
  return methodPoint(cls, name, `method ${className}.prototype.${keyName(name)}`);
}
