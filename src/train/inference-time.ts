/**
 * How long a model takes to predict one batch: the latency figure of run summaries, `eval` and
 * the demo's table.
 */
import * as tf from '@tensorflow/tfjs';
import type { DataSplit } from '../data/sources/source.js';
import type { PredictLogits } from './evaluate-split.js';

/**
 * Median milliseconds for `predict` on one batch of (up to) `batchSize` examples of `split`,
 * over five timed calls after a warm-up call.
 *
 * @param predict - Logits of a batch (inference mode).
 * @param split - Where the batch comes from (its first examples, in order).
 * @param batchSize - Examples per batch (default 1000).
 */
export async function inferenceMs(
  predict: PredictLogits,
  split: DataSplit,
  batchSize = 1000,
): Promise<number> {
  const it = split.batches({ batchSize, seed: 0, epoch: 0, shuffle: false });
  const first = await it.next();
  await it.return?.(undefined);
  if (first.done) return Number.NaN;
  const { x, y } = first.value;
  const times: number[] = [];
  try {
    for (let i = 0; i < 6; i++) {
      const start = performance.now();
      const out = await predict(x);
      await out.data();
      times.push(performance.now() - start);
      out.dispose();
    }
  } finally {
    tf.dispose([x, y]);
  }
  times.shift(); // warm-up
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}
