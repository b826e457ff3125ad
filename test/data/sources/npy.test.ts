import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { openCsv } from '../../../src/data/sources/csv.js';
import { looksLikeNpy } from '../../../src/data/sources/detect.js';
import { openNpy } from '../../../src/data/sources/npy.js';
import { distillError } from '../../helpers/errors.js';
import { npyBytes, type NpySpec } from '../../helpers/npy.js';
import { fixturesDir } from '../../helpers/paths.js';
import { collect, countBy, countingOpener, tempDir } from '../../helpers/sources.js';
import { expectNoLeaks } from '../../helpers/tensors.js';

before(async () => {
  await tf.setBackend('cpu');
});

const blobsDir = path.join(fixturesDir, 'tabular', 'blobs-npy');

/** Writes .npy files into a fresh folder: `{ 'x.npy': spec, 'train/y.npy': spec, ... }`. */
function writeNpys(files: Record<string, NpySpec>): string {
  const dir = tempDir();
  for (const [name, spec] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), npyBytes(spec));
  }
  return dir;
}

/** Example i of `n` has features [i, i + 0.5] (or `value(i)`) and label i % k. */
function toy(n: number, k = 2): { x: number[]; y: number[] } {
  return {
    x: Array.from({ length: n * 2 }, (_, j) => Math.floor(j / 2) + (j % 2) * 0.5),
    y: Array.from({ length: n }, (_, i) => i % k),
  };
}

describe('openNpy', () => {
  it('reads the fixture pair like the CSV it was made from, with the same stratified split', async () => {
    await expectNoLeaks(async () => {
      const npy = await openNpy({
        dir: blobsDir,
        seed: 7,
        classNames: ['amber', 'cobalt', 'olive'],
      });
      const csv = await openCsv({ path: path.join(fixturesDir, 'tabular', 'blobs.csv'), seed: 7 });
      assert.deepEqual(npy.inputShape, [8]);
      assert.deepEqual(npy.classNames, csv.classNames);
      assert.equal(npy.test.count, 60);
      const a = await collect(npy.test, { shuffle: false });
      const b = await collect(csv.test, { shuffle: false });
      assert.deepEqual(a.ys, b.ys);
      assert.deepEqual(a.xs, b.xs);
      assert.deepEqual([...countBy(a.ys)].sort(), [
        [0, 20],
        [1, 20],
        [2, 20],
      ]);
    });
  });

  it('reads float64 features, int64 labels and a train/test folder layout', async () => {
    const train = toy(6, 3);
    const test = toy(3, 3);
    const dir = writeNpys({
      'train/x.npy': { descr: '<f8', shape: [6, 2], values: train.x },
      'train/y.npy': { descr: '<i8', shape: [6], values: train.y },
      'test/x.npy': { descr: '<f8', shape: [3, 2], values: test.x },
      'test/y.npy': { descr: '<i8', shape: [3], values: test.y },
    });
    const data = await openNpy({ dir, validationFraction: 0.5 });
    assert.deepEqual(data.classNames, ['0', '1', '2']);
    assert.equal(data.train.count, 3);
    assert.equal(data.validation?.count, 3);
    const t = await collect(data.test, { shuffle: false });
    assert.deepEqual(t.xs, [
      [0, 0.5],
      [1, 1.5],
      [2, 2.5],
    ]);
    assert.deepEqual(t.ys, [0, 1, 2]);
    assert.deepEqual([...(await collect(data.validation)).ys].sort(), [0, 1, 2]);
    const both = [...(await collect(data.train)).xs, ...(await collect(data.validation)).xs];
    assert.deepEqual(both.map((x) => x[0]).sort(), [0, 1, 2, 3, 4, 5]);
  });

  it('keeps uint8 values as stored unless scaled, with images of any shape and one-hot labels', async () => {
    const pixels = Array.from({ length: 4 * 2 * 2 }, (_, i) => i * 16);
    const oneHot = [1, 0, 0, 1, 0, 1, 1, 0].map((v) => v * 0.9);
    const dir = writeNpys({
      'x.npy': { descr: '|u1', shape: [4, 2, 2, 1], values: pixels },
      'y.npy': { descr: '<f4', shape: [4, 2], values: oneHot, version: 2 },
      'half/x.npy': { descr: '|u1', shape: [4, 2, 2, 1], values: pixels, version: 3 },
    });
    const raw = await openNpy({
      x: path.join(dir, 'x.npy'),
      y: path.join(dir, 'y.npy'),
      testFraction: 0.5,
    });
    assert.deepEqual(raw.inputShape, [2, 2, 1]);
    assert.equal(raw.numClasses, 2);
    const all = [
      await collect(raw.train, { shuffle: false }),
      await collect(raw.test, { shuffle: false }),
    ];
    const byFirst = new Map(all.flatMap((c) => c.xs.map((x, i) => [x[0]!, [x, c.ys[i]]] as const)));
    assert.deepEqual(byFirst.get(64), [[64, 80, 96, 112], 1]);
    assert.deepEqual(all[0]!.shapes[0]!.slice(1), [2, 2, 1]);
    const scaled = await openNpy({
      x: path.join(dir, 'half', 'x.npy'),
      y: path.join(dir, 'y.npy'),
      scale: 1 / 16,
      testFraction: 0.5,
    });
    const s = await collect(scaled.train, { shuffle: false });
    assert.ok(s.xs.every((x) => x.every((v) => Number.isInteger(v) && v < 16)));
  });

  it('reads rows lazily, one small read per row, and closes the file after an early break', async () => {
    const n = 200;
    const dir = writeNpys({
      'x.npy': { descr: '<f4', shape: [n, 2], values: toy(n).x },
      'y.npy': { descr: '|u1', shape: [n], values: toy(n).y },
    });
    const counter = countingOpener();
    const data = await openNpy({ dir, openFile: counter.openFile });
    const before = { opens: counter.opens, reads: counter.reads };
    assert.equal(counter.closes, counter.opens);
    await expectNoLeaks(async () => {
      for await (const batch of data.train.batches({ batchSize: 3, seed: 1, epoch: 0 })) {
        const x = batch.x.arraySync() as number[][];
        const y = Array.from(batch.y.dataSync());
        x.forEach((row, i) => {
          assert.equal(row[1], row[0]! + 0.5);
          assert.equal(y[i], row[0]! % 2);
        });
        tf.dispose([batch.x, batch.y]);
        break;
      }
    });
    assert.equal(counter.opens, before.opens + 1);
    assert.equal(counter.closes, counter.opens);
    assert.ok(
      counter.reads - before.reads <= 3,
      `${counter.reads - before.reads} reads for 3 rows`,
    );
  });

  it('reads a batch of a large x.npy with small reads', async () => {
    const n = 2000;
    const dir = writeNpys({
      'x.npy': {
        descr: '<f4',
        shape: [n, 64],
        values: Array.from({ length: n * 64 }, (_, j) => Math.floor(j / 64)),
      },
      'y.npy': { descr: '<i2', shape: [n], values: Array.from({ length: n }, (_, i) => i % 4) },
    });
    const counter = countingOpener();
    const data = await openNpy({ dir, openFile: counter.openFile });
    const before = counter.bytes;
    for await (const batch of data.test.batches({ batchSize: 3, seed: 2, epoch: 0 })) {
      const x = batch.x.arraySync() as number[][];
      const y = Array.from(batch.y.dataSync());
      tf.dispose([batch.x, batch.y]);
      x.forEach((row, i) => {
        assert.ok(row.every((v) => v === row[0]));
        assert.equal(y[i], row[0]! % 4);
      });
      break;
    }
    assert.ok(
      counter.bytes - before < 64 * 1024,
      `${counter.bytes - before} bytes read of ${n * 256}`,
    );
  });

  it('rejects a bad magic, an unsupported dtype and Fortran order, naming the file', async () => {
    const dir = writeNpys({
      'y.npy': { descr: '<i4', shape: [2], values: [0, 1] },
      'u.npy': { descr: '<U4', shape: [2, 1], values: [0, 0] },
      'f.npy': { descr: '<f4', shape: [2, 1], values: [0, 0], fortran: true },
      'c.npy': { descr: '<c8', shape: [2, 1], values: [0, 0] },
    });
    fs.writeFileSync(path.join(dir, 'bad.npy'), 'not numpy at all');
    const y = path.join(dir, 'y.npy');
    await assert.rejects(
      openNpy({ x: path.join(dir, 'bad.npy'), y }),
      distillError('DATA_CORRUPT', /bad\.npy/, /magic/),
    );
    await assert.rejects(
      openNpy({ x: path.join(dir, 'u.npy'), y }),
      distillError('DATA_CORRUPT', /u\.npy/, /"<U4"/),
    );
    await assert.rejects(
      openNpy({ x: path.join(dir, 'c.npy'), y }),
      distillError('DATA_CORRUPT', /"<c8"/),
    );
    await assert.rejects(
      openNpy({ x: path.join(dir, 'f.npy'), y }),
      distillError('DATA_CORRUPT', /f\.npy/, /Fortran/),
    );
  });

  it('rejects mismatched counts, truncated files and bad labels', async () => {
    const x = { descr: '<f4', shape: [3, 2], values: toy(3).x };
    const dir = writeNpys({
      'x.npy': x,
      'short.npy': { descr: '<i4', shape: [2], values: [0, 1] },
      'neg.npy': { descr: '<i4', shape: [3], values: [0, -1, 1] },
      'half.npy': { descr: '<f8', shape: [3], values: [0, 1.5, 1] },
      'big.npy': { descr: '<i4', shape: [3], values: [0, 1, 2] },
    });
    const X = path.join(dir, 'x.npy');
    const at = (name: string): string => path.join(dir, name);
    await assert.rejects(
      openNpy({ x: X, y: at('short.npy') }),
      distillError('SHAPE_MISMATCH', /short\.npy/, /3 examples/),
    );
    await assert.rejects(
      openNpy({ x: X, y: at('neg.npy') }),
      distillError('DATA_CORRUPT', /neg\.npy: row 1/, /-1/),
    );
    await assert.rejects(
      openNpy({ x: X, y: at('half.npy') }),
      distillError('DATA_CORRUPT', /half\.npy: row 1/, /1\.5/),
    );
    await assert.rejects(
      openNpy({ x: X, y: at('big.npy'), classNames: ['a', 'b'] }),
      distillError('DATA_CORRUPT', /big\.npy: row 2/, /label 2/, /2 classes/),
    );
    const bytes = fs.readFileSync(X);
    fs.writeFileSync(at('cut.npy'), bytes.subarray(0, bytes.length - 4));
    await assert.rejects(
      openNpy({ x: at('cut.npy'), y: at('big.npy') }),
      distillError('DATA_CORRUPT', /cut\.npy is truncated/),
    );
    await assert.rejects(openNpy({ dir: tempDir() }), distillError('FILE_NOT_FOUND', /x\.npy/));
  });
});

describe('looksLikeNpy', () => {
  it('recognises .npy files by magic and folders in either layout', async () => {
    assert.equal(await looksLikeNpy(blobsDir), true);
    assert.equal(await looksLikeNpy(path.join(blobsDir, 'x.npy')), true);
    assert.equal(await looksLikeNpy(path.join(fixturesDir, 'tabular', 'blobs.csv')), false);
    assert.equal(await looksLikeNpy(tempDir()), false);
    const split = writeNpys({
      'train/x.npy': { descr: '<f4', shape: [1], values: [0] },
      'train/y.npy': { descr: '<f4', shape: [1], values: [0] },
      'test/x.npy': { descr: '<f4', shape: [1], values: [0] },
      'test/y.npy': { descr: '<f4', shape: [1], values: [0] },
    });
    assert.equal(await looksLikeNpy(split), true);
  });
});
