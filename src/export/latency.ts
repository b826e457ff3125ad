/**
 * Latency of a model per backend and batch size, as a page or a server would see it: the model
 * is loaded afresh on each backend, warmed up, then timed.
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend, type BackendName } from '../train/backend.js';

/** One measurement, or why a backend could not be measured. */
export interface LatencyRow {
  /** Where it ran: `node`, or `browser` (headless Chromium). */
  readonly runtime: 'node' | 'browser';
  /** The TF.js backend. */
  readonly backend: string;
  /** Examples per call. */
  readonly batchSize: number;
  /** Median milliseconds per call (prediction and reading its result); NaN when unavailable. */
  readonly ms: number;
  /** Why the backend was not measured, when it was not. */
  readonly unavailable?: string;
}

/** Options of {@link measureLatency}. */
export interface MeasureLatencyOptions {
  /** Backends to measure. Default wasm and cpu. */
  readonly backends?: readonly BackendName[];
  /** Batch sizes. Default 1 and 32. */
  readonly batchSizes?: readonly number[];
  /** Timed calls per measurement (after warm-up). Default 15. */
  readonly runs?: number;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Median latency of `load()`'s model on each backend and batch size. The backend active before
 * the call is active again after it.
 *
 * @param load - Loads the model (called once per backend, after switching to it).
 * @param example - One input example's values, repeated to fill each batch.
 * @param exampleShape - Its shape.
 * @param options - Backends, batch sizes, runs.
 */
export async function measureLatency(
  load: () => Promise<tf.LayersModel>,
  example: Float32Array,
  exampleShape: readonly number[],
  options: MeasureLatencyOptions = {},
): Promise<LatencyRow[]> {
  const backends = options.backends ?? ['wasm', 'cpu'];
  const batchSizes = options.batchSizes ?? [1, 32];
  const runs = options.runs ?? 15;
  const before = tf.getBackend();
  const rows: LatencyRow[] = [];
  try {
    for (const backend of backends) {
      try {
        await selectBackend(backend);
      } catch (error) {
        const reason = error instanceof Error ? error.message.split('. ')[0]! : String(error);
        for (const batchSize of batchSizes) {
          rows.push({ runtime: 'node', backend, batchSize, ms: Number.NaN, unavailable: reason });
        }
        continue;
      }
      const model = await load();
      try {
        for (const batchSize of batchSizes) {
          const values = new Float32Array(batchSize * example.length);
          for (let i = 0; i < batchSize; i++) values.set(example, i * example.length);
          const x = tf.tensor(values, [batchSize, ...exampleShape]);
          const times: number[] = [];
          for (let i = 0; i <= runs; i++) {
            const start = performance.now();
            const y = model.predict(x) as tf.Tensor;
            await y.data();
            times.push(performance.now() - start);
            y.dispose();
          }
          x.dispose();
          times.shift(); // warm-up: kernels compile and caches fill on the first call
          rows.push({ runtime: 'node', backend, batchSize, ms: median(times) });
        }
      } finally {
        model.dispose();
      }
    }
  } finally {
    if (tf.getBackend() !== before) await tf.setBackend(before);
  }
  return rows;
}
