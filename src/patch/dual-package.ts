/**
 * Detects the dual-package hazard: a package whose `exports` send `import` and `require` to
 * different files has two copies of each class, and patching the copy `require` loads does
 * nothing to code that imported the other one.
 */
import { nodeBuiltin } from '../node-builtins.js';

interface NodeFs {
  readFileSync(path: string, encoding: 'utf8'): string;
  existsSync(path: string): boolean;
}
interface NodePath {
  dirname(path: string): string;
  join(...parts: string[]): string;
}

function packageName(specifier: string): { name: string; subpath: string } | undefined {
  if (
    specifier.startsWith('.') ||
    specifier.startsWith('/') ||
    specifier.startsWith('#') ||
    specifier.includes(':')
  ) {
    return undefined;
  }
  const parts = specifier.split('/');
  const nameParts = specifier.startsWith('@') ? 2 : 1;
  const name = parts.slice(0, nameParts).join('/');
  const rest = parts.slice(nameParts).join('/');
  return { name, subpath: rest ? `./${rest}` : '.' };
}

/** The first file an exports entry yields for a condition (searching nested conditions). */
function targetFor(entry: unknown, condition: string): string | undefined {
  if (typeof entry === 'string') return entry;
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return undefined;
  const record = entry as Record<string, unknown>;
  for (const key of [condition, 'node', 'default']) {
    if (key in record) {
      const found = targetFor(record[key], condition);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/**
 * Calls `warn` with an explanation when the package behind `specifier` ships separate ESM and
 * CommonJS entry points for the requested subpath.
 *
 * @param specifier - The module specifier of a string path.
 * @param resolvedFile - The file `require.resolve` found for it.
 * @param warn - Receives the explanation.
 */
export function warnOnDualPackage(
  specifier: string,
  resolvedFile: string,
  warn: (message: string) => void,
): void {
  const pkg = packageName(specifier);
  const fs = nodeBuiltin<NodeFs>('node:fs');
  const path = nodeBuiltin<NodePath>('node:path');
  if (!pkg || !fs || !path) return;
  let dir = path.dirname(resolvedFile);
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      try {
        const json = JSON.parse(fs.readFileSync(file, 'utf8')) as {
          name?: unknown;
          exports?: unknown;
        };
        if (json.name === pkg.name) {
          const exportsField = json.exports;
          const entry =
            typeof exportsField === 'object' && exportsField !== null && pkg.subpath in exportsField
              ? (exportsField as Record<string, unknown>)[pkg.subpath]
              : pkg.subpath === '.'
                ? exportsField
                : undefined;
          const viaImport = targetFor(entry, 'import');
          const viaRequire = targetFor(entry, 'require');
          if (viaImport !== undefined && viaRequire !== undefined && viaImport !== viaRequire) {
            warn(
              `package "${pkg.name}" ships separate ES module (${viaImport}) and CommonJS (${viaRequire}) builds. ` +
                'The string path patches the CommonJS copy; code that imports the package gets the other copy and is not intercepted. ' +
                'Pass the class or object you import yourself ({ cls, name } or { owner, name }) instead.',
            );
          }
          return;
        }
      } catch {
        return;
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return;
    dir = parent;
  }
}
