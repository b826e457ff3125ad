/**
 * Weight files in the layout tfjs-converter writes: one weights group cut into shards of at most
 * a given size (`group1-shard1of3.bin`, ...), so that a browser fetches them in parallel and
 * caches each one on its own. A weight may span two shards; the loader joins them first.
 */
import { DistillError, describeValue } from '../errors.js';
import type { FileToWrite } from '../train/model-files.js';

/** tfjs-converter's default shard size: 4 MiB. */
export const DEFAULT_SHARD_BYTES = 4 * 1024 * 1024;

/**
 * Checks a shard size in MiB from a user.
 *
 * @param value - Megabytes (MiB) per shard, a positive number.
 * @param path - Where it came from, for the message.
 * @returns The size in bytes.
 */
export function shardBytesFromMb(value: unknown, path: string): number {
  const mb = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof mb !== 'number' || !Number.isFinite(mb) || mb <= 0) {
    throw new DistillError(
      'INVALID_ARGUMENT',
      `${path} must be a positive number of megabytes per weight file, such as 4, but got ${describeValue(value)}.`,
    );
  }
  return Math.max(1, Math.round(mb * 1024 * 1024));
}

/**
 * Cuts `data` into shard files of at most `shardBytes` bytes each.
 *
 * @param data - All weight bytes of the group, concatenated.
 * @param shardBytes - Largest size of one file.
 * @returns The files, named as tfjs-converter names them (at least one, possibly empty).
 */
export function shardFiles(data: Uint8Array, shardBytes: number): FileToWrite[] {
  const count = Math.max(1, Math.ceil(data.length / shardBytes));
  return Array.from({ length: count }, (_, i) => ({
    name: `group1-shard${i + 1}of${count}.bin`,
    data: data.subarray(i * shardBytes, Math.min(data.length, (i + 1) * shardBytes)),
  }));
}
