/**
 * String targets, `"<module>#<member>(.<member>)*"`, resolved like `require` from a base
 * directory. Node.js only: browsers and bundlers use the object forms.
 */
import { DistillError, DistillTypeError, describeValue } from '../errors.js';
import { emitWarning, nodeBuiltin } from '../node-builtins.js';
import { warnOnDualPackage } from './dual-package.js';

type RequireFn = ((id: string) => unknown) & { resolve(id: string): string };

interface NodeModuleApi {
  createRequire(from: string | URL): RequireFn;
}
interface NodePathApi {
  join(...parts: string[]): string;
  resolve(...parts: string[]): string;
}
interface NodeFs {
  statSync(path: string, options: { throwIfNoEntry: false }): { isFile(): boolean } | undefined;
}
interface NodeProcess {
  cwd(): string;
}

/**
 * Where string paths are resolved from: a directory, a module's file (`__filename`), or a
 * module's file URL (`import.meta.url`).
 */
export type ResolveFrom = string | URL;

/** A parsed string path. */
export interface ParsedPath {
  /** The module specifier before `#`. */
  readonly module: string;
  /** The member chain after `#`. */
  readonly members: readonly string[];
}

const MEMBER = /^[A-Za-z_$][\w$]*$/;

/**
 * Splits `"<module>#<member>(.<member>)*"` into its module and members.
 *
 * @param path - The string path.
 * @param option - The option name it was given as, for messages (`funcPath`, `methodPath`).
 * @param minMembers - How many members the path needs (2 for `Class.method`).
 */
export function parsePath(path: string, option: string, minMembers: number): ParsedPath {
  const hash = path.lastIndexOf('#');
  const example = minMembers > 1 ? '"./augments.js#Augments.call"' : '"./utils.js#assignLabels"';
  if (hash <= 0 || hash === path.length - 1) {
    throw new DistillError(
      'INVALID_PATH',
      `${option} ${describeValue(path)} has no member: write "<module>#<member>", e.g. ${example}.`,
    );
  }
  const module = path.slice(0, hash);
  const members = path.slice(hash + 1).split('.');
  const bad = members.find((m) => !MEMBER.test(m));
  if (bad !== undefined) {
    throw new DistillError(
      'INVALID_PATH',
      `${option} ${describeValue(path)} has an invalid member name ${describeValue(bad)}: members are identifiers joined by ".", e.g. ${example}.`,
    );
  }
  if (members.length < minMembers) {
    throw new DistillError(
      'INVALID_PATH',
      `${option} ${describeValue(path)} names no method: write "<module>#<Class>.<method>", e.g. ${example}.`,
    );
  }
  return { module, members };
}

function requireFrom(resolveFrom: ResolveFrom | undefined, option: string): RequireFn {
  const mod = nodeBuiltin<NodeModuleApi>('node:module');
  const pathApi = nodeBuiltin<NodePathApi>('node:path');
  const proc = (globalThis as { process?: NodeProcess }).process;
  if (!mod || !pathApi || !proc) {
    throw new DistillError(
      'INVALID_PATH',
      `${option} is a string, which needs Node.js to resolve modules. In browsers and bundles use the object form ({ owner, name } or { cls, name }).`,
    );
  }
  if (
    resolveFrom instanceof URL ||
    (typeof resolveFrom === 'string' && resolveFrom.startsWith('file:'))
  ) {
    return mod.createRequire(resolveFrom);
  }
  if (resolveFrom !== undefined && typeof resolveFrom !== 'string') {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `resolveFrom must be a directory path or a file URL, but got ${describeValue(resolveFrom)}.`,
    );
  }
  const base = pathApi.resolve(resolveFrom ?? proc.cwd());
  // A module's own file (e.g. __filename) resolves relative to its directory, like require.
  if (nodeBuiltin<NodeFs>('node:fs')?.statSync(base, { throwIfNoEntry: false })?.isFile()) {
    return mod.createRequire(base);
  }
  // createRequire wants a file inside the base directory; the file need not exist.
  return mod.createRequire(pathApi.join(base, '__tfjs_distill_resolve__.js'));
}

function describeBase(resolveFrom: ResolveFrom | undefined): string {
  if (resolveFrom === undefined) return 'the current directory (process.cwd())';
  return String(resolveFrom);
}

/**
 * Loads the module a string path names, as `require` would from `resolveFrom` (Node >= 20.19
 * also `require`s ES modules, returning the same namespace object `import` returns).
 */
export function loadModule(
  parsed: ParsedPath,
  resolveFrom: ResolveFrom | undefined,
  option: string,
): unknown {
  const req = requireFrom(resolveFrom, option);
  let file: string;
  try {
    file = req.resolve(parsed.module);
  } catch (cause) {
    throw new DistillError(
      'MODULE_NOT_FOUND',
      `${option}: cannot find module ${describeValue(parsed.module)} from ${describeBase(resolveFrom)}. ` +
        'Check the spelling, install the package, or set resolveFrom to the directory the path is relative to.',
      { cause },
    );
  }
  try {
    const loaded = req(parsed.module);
    warnOnDualPackage(parsed.module, file, (message) =>
      emitWarning(`${option}: ${message}`, 'TFJS_DISTILL_DUAL_PACKAGE'),
    );
    return loaded;
  } catch (cause) {
    const code = (cause as { code?: unknown }).code;
    const hint =
      code === 'ERR_REQUIRE_ASYNC_MODULE'
        ? 'It uses top-level await, which require() cannot load; use the object form with a module you import yourself.'
        : 'Fix the error it throws, or use the object form with a module you import yourself.';
    throw new DistillError(
      'MODULE_NOT_FOUND',
      `${option}: loading module ${describeValue(parsed.module)} (${file}) failed: ${String(cause)}. ${hint}`,
      { cause },
    );
  }
}

/**
 * Walks `members` from `root`, returning the last object reached and the final member name.
 */
export function walkMembers(
  root: unknown,
  parsed: ParsedPath,
  count: number,
  option: string,
  path: string,
): unknown {
  let value = root;
  for (let i = 0; i < count; i++) {
    const member = parsed.members[i]!;
    if (
      (typeof value !== 'object' && typeof value !== 'function') ||
      value === null ||
      !(member in value)
    ) {
      const where =
        i === 0 ? `module ${describeValue(parsed.module)}` : parsed.members.slice(0, i).join('.');
      const keys =
        (typeof value === 'object' || typeof value === 'function') && value !== null
          ? Object.keys(value).slice(0, 20)
          : [];
      throw new DistillError(
        'MEMBER_NOT_FOUND',
        `${option} ${describeValue(path)}: ${where} has no member ${describeValue(member)}` +
          (keys.length ? ` (it has: ${keys.join(', ')}).` : '.'),
      );
    }
    value = (value as Record<string, unknown>)[member];
  }
  return value;
}
