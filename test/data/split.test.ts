import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DistillError } from '../../src/errors.js';
import { splitValidation, takeSubset, type Dataset } from '../../src/data/index.js';

/** A dataset whose example i has features [i, i] and label i % classes. */
function toyDataset(count: number, classes = 10): Dataset {
  const images = new Float32Array(count * 2);
  for (let i = 0; i < count; i++) images.set([i, i], i * 2);
  const labels = Uint8Array.from({ length: count }, (_, i) => i % classes);
  return { images, labels, count };
}

function ids(dataset: Dataset): number[] {
  return Array.from({ length: dataset.count }, (_, i) => dataset.images[i * 2]!);
}

describe('splitValidation', () => {
  it('partitions the examples, keeps their order and features, and is reproducible', () => {
    const data = toyDataset(100);
    const a = splitValidation(data, { validationSize: 20, seed: 1 });
    assert.equal(a.validation.count, 20);
    assert.equal(a.train.count, 80);
    const all = [...ids(a.train), ...ids(a.validation)].sort((x, y) => x - y);
    assert.deepEqual(all, ids(data));
    assert.deepEqual(
      ids(a.train),
      [...ids(a.train)].sort((x, y) => x - y),
    );
    a.validation.labels.forEach((label, i) => assert.equal(label, ids(a.validation)[i]! % 10));
    const b = splitValidation(data, { validationSize: 20, seed: 1 });
    assert.deepEqual(ids(b.validation), ids(a.validation));
    const c = splitValidation(data, { validationSize: 20, seed: 2 });
    assert.notDeepEqual(ids(c.validation), ids(a.validation));
  });

  it('accepts a fraction', () => {
    assert.equal(
      splitValidation(toyDataset(50), { validationSize: 0.1, seed: 3 }).validation.count,
      5,
    );
  });

  it('rejects sizes larger than the dataset or not numbers', () => {
    assert.throws(
      () => splitValidation(toyDataset(10), { validationSize: 11, seed: 0 }),
      (e: unknown) => e instanceof DistillError && /exceeds the 10 examples/.test(e.message),
    );
    assert.throws(
      () => splitValidation(toyDataset(10), { validationSize: -0.5, seed: 0 }),
      (e: unknown) => e instanceof DistillError && e.code === 'INVALID_ARGUMENT',
    );
  });
});

describe('takeSubset', () => {
  it('takes a class-balanced, reproducible subset in the original order', () => {
    const data = toyDataset(1000);
    const subset = takeSubset(data, 50, 7);
    assert.equal(subset.count, 50);
    const perClass = new Array<number>(10).fill(0);
    for (const label of subset.labels) perClass[label]!++;
    assert.deepEqual(perClass, new Array<number>(10).fill(5));
    assert.deepEqual(
      ids(subset),
      [...ids(subset)].sort((x, y) => x - y),
    );
    assert.deepEqual(ids(takeSubset(data, 50, 7)), ids(subset));
    assert.notDeepEqual(ids(takeSubset(data, 50, 8)), ids(subset));
  });

  it('spreads a remainder so classes differ by at most one', () => {
    const subset = takeSubset(toyDataset(1000), 23, 1);
    const perClass = new Array<number>(10).fill(0);
    for (const label of subset.labels) perClass[label]!++;
    assert.ok(Math.max(...perClass) - Math.min(...perClass) <= 1, perClass.join(','));
  });

  it('fills up from other classes when one class is small', () => {
    const labels = Uint8Array.from({ length: 30 }, (_, i) => (i < 2 ? 0 : 1));
    const data: Dataset = { images: new Float32Array(30), labels, count: 30 };
    const subset = takeSubset(data, 20, 0);
    assert.equal(subset.count, 20);
    assert.equal(subset.labels.filter((l) => l === 0).length, 2);
  });

  it('takes a plain random subset when balanced is false', () => {
    const subset = takeSubset(toyDataset(100), 10, 4, { balanced: false });
    assert.equal(new Set(ids(subset)).size, 10);
  });

  it('rejects n larger than the dataset and inconsistent datasets', () => {
    assert.throws(
      () => takeSubset(toyDataset(5), 6, 0),
      (e: unknown) => e instanceof DistillError && /n <= 5/.test(e.message),
    );
    const broken = { images: new Float32Array(5), labels: new Uint8Array(2), count: 2 };
    assert.throws(
      () => takeSubset(broken, 1, 0),
      (e: unknown) => e instanceof DistillError && /not a multiple of count 2/.test(e.message),
    );
  });
});
