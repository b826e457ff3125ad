/**
 * Guesses what kind of data a path holds, for commands that take a path and pick the source.
 * Node.js only. The checks read at most a few kilobytes and never throw: unreadable or missing
 * paths give false.
 */
import type * as NodeFs from 'node:fs';
import type * as NodePath from 'node:path';
import { requireNodeBuiltin } from '../../node-builtins.js';
import { MNIST_FILES } from '../mnist.js';
import { detectDelimiter, splitFields } from './csv-scan.js';
import { NPY_MAGIC } from './npy-header.js';

function modules(): { fs: typeof NodeFs; path: typeof NodePath } {
  return {
    fs: requireNodeBuiltin<typeof NodeFs>('node:fs', 'data detection'),
    path: requireNodeBuiltin<typeof NodePath>('node:path', 'data detection'),
  };
}

async function head(file: string, bytes: number): Promise<Uint8Array | undefined> {
  const { fs } = modules();
  try {
    const handle = await fs.promises.open(file, 'r');
    try {
      const buffer = new Uint8Array(bytes);
      const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await modules().fs.promises.stat(file)).isFile();
  } catch {
    return false;
  }
}

async function isDir(dir: string): Promise<boolean> {
  try {
    return (await modules().fs.promises.stat(dir)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Whether `path` looks like a CSV file: text (no NUL bytes) whose first lines split into the
 * same number (at least 2) of fields with the detected delimiter.
 *
 * @param path - A file path.
 */
export async function looksLikeCsv(path: string): Promise<boolean> {
  if (!(await isFile(path))) return false;
  const bytes = await head(path, 8192);
  if (bytes === undefined || bytes.length === 0 || bytes.includes(0)) return false;
  const lines = new TextDecoder()
    .decode(bytes)
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  // The last line may be cut off by the 8 KiB window.
  const sample = lines.length > 2 ? lines.slice(0, -1) : lines;
  if (sample.length === 0) return false;
  const delimiter = detectDelimiter(sample[0]!);
  const width = splitFields(sample[0]!, delimiter).length;
  return width >= 2 && sample.every((l) => splitFields(l, delimiter).length === width);
}

/**
 * Whether `path` is a `.npy` file (by its magic), or a folder in one of `openNpy`'s layouts
 * (`x.npy` and `y.npy`, or `train/` and `test/` holding them).
 *
 * @param path - A file or folder path.
 */
export async function looksLikeNpy(path: string): Promise<boolean> {
  if (await isDir(path)) {
    const { path: p } = modules();
    const pair = async (...parts: string[]): Promise<boolean> =>
      (await looksLikeNpy(p.join(path, ...parts, 'x.npy'))) &&
      (await looksLikeNpy(p.join(path, ...parts, 'y.npy')));
    return (await pair()) || ((await pair('train')) && (await pair('test')));
  }
  const bytes = await head(path, NPY_MAGIC.length);
  return (
    bytes !== undefined &&
    bytes.length === NPY_MAGIC.length &&
    NPY_MAGIC.every((b, i) => bytes[i] === b)
  );
}

/**
 * Whether `path` is a folder holding the four uncompressed MNIST IDX files.
 *
 * @param path - A folder path.
 */
export async function looksLikeMnistDir(path: string): Promise<boolean> {
  if (!(await isDir(path))) return false;
  const { path: p } = modules();
  for (const name of Object.values(MNIST_FILES)) {
    if (!(await isFile(p.join(path, name)))) return false;
  }
  return true;
}
