/**
 * Random-access reads of byte ranges of a file, used by the streaming sources (CSV, NPY) to read
 * the rows of one batch without holding the file in memory. Node.js only.
 */
import type * as NodeFs from 'node:fs';
import { DistillError } from '../../errors.js';
import { fileError } from '../../file-errors.js';
import { requireNodeBuiltin } from '../../node-builtins.js';

/** The part of a file handle the streaming sources use: positioned reads and close. */
export interface RandomAccessFile {
  /**
   * Reads up to `length` bytes at byte `position` into `buffer` at `offset`.
   *
   * @returns The number of bytes read (fewer only at the end of the file).
   */
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number>;
  /** The file's size in bytes. */
  size(): Promise<number>;
  /** Releases the file. */
  close(): Promise<void>;
}

/**
 * Opens a file for positioned reads. Sources accept their own opener (`openFile`) so that rows
 * can come from other storage, and so tests can count reads.
 */
export type OpenFile = (path: string) => Promise<RandomAccessFile>;

/** The default {@link OpenFile}: a Node.js `fs.promises` file handle. */
export const openLocalFile: OpenFile = async (path) => {
  const fs = requireNodeBuiltin<typeof NodeFs>('node:fs', 'data sources');
  let handle: NodeFs.promises.FileHandle;
  try {
    handle = await fs.promises.open(path, 'r');
  } catch (error) {
    throw fileError(error, 'open', path);
  }
  return {
    read: async (buffer, offset, length, position) =>
      (await handle.read(buffer, offset, length, position)).bytesRead,
    size: async () => (await handle.stat()).size,
    close: () => handle.close(),
  };
};

/** A byte range `[start, end)` of a file. */
export interface ByteRange {
  /** First byte. */
  readonly start: number;
  /** One past the last byte. */
  readonly end: number;
}

// Ranges closer than this are read in one call: one larger read beats two system calls.
const MERGE_GAP = 16 * 1024;
// ...but one read never spans more than this, so a batch's reads stay small.
const MAX_READ = 4 * 1024 * 1024;
// Reads in flight at once for one batch.
const PARALLEL_READS = 8;

/**
 * Reads several byte ranges, merging nearby ones into one read, and returns each range's bytes
 * in the order given.
 *
 * @param file - The open file.
 * @param ranges - The ranges to read.
 * @param name - The file's path, for messages.
 * @throws DistillError `IO_ERROR` on a read error, `DATA_CORRUPT` when the file ends early
 *   (it was truncated after the source indexed it).
 */
export async function readRanges(
  file: RandomAccessFile,
  ranges: readonly ByteRange[],
  name: string,
): Promise<Uint8Array[]> {
  const order = ranges.map((_, i) => i).sort((a, b) => ranges[a]!.start - ranges[b]!.start);
  // Merge sorted ranges into groups: [first index in order, one past the last, start, end].
  const groups: [number, number, number, number][] = [];
  let i = 0;
  while (i < order.length) {
    const start = ranges[order[i]!]!.start;
    let end = ranges[order[i]!]!.end;
    let j = i + 1;
    while (j < order.length) {
      const next = ranges[order[j]!]!;
      if (next.start - end > MERGE_GAP || Math.max(end, next.end) - start > MAX_READ) break;
      end = Math.max(end, next.end);
      j++;
    }
    groups.push([i, j, start, end]);
    i = j;
  }
  const out = new Array<Uint8Array>(ranges.length);
  // A few reads in flight at once: each waits on the disk or the thread pool, not on the CPU.
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < groups.length) {
      const [from, to, start, end] = groups[next++]!;
      const bytes = await readExactly(file, start, end - start, name);
      for (let k = from; k < to; k++) {
        const r = ranges[order[k]!]!;
        out[order[k]!] = bytes.subarray(r.start - start, r.end - start);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_READS, groups.length) }, worker));
  return out;
}

/**
 * Reads exactly `length` bytes at `position`.
 *
 * @throws DistillError `DATA_CORRUPT` when the file ends first.
 */
export async function readExactly(
  file: RandomAccessFile,
  position: number,
  length: number,
  name: string,
): Promise<Uint8Array> {
  const buffer = new Uint8Array(length);
  let done = 0;
  // A single read may return fewer bytes than asked; loop until the range is filled.
  while (done < length) {
    let n: number;
    try {
      n = await file.read(buffer, done, length - done, position + done);
    } catch (error) {
      throw fileError(error, 'read', name);
    }
    if (n === 0) {
      throw new DistillError(
        'DATA_CORRUPT',
        `${name} ended at byte ${position + done}, but a row was indexed up to byte ${position + length}; was the file changed after it was opened? Open it again.`,
      );
    }
    done += n;
  }
  return buffer;
}
