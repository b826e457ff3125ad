/**
 * Access to Node.js built-in modules without importing them statically, so that the core of
 * tfjs-distill loads unchanged in browsers and bundlers (where these return `undefined`).
 */
import { DistillError } from './errors.js';

interface ProcessWithBuiltins {
  getBuiltinModule?: (id: string) => unknown;
}

/**
 * Returns a Node.js built-in module, or `undefined` outside Node.js.
 *
 * @param id - A built-in module id such as `'node:module'`.
 */
export function nodeBuiltin<T>(id: string): T | undefined {
  const proc = (globalThis as { process?: ProcessWithBuiltins }).process;
  // process.getBuiltinModule exists from Node 20.16; a static import would break browsers.
  return proc?.getBuiltinModule?.(id) as T | undefined;
}

/** Emits a Node.js process warning, or a console warning elsewhere. */
export function emitWarning(message: string, code: string): void {
  const proc = (globalThis as { process?: { emitWarning?: (m: string, o: object) => void } })
    .process;
  if (proc?.emitWarning) proc.emitWarning(message, { code, type: 'TfjsDistillWarning' });
  else console.warn(`[${code}] ${message}`);
}

/**
 * Returns a Node.js built-in module, or throws `UNSUPPORTED_PLATFORM` outside Node.js.
 *
 * Node-only features (reading MNIST files, checkpoints on disk) call this when they run rather
 * than importing the module statically, so that merely importing them stays browser-safe.
 *
 * @param id - A built-in module id such as `'node:fs'`.
 * @param feature - What needs it, for the message (e.g. `'loadMnist'`).
 */
export function requireNodeBuiltin<T>(id: string, feature: string): T {
  const mod = nodeBuiltin<T>(id);
  if (mod === undefined) {
    throw new DistillError(
      'UNSUPPORTED_PLATFORM',
      `${feature} needs the Node.js module ${id}, which is not available here. ` +
        'Run it under Node.js >= 20.19; in a browser, fetch the files yourself and use the pure parsers.',
    );
  }
  return mod;
}
