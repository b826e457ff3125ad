/**
 * Puts an exported model's files into a directory, all or nothing (Node.js only): they are
 * written into a fresh temporary directory beside the target, which is then renamed into place,
 * so a failure or a crash never leaves a half-written model where a page would load it.
 */
import type * as NodeFs from 'node:fs';
import type * as NodePath from 'node:path';
import { DistillError } from '../errors.js';
import { fileError } from '../file-errors.js';
import { requireNodeBuiltin } from '../node-builtins.js';
import { writeFilesAtomically } from '../train/atomic-write.js';
import type { FileToWrite } from '../train/model-files.js';

/** Options of {@link writeExport}. */
export interface WriteExportOptions {
  /** Replace a directory that exists and is not empty. */
  readonly force?: boolean;
  /** The flag that allows replacing, for the message. Default `force: true`. */
  readonly forceHint?: string;
  /**
   * Runs on the complete files in the temporary directory before it is renamed into place, and
   * returns more files to add (a report of measurements on them, say). When it throws, nothing
   * is written.
   */
  readonly beforeCommit?: (tempDir: string) => Promise<readonly FileToWrite[]>;
}

/**
 * Writes `files` as the contents of `dir`, replacing it whole with `force`.
 *
 * @param dir - The target directory; its parent is created if needed.
 * @param files - The files (plain names).
 * @param options - Whether to replace an existing directory.
 * @throws DistillError `INVALID_ARGUMENT` for a non-empty `dir` without `force`, or a `dir` that
 *   is a file; `IO_ERROR` naming the path when the disk refuses.
 */
export async function writeExport(
  dir: string,
  files: readonly FileToWrite[],
  options: WriteExportOptions = {},
): Promise<void> {
  const fs = requireNodeBuiltin<typeof NodeFs>('node:fs', 'writeExport');
  const path = requireNodeBuiltin<typeof NodePath>('node:path', 'writeExport');
  const target = path.resolve(dir);
  const existing = fs.existsSync(target) ? fs.statSync(target) : undefined;
  if (existing && !existing.isDirectory()) {
    throw new DistillError(
      'INVALID_ARGUMENT',
      `${dir} is a file; give a directory to export into.`,
    );
  }
  const nonEmpty = existing !== undefined && fs.readdirSync(target).length > 0;
  if (nonEmpty && !options.force) {
    throw new DistillError(
      'INVALID_ARGUMENT',
      `${dir} exists and is not empty: choose another directory, or pass ${options.forceHint ?? 'force: true'} to replace it.`,
    );
  }
  const parent = path.dirname(target);
  let temp: string;
  try {
    fs.mkdirSync(parent, { recursive: true });
    temp = fs.mkdtempSync(path.join(parent, `.tmp-${path.basename(target)}-`));
    // mkdtemp makes it private; the export is for serving, so give it the usual permissions.
    fs.chmodSync(temp, 0o777 & ~process.umask());
  } catch (error) {
    throw fileError(error, 'create a directory in', parent);
  }
  let old: string | undefined;
  try {
    await writeFilesAtomically(temp, files, 'writeExport');
    const more = (await options.beforeCommit?.(temp)) ?? [];
    if (more.length > 0) await writeFilesAtomically(temp, more, 'writeExport');
    if (existing) {
      // Move the old one aside first: a rename cannot replace a non-empty directory.
      old = `${temp}-old`;
      fs.renameSync(target, old);
    }
    try {
      fs.renameSync(temp, target);
    } catch (error) {
      if (old !== undefined) fs.renameSync(old, target);
      old = undefined;
      throw error;
    }
  } catch (error) {
    fs.rmSync(temp, { recursive: true, force: true });
    throw error instanceof DistillError ? error : fileError(error, 'write', dir);
  } finally {
    if (old !== undefined) fs.rmSync(old, { recursive: true, force: true });
  }
}
