/**
 * Access to Node.js built-in modules without importing them statically, so that the core of
 * tfjs-distill loads unchanged in browsers and bundlers (where these return `undefined`).
 */

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
