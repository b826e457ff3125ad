/**
 * Reading data sources in tests, and temporary folders for their files.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import type { DataSplit, SplitReadOptions } from '../../src/data/sources/source.js';
import type { OpenFile } from '../../src/data/sources/random-access.js';
import { openLocalFile } from '../../src/data/sources/random-access.js';

/** Every example of one pass over a split, disposing each batch. */
export interface Collected {
  readonly xs: number[][];
  readonly ys: number[];
  readonly sizes: number[];
  readonly shapes: number[][];
}

/** Reads a whole split once (default: batch 16, seed 1, epoch 0), flattening examples. */
export async function collect(
  split: DataSplit,
  options: Partial<SplitReadOptions> = {},
): Promise<Collected> {
  const xs: number[][] = [];
  const ys: number[] = [];
  const sizes: number[] = [];
  const shapes: number[][] = [];
  const read: SplitReadOptions = { batchSize: 16, seed: 1, epoch: 0, ...options };
  for await (const batch of split.batches(read)) {
    try {
      const flat = Array.from(batch.x.dataSync());
      const per = flat.length / batch.size;
      for (let i = 0; i < batch.size; i++) xs.push(flat.slice(i * per, (i + 1) * per));
      ys.push(...Array.from(batch.y.dataSync()));
      if (batch.y.dtype !== 'int32') throw new Error(`labels are ${batch.y.dtype}`);
      sizes.push(batch.size);
      shapes.push(batch.x.shape);
    } finally {
      tf.dispose([batch.x, batch.y]);
    }
  }
  return { xs, ys, sizes, shapes };
}

/** Counts per value. */
export function countBy(values: readonly number[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary folder, removed after the tests. */
export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-distill-source-'));
  dirs.push(dir);
  return dir;
}

/** Writes `contents` to `name` in a fresh temporary folder and returns its path. */
export function tempFile(name: string, contents: string | Uint8Array): string {
  const file = path.join(tempDir(), name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, contents);
  return file;
}

/** An {@link OpenFile} over the local disk that counts opens, reads and closes. */
export function countingOpener(): {
  openFile: OpenFile;
  opens: number;
  reads: number;
  bytes: number;
  closes: number;
} {
  const stats = {
    opens: 0,
    reads: 0,
    bytes: 0,
    closes: 0,
    openFile: (async (p: string) => {
      const file = await openLocalFile(p);
      stats.opens++;
      return {
        read: (b, o, l, pos) => {
          stats.reads++;
          stats.bytes += l;
          return file.read(b, o, l, pos);
        },
        size: () => file.size(),
        close: () => {
          stats.closes++;
          return file.close();
        },
      };
    }) as OpenFile,
  };
  return stats;
}
