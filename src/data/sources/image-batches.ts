/**
 * One epoch of an image split as batches, decoded lazily: while the consumer works on batch k,
 * the files of batch k + 1 are read and decoded (a read-ahead of one batch), and nothing further.
 * So at most about two batches of pixels are held, whatever the size of the folder, and tensors
 * exist only for batches that have been yielded.
 */
import * as tf from '@tensorflow/tfjs';
import type { SourceBatch } from './source.js';
import { writeScaled } from './image-transform.js';

/** Loads one image's pixels (`0..255`, input shape), or `undefined` for a skipped file. */
export type LoadPixels = (file: string) => Promise<Float32Array | undefined>;

/** What {@link readImageBatches} reads. */
export interface ImageBatchPlan {
  /** The split's files. */
  readonly files: readonly string[];
  /** Their labels. */
  readonly labels: readonly number[];
  /** The order of this epoch: indices into `files`. */
  readonly order: Uint32Array;
  /** Examples per batch. */
  readonly batchSize: number;
  /** Values per image: `height * width * channels`. */
  readonly imageSize: number;
  /** The input shape `[height, width, channels]`. */
  readonly inputShape: readonly [number, number, number];
  /** `[min, max]` that pixel values 0 and 255 map to. */
  readonly scale: readonly [number, number];
}

interface Loaded {
  readonly pixels: Float32Array;
  readonly label: number;
}

// A chunk's outcome as a value: a rejected read-ahead nobody awaits yet (the consumer is busy
// with the previous batch) would otherwise be reported as an unhandled rejection.
type Outcome =
  { readonly ok: true; readonly value: Loaded[] } | { readonly ok: false; readonly error: unknown };

// Files read at once: enough to keep the disk busy, few enough not to run out of file handles.
const CONCURRENT_READS = 16;

async function loadChunk(plan: ImageBatchPlan, load: LoadPixels, start: number): Promise<Outcome> {
  try {
    const end = Math.min(start + plan.batchSize, plan.order.length);
    const slots: (Loaded | undefined)[] = new Array<Loaded | undefined>(end - start);
    let next = start;
    const worker = async (): Promise<void> => {
      while (next < end) {
        const at = next++;
        const index = plan.order[at]!;
        const pixels = await load(plan.files[index]!);
        if (pixels !== undefined) slots[at - start] = { pixels, label: plan.labels[index]! };
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENT_READS, end - start) }, worker));
    return { ok: true, value: slots.filter((s): s is Loaded => s !== undefined) };
  } catch (error) {
    return { ok: false, error };
  }
}

function toBatch(items: readonly Loaded[], plan: ImageBatchPlan): SourceBatch {
  const size = items.length;
  const features = new Float32Array(size * plan.imageSize);
  const labels = new Int32Array(size);
  items.forEach((item, i) => {
    writeScaled(item.pixels, features, i * plan.imageSize, plan.scale);
    labels[i] = item.label;
  });
  const [h, w, c] = plan.inputShape;
  return { x: tf.tensor4d(features, [size, h, w, c]), y: tf.tensor1d(labels, 'int32'), size };
}

/**
 * Reads one epoch of a split in `plan.order`, `plan.batchSize` images per batch (the last may be
 * smaller; skipped files are made up from the following ones, so only the last batch is short).
 *
 * @param plan - The files, their order, and the shape of the batches.
 * @param load - Loads one file's pixels.
 * @returns The batches; the caller owns each batch's tensors.
 */
export async function* readImageBatches(
  plan: ImageBatchPlan,
  load: LoadPixels,
): AsyncGenerator<SourceBatch, void, undefined> {
  const total = plan.order.length;
  let start = 0;
  let pending = total > 0 ? loadChunk(plan, load, 0) : undefined;
  const ready: Loaded[] = [];
  // When the consumer breaks out, the read-ahead finishes on its own and is dropped: its
  // outcome is a value, so nothing is left to reject, and no tensor was made from it.
  while (pending !== undefined) {
    const outcome = await pending;
    if (!outcome.ok) throw outcome.error;
    start += plan.batchSize;
    pending = start < total ? loadChunk(plan, load, start) : undefined;
    ready.push(...outcome.value);
    while (ready.length >= plan.batchSize || (pending === undefined && ready.length > 0)) {
      yield toBatch(ready.splice(0, plan.batchSize), plan);
    }
  }
}
