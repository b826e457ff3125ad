/**
 * Crash-safe writing of a group of files into one directory (Node.js only).
 *
 * Every file is first written in full to a temporary file in the target directory and flushed
 * to disk; only then are the temporary files renamed over their final names, in the order
 * given. A rename within one directory is atomic, so a reader (or a crash) sees either the old
 * or the new version of each file, never a partial one. Callers list the file that refers to
 * the others (model.json, checkpoint.json) last.
 */
import type * as NodeCrypto from 'node:crypto';
import type * as NodeFs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type * as NodePath from 'node:path';
import { fileError } from '../file-errors.js';
import { requireNodeBuiltin } from '../node-builtins.js';
import type { FileToWrite } from './model-files.js';

/** Prefix of temporary files, so stray ones are easy to recognise (and to ignore). */
export const TEMP_PREFIX = '.tmp-';

function node(feature: string): {
  fs: typeof NodeFs;
  path: typeof NodePath;
  crypto: typeof NodeCrypto;
} {
  return {
    fs: requireNodeBuiltin<typeof NodeFs>('node:fs', feature),
    path: requireNodeBuiltin<typeof NodePath>('node:path', feature),
    crypto: requireNodeBuiltin<typeof NodeCrypto>('node:crypto', feature),
  };
}

/**
 * Writes `files` into `dir` atomically, in order; creates `dir` if needed. On failure no
 * temporary file is left behind and files not yet renamed keep their previous contents.
 *
 * @param dir - Target directory.
 * @param files - Names and contents; the last one is committed last.
 * @param feature - The calling API, for the message when not running in Node.js.
 * @throws DistillError `IO_ERROR` (or `FILE_NOT_FOUND`) naming the path and the reason.
 */
export async function writeFilesAtomically(
  dir: string,
  files: readonly FileToWrite[],
  feature = 'writeFilesAtomically',
): Promise<void> {
  const { fs, path, crypto } = node(feature);
  try {
    await fs.promises.mkdir(dir, { recursive: true });
  } catch (error) {
    throw fileError(error, 'create directory', dir);
  }
  const pending: { temp: string; final: string }[] = [];
  try {
    for (const file of files) {
      const final = path.join(dir, file.name);
      const temp = path.join(
        dir,
        `${TEMP_PREFIX}${file.name}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`,
      );
      pending.push({ temp, final });
      await writeDurably(fs, temp, file.data, final);
    }
    while (pending.length > 0) {
      const { temp, final } = pending[0]!;
      try {
        await fs.promises.rename(temp, final);
      } catch (error) {
        throw fileError(error, 'replace', final);
      }
      pending.shift();
    }
    await syncDirectory(fs, dir);
  } finally {
    await Promise.all(pending.map(({ temp }) => fs.promises.rm(temp, { force: true })));
  }
}

async function writeDurably(
  fs: typeof NodeFs,
  temp: string,
  data: Uint8Array,
  final: string,
): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await fs.promises.open(temp, 'wx');
    await handle.writeFile(data);
    // Flush before the rename: otherwise a crash could leave the new name on empty data.
    await handle.sync();
  } catch (error) {
    throw fileError(error, 'write', final);
  } finally {
    await handle?.close();
  }
}

/** Makes the renames themselves durable; not every platform can open a directory, so best effort. */
async function syncDirectory(fs: typeof NodeFs, dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await fs.promises.open(dir, 'r');
    await handle.sync();
  } catch {
    // Windows cannot fsync a directory; the renames are still atomic there.
  } finally {
    await handle?.close();
  }
}

/**
 * Reads a whole file.
 *
 * @param file - Its path.
 * @param what - What it is, for the message (e.g. `'checkpoint'`).
 * @param notFoundHint - Advice when it does not exist.
 * @throws DistillError `FILE_NOT_FOUND` or `IO_ERROR`.
 */
export async function readFileBytes(
  file: string,
  what: string,
  notFoundHint = '',
): Promise<Uint8Array> {
  const fs = requireNodeBuiltin<typeof NodeFs>('node:fs', what);
  try {
    return new Uint8Array(await fs.promises.readFile(file));
  } catch (error) {
    throw fileError(error, `read ${what}`, file, notFoundHint);
  }
}

/**
 * The SHA-256 of `data` as hex, to detect files that do not belong together.
 *
 * @param data - Bytes to hash.
 */
export function sha256(data: Uint8Array): string {
  const { crypto } = node('sha256');
  return crypto.createHash('sha256').update(data).digest('hex');
}
