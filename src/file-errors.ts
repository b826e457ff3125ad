/**
 * Turns Node.js file-system errors into {@link DistillError}s that name the file and the fix.
 */
import { DistillError } from './errors.js';

function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

const HINTS: Record<string, string> = {
  EACCES: 'permission denied; choose a directory you can write to or fix its permissions',
  EPERM: 'operation not permitted; choose a directory you can write to or fix its permissions',
  EROFS: 'the file system is read-only; choose another directory',
  ENOSPC: 'the disk is full; free some space',
  ENOTDIR: 'a component of the path is a file, not a directory',
  EISDIR: 'a directory is in the way where a file is expected',
  EEXIST: 'a file is in the way where a directory is expected',
};

/**
 * Wraps a file-system error: `ENOENT` becomes `FILE_NOT_FOUND`, anything else `IO_ERROR`.
 * The original error is kept as `cause`.
 *
 * @param error - What the file system threw.
 * @param action - What was attempted, e.g. `'write'`.
 * @param path - The file or directory involved.
 * @param notFoundHint - Extra advice when the file does not exist.
 */
export function fileError(
  error: unknown,
  action: string,
  path: string,
  notFoundHint = '',
): DistillError {
  if (error instanceof DistillError) return error;
  const code = errnoCode(error);
  if (code === 'ENOENT') {
    return new DistillError(
      'FILE_NOT_FOUND',
      `Cannot ${action} ${path}: no such file or directory.${notFoundHint ? ` ${notFoundHint}` : ''}`,
      { cause: error },
    );
  }
  const reason = (code && HINTS[code]) ?? (error instanceof Error ? error.message : String(error));
  return new DistillError('IO_ERROR', `Cannot ${action} ${path}: ${reason}.`, { cause: error });
}
