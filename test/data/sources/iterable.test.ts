import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { fromBatches, type UserBatch } from '../../../src/data/sources/iterable.js';
import { distillError } from '../../helpers/errors.js';
import { collect } from '../../helpers/sources.js';
import { expectNoLeaks } from '../../helpers/tensors.js';

before(async () => {
  await tf.setBackend('cpu');
});

/** `n` examples in batches of `per`: example i is [i, -i, 2i] with label i % 3, as tensors. */
async function* tensorBatches(n: number, per: number): AsyncGenerator<UserBatch> {
  for (let start = 0; start < n; start += per) {
    await Promise.resolve(); // as a real loader would, between batches
    const ids = Array.from({ length: Math.min(per, n - start) }, (_, k) => start + k);
    yield {
      xs: tf.tensor2d(ids.map((i) => [i, -i, 2 * i])),
      ys: tf.tensor1d(
        ids.map((i) => i % 3),
        'int32',
      ),
    };
  }
}

const firstFeature = (xs: number[][]): number[] => xs.map((x) => x[0]!);
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('fromBatches', () => {
  it('re-cuts a loader function’s batches to the requested size, in order without shuffle', async () => {
    await expectNoLeaks(async () => {
      const data = await fromBatches({
        train: () => tensorBatches(10, 3),
        test: () => tensorBatches(4, 4),
        numClasses: 3,
      });
      assert.deepEqual(data.inputShape, [3]);
      assert.deepEqual(data.classNames, ['0', '1', '2']);
      assert.equal(data.train.count, undefined);
      const epoch = await collect(data.train, { batchSize: 4, shuffle: false });
      assert.deepEqual(epoch.sizes, [4, 4, 2]);
      assert.deepEqual(firstFeature(epoch.xs), range(10));
      assert.deepEqual(epoch.xs[7], [7, -7, 14]);
      assert.deepEqual(
        epoch.ys,
        range(10).map((i) => i % 3),
      );
      // A function gives a fresh generator per epoch.
      assert.deepEqual(
        firstFeature((await collect(data.train, { shuffle: false, epoch: 1 })).xs),
        range(10),
      );
    });
  });

  it('shuffles through a bounded buffer, reproducibly for a seed and epoch', async () => {
    await expectNoLeaks(async () => {
      const data = await fromBatches({
        train: () => tensorBatches(60, 7),
        test: [],
        numClasses: 3,
        shuffleBuffer: 8,
      });
      const order = async (seed: number, epoch: number): Promise<number[]> =>
        firstFeature((await collect(data.train, { batchSize: 5, seed, epoch })).xs);
      const a = await order(1, 0);
      assert.deepEqual(a, await order(1, 0));
      assert.notDeepEqual(a, await order(1, 1));
      assert.notDeepEqual(a, await order(2, 0));
      assert.notDeepEqual(a, range(60));
      assert.deepEqual(
        [...a].sort((p, q) => p - q),
        range(60),
      );
      // An example can only be emitted once it has entered the buffer of 8.
      a.forEach((id, position) => assert.ok(id <= position + 8, `example ${id} at ${position}`));
    });
  });

  it('infers inputShape and numClasses from one-hot labels, and reads arrays as well as tensors', async () => {
    const batches: UserBatch[] = [
      {
        xs: [
          [1, 2],
          [3, 4],
        ],
        ys: [
          [0, 1, 0],
          [0, 0, 1],
        ],
      },
      { xs: Float32Array.from([5, 6]), ys: [0] },
    ];
    const data = await fromBatches({ train: batches, test: batches });
    assert.deepEqual(data.inputShape, [2]);
    assert.equal(data.numClasses, 3);
    const epoch = await collect(data.test, { shuffle: false });
    assert.deepEqual(epoch.xs, [
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    assert.deepEqual(epoch.ys, [1, 2, 0]);
  });

  it('reads a one-shot async generator once, keeping the batch read for inference, and refuses a second epoch', async () => {
    await expectNoLeaks(async () => {
      const oneHot = async function* (): AsyncGenerator<UserBatch> {
        for await (const { xs, ys } of tensorBatches(6, 2)) {
          yield { xs, ys: tf.tidy(() => tf.oneHot(ys as tf.Tensor1D, 3)) };
          (ys as tf.Tensor).dispose();
        }
      };
      const data = await fromBatches({ train: oneHot(), test: [] });
      assert.equal(data.numClasses, 3);
      const epoch = await collect(data.train, { shuffle: false });
      assert.deepEqual(firstFeature(epoch.xs), range(6));
      assert.deepEqual(epoch.ys, [0, 1, 2, 0, 1, 2]);
      await assert.rejects(
        collect(data.train, { epoch: 1 }),
        distillError('INVALID_ARGUMENT', /train loader/, /read only once/, /function/),
      );
    });
  });

  it('needs numClasses for class-index labels, and frees the batch it read to find out', async () => {
    await expectNoLeaks(() =>
      assert.rejects(
        fromBatches({ train: tensorBatches(3, 3), test: [] }),
        distillError('INVALID_ARGUMENT', /numClasses/),
      ),
    );
    await assert.rejects(
      fromBatches({ train: () => tensorBatches(3, 3), test: [] }),
      distillError('INVALID_ARGUMENT', /numClasses/),
    );
  });

  it('reads a tf.data.Dataset and frees its tensors', async () => {
    await expectNoLeaks(async () => {
      const rows = range(7).map((i) => ({ xs: [i, i + 0.5], ys: i % 2 }));
      const dataset = tf.data.array(rows).batch(3);
      const data = await fromBatches({ train: dataset, test: dataset, numClasses: 2 });
      assert.deepEqual(data.inputShape, [2]);
      const epoch = await collect(data.train, { batchSize: 2, shuffle: false });
      assert.deepEqual(epoch.sizes, [2, 2, 2, 1]);
      assert.deepEqual(epoch.xs[3], [3, 3.5]);
      assert.deepEqual(
        epoch.ys,
        range(7).map((i) => i % 2),
      );
      const shuffled = await collect(data.train, { batchSize: 2, seed: 4 });
      assert.deepEqual(firstFeature(shuffled.xs).sort(), range(7));
    });
  });

  it('leaks nothing and closes the loader when the reader stops early', async () => {
    let closed = false;
    const loader = async function* (): AsyncGenerator<UserBatch> {
      try {
        yield* tensorBatches(100, 10);
      } finally {
        closed = true;
      }
    };
    await expectNoLeaks(async () => {
      const data = await fromBatches({ train: loader, test: [], numClasses: 3, inputShape: [3] });
      for await (const batch of data.train.batches({ batchSize: 4, seed: 1, epoch: 0 })) {
        tf.dispose([batch.x, batch.y]);
        break;
      }
    });
    assert.equal(closed, true);
  });

  it('leaves the loader’s tensors alone with disposeInputs: false', async () => {
    const xs = tf.tensor2d([[1], [2]]);
    const ys = tf.tensor1d([0, 1], 'int32');
    const data = await fromBatches({
      train: [{ xs, ys }],
      test: [],
      numClasses: 2,
      disposeInputs: false,
    });
    await expectNoLeaks(() => collect(data.train));
    assert.equal(xs.isDisposed, false);
    tf.dispose([xs, ys]);
  });

  it('names the batch whose shape or labels are wrong, and frees its tensors', async () => {
    await expectNoLeaks(async () => {
      const bad = async function* (): AsyncGenerator<UserBatch> {
        yield await Promise.resolve({ xs: tf.zeros([2, 3]), ys: tf.tensor1d([0, 1], 'int32') });
        yield { xs: tf.zeros([2, 4]), ys: tf.tensor1d([0, 1], 'int32') };
      };
      const data = await fromBatches({ train: bad, test: [], numClasses: 2 });
      await assert.rejects(
        collect(data.train),
        distillError('SHAPE_MISMATCH', /train batch 1/, /\[2, 4\]/, /\[3\]/),
      );
      const labels = await fromBatches({
        train: [{ xs: [[1], [2]], ys: [0, 5] }],
        test: [],
        numClasses: 2,
      });
      await assert.rejects(
        collect(labels.train),
        distillError('INVALID_ARGUMENT', /train batch 0/, /label 1 is 5/),
      );
    });
  });
});
