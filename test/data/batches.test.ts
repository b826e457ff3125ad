import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { DistillError } from '../../src/errors.js';
import { batchCount, batches, epochOrder, type Dataset } from '../../src/data/index.js';
import { expectNoLeaks } from '../helpers/tensors.js';

before(async () => {
  await tf.setBackend('cpu');
});

/** Example i has features [i, 10 * i, 100 * i] and label i % 10. */
function toyDataset(count: number): Dataset {
  const images = new Float32Array(count * 3);
  for (let i = 0; i < count; i++) images.set([i, 10 * i, 100 * i], i * 3);
  return { images, labels: Uint8Array.from({ length: count }, (_, i) => i % 10), count };
}

/** Runs one epoch and returns the example ids in visiting order, disposing every batch. */
function visit(
  data: Dataset,
  options: Parameters<typeof batches>[1],
): { order: number[]; sizes: number[] } {
  const order: number[] = [];
  const sizes: number[] = [];
  for (const { x, y, size, indices } of batches(data, options)) {
    try {
      assert.deepEqual(x.shape, [size, 3]);
      assert.deepEqual(y.shape, [size]);
      assert.equal(y.dtype, 'int32');
      const xs = x.arraySync();
      const ys = y.arraySync();
      xs.forEach((row, i) => {
        assert.deepEqual(row, [row[0], 10 * row[0]!, 100 * row[0]!]);
        assert.equal(ys[i], row[0]! % 10);
        assert.equal(indices[i], row[0]);
        order.push(row[0]!);
      });
      sizes.push(size);
    } finally {
      tf.dispose([x, y]);
    }
  }
  return { order, sizes };
}

describe('batches', () => {
  it('yields every example exactly once per epoch, with matching features and labels', async () => {
    await expectNoLeaks(() => {
      const { order, sizes } = visit(toyDataset(25), { batchSize: 8, seed: 1, epoch: 0 });
      assert.deepEqual(sizes, [8, 8, 8, 1]);
      assert.deepEqual(
        [...order].sort((a, b) => a - b),
        Array.from({ length: 25 }, (_, i) => i),
      );
    });
  });

  it('repeats the order for the same (seed, epoch) and changes it for another epoch or seed', async () => {
    await expectNoLeaks(() => {
      const data = toyDataset(40);
      const first = visit(data, { batchSize: 16, seed: 9, epoch: 3 }).order;
      assert.deepEqual(visit(data, { batchSize: 16, seed: 9, epoch: 3 }).order, first);
      assert.notDeepEqual(visit(data, { batchSize: 16, seed: 9, epoch: 4 }).order, first);
      assert.notDeepEqual(visit(data, { batchSize: 16, seed: 10, epoch: 3 }).order, first);
    });
  });

  it('keeps the dataset order when shuffle is false and drops the remainder when asked', async () => {
    await expectNoLeaks(() => {
      const { order, sizes } = visit(toyDataset(10), {
        batchSize: 4,
        seed: 0,
        epoch: 0,
        shuffle: false,
        dropRemainder: true,
      });
      assert.deepEqual(order, [0, 1, 2, 3, 4, 5, 6, 7]);
      assert.deepEqual(sizes, [4, 4]);
    });
  });

  it('creates tensors lazily, so stopping early leaks nothing', async () => {
    await expectNoLeaks(() => {
      for (const { x, y } of batches(toyDataset(100), { batchSize: 10, seed: 1, epoch: 0 })) {
        tf.dispose([x, y]);
        break;
      }
    });
  });

  it('validates options before the first batch', () => {
    assert.throws(
      () => batches(toyDataset(3), { batchSize: 0, seed: 1, epoch: 0 }),
      (e: unknown) => e instanceof DistillError && /batchSize.*positive integer.*0/.test(e.message),
    );
    assert.throws(
      () => batches(toyDataset(3), { batchSize: 2, seed: 1, epoch: -1 }),
      (e: unknown) => e instanceof DistillError && /epoch/.test(e.message),
    );
    assert.throws(
      () => batches(toyDataset(3), { batchSize: 2, seed: 0.5, epoch: 0 }),
      (e: unknown) => e instanceof DistillError && /seed/.test(e.message),
    );
  });
});

describe('epochOrder', () => {
  it('is a permutation that depends only on seed and epoch', () => {
    const a = epochOrder(1000, { seed: 5, epoch: 1 });
    assert.deepEqual(a, epochOrder(1000, { seed: 5, epoch: 1 }));
    assert.deepEqual(
      [...a].sort((x, y) => x - y),
      Array.from({ length: 1000 }, (_, i) => i),
    );
  });

  it('batchCount agrees with dropRemainder', () => {
    assert.equal(batchCount(10, 4), 3);
    assert.equal(batchCount(10, 4, true), 2);
    assert.equal(batchCount(0, 4), 0);
  });
});
