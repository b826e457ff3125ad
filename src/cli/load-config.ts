/**
 * Loading a run config file: `.json`, `.js`/`.mjs` (default export), or `.ts`/`.mts`
 * (compiled on the fly with the `typescript` package, which must then be installed).
 */
import type * as NodeFs from 'node:fs';
import type * as NodePath from 'node:path';
import { pathToFileURL } from 'node:url';
import { DistillError } from '../errors.js';
import { requireNodeBuiltin } from '../node-builtins.js';

/** A loaded config file. */
export interface LoadedConfig {
  /** What the file exports (or contains). */
  readonly raw: unknown;
  /** Its folder: relative paths in the config are resolved from here. */
  readonly baseDir: string;
  /** Its base name without extension: the run's default name. */
  readonly defaultName: string;
  /** The file's absolute path. */
  readonly file: string;
}

interface TypeScriptApi {
  transpileModule(
    input: string,
    options: { compilerOptions: Record<string, unknown>; fileName: string },
  ): { outputText: string };
  ModuleKind: { ESNext: number };
  ScriptTarget: { ES2022: number };
}

function configError(file: string, message: string, cause?: unknown): DistillError {
  return new DistillError(
    'INVALID_CONFIG',
    `${file}: ${message}`,
    cause === undefined ? undefined : { cause },
  );
}

async function importDefault(url: string, file: string): Promise<unknown> {
  let mod: { default?: unknown };
  try {
    mod = (await import(url)) as { default?: unknown };
  } catch (cause) {
    throw configError(
      file,
      `loading the config failed: ${cause instanceof Error ? cause.message : String(cause)}`,
      cause,
    );
  }
  if (!('default' in mod))
    throw configError(
      file,
      'the config module has no default export; write `export default defineConfig({ ... })`.',
    );
  return mod.default;
}

async function loadTypeScript(
  file: string,
  fs: typeof NodeFs,
  path: typeof NodePath,
): Promise<unknown> {
  let ts: TypeScriptApi;
  try {
    ts = ((await import('typescript')) as { default: TypeScriptApi }).default;
  } catch (cause) {
    throw configError(
      file,
      'a .ts config needs the "typescript" package: npm install --save-dev typescript (or write the config as .json or .mjs).',
      cause,
    );
  }
  const source = fs.readFileSync(file, 'utf8');
  const { outputText } = ts.transpileModule(source, {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  // Compiled beside the original, so its relative imports and packages resolve the same way.
  const temp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${Date.now()}.mjs`,
  );
  fs.writeFileSync(temp, outputText);
  try {
    return await importDefault(pathToFileURL(temp).href, file);
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/**
 * Loads a run config file.
 *
 * @throws `INVALID_CONFIG` (a missing file, invalid JSON, a failing module, no default export,
 *   an unknown extension), naming the file.
 */
export async function loadConfigFile(file: string): Promise<LoadedConfig> {
  const fs = requireNodeBuiltin<typeof NodeFs>('node:fs', 'config files');
  const path = requireNodeBuiltin<typeof NodePath>('node:path', 'config files');
  const full = path.resolve(file);
  if (!fs.existsSync(full) || !fs.statSync(full).isFile()) {
    throw new DistillError('FILE_NOT_FOUND', `Config file ${file} does not exist.`);
  }
  const ext = path.extname(full).toLowerCase();
  const base = {
    baseDir: path.dirname(full),
    defaultName: path.basename(full, path.extname(full)),
    file: full,
  };
  switch (ext) {
    case '.json': {
      try {
        return { ...base, raw: JSON.parse(fs.readFileSync(full, 'utf8')) as unknown };
      } catch (cause) {
        throw configError(
          file,
          `not valid JSON: ${cause instanceof Error ? cause.message : String(cause)}`,
          cause,
        );
      }
    }
    case '.js':
    case '.mjs':
      return { ...base, raw: await importDefault(pathToFileURL(full).href, file) };
    case '.ts':
    case '.mts':
      return { ...base, raw: await loadTypeScript(full, fs, path) };
    default:
      throw configError(
        file,
        `unknown config file type "${ext}"; use .json, .js, .mjs, .ts or .mts.`,
      );
  }
}
