/**
 * Per-feature z-scores for tabular sources, with statistics taken from the training rows only
 * (so nothing about the test rows leaks into training).
 */
import type { RowReader } from './indexed-split.js';

/** The mean and standard deviation of every feature; apply `(x - mean) / std` at inference. */
export interface Standardization {
  /** Mean of each feature over the training rows. */
  readonly mean: Float32Array;
  /** Population standard deviation of each feature (1 for a constant feature). */
  readonly std: Float32Array;
}

// Rows per read while gathering statistics: sorted, nearby rows merge into large reads.
const CHUNK = 4096;

/**
 * Computes the mean and deviation of each feature over `rows`, reading them in file order.
 *
 * @param reader - Where the features come from.
 * @param rows - The training rows (ascending).
 * @param featureSize - Features per row.
 */
export async function trainStatistics(
  reader: RowReader,
  rows: Uint32Array,
  featureSize: number,
): Promise<Standardization> {
  const sum = new Float64Array(featureSize);
  const sumSq = new Float64Array(featureSize);
  const session = await reader.open();
  try {
    for (let start = 0; start < rows.length; start += CHUNK) {
      const values = await session.read(rows.subarray(start, start + CHUNK));
      for (let i = 0; i < values.length; i++) {
        const k = i % featureSize;
        sum[k]! += values[i]!;
        sumSq[k]! += values[i]! * values[i]!;
      }
    }
  } finally {
    await session.close();
  }
  const n = Math.max(rows.length, 1);
  const mean = new Float32Array(featureSize);
  const std = new Float32Array(featureSize);
  for (let k = 0; k < featureSize; k++) {
    const m = sum[k]! / n;
    const variance = Math.max(sumSq[k]! / n - m * m, 0);
    mean[k] = m;
    // A constant column would divide by zero; it stays constant (0) instead.
    std[k] = variance > 1e-12 ? Math.sqrt(variance) : 1;
  }
  return { mean, std };
}

/** Wraps `reader` so every row it reads is standardized with `stats`. */
export function standardized(reader: RowReader, stats: Standardization): RowReader {
  const size = stats.mean.length;
  return {
    open: async () => {
      const session = await reader.open();
      return {
        read: async (ids) => {
          const values = await session.read(ids);
          for (let i = 0; i < values.length; i++) {
            const k = i % size;
            values[i] = (values[i]! - stats.mean[k]!) / stats.std[k]!;
          }
          return values;
        },
        close: () => session.close(),
      };
    },
  };
}
