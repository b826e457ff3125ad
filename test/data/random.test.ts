import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DistillError } from '../../src/errors.js';
import {
  createRng,
  deriveSeed,
  normalizeSeed,
  permutation,
  shuffleInPlace,
} from '../../src/data/index.js';

function draw(seed: number, n: number): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => rng.next());
}

describe('createRng', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    assert.deepEqual(draw(42, 20), draw(42, 20));
    assert.notDeepEqual(draw(42, 20), draw(43, 20));
  });

  it('stays in [0, 1) and is roughly uniform', () => {
    const values = draw(7, 20000);
    assert.ok(values.every((v) => v >= 0 && v < 1));
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    assert.ok(Math.abs(mean - 0.5) < 0.01, `mean ${mean}`);
    const buckets = new Array<number>(10).fill(0);
    for (const v of values) buckets[Math.floor(v * 10)]!++;
    assert.ok(
      buckets.every((b) => b > 1800 && b < 2200),
      `buckets ${buckets.join(',')}`,
    );
  });

  it('nextInt stays in range and hits every value', () => {
    const rng = createRng(3);
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) {
      const k = rng.nextInt(6);
      assert.ok(Number.isInteger(k) && k >= 0 && k < 6);
      seen.add(k);
    }
    assert.equal(seen.size, 6);
  });
});

describe('normalizeSeed', () => {
  it('rejects non-integers with INVALID_ARGUMENT', () => {
    for (const bad of [1.5, NaN, '1', undefined]) {
      assert.throws(
        () => normalizeSeed(bad),
        (e: unknown) =>
          e instanceof DistillError && e.code === 'INVALID_ARGUMENT' && /seed/.test(e.message),
      );
    }
  });

  it('maps negative seeds to distinct 32-bit values', () => {
    assert.notEqual(normalizeSeed(-1), normalizeSeed(1));
    assert.equal(normalizeSeed(-1), 0xffffffff);
  });
});

describe('deriveSeed', () => {
  it('is deterministic and separates neighbouring parts', () => {
    assert.equal(deriveSeed(1, 2, 3), deriveSeed(1, 2, 3));
    const seeds = new Set([0, 1, 2, 3, 4].map((epoch) => deriveSeed(1, epoch)));
    assert.equal(seeds.size, 5);
    assert.notEqual(deriveSeed(1, 2), deriveSeed(2, 1));
  });
});

describe('permutation', () => {
  it('contains every index exactly once', () => {
    const p = permutation(1000, createRng(5));
    assert.deepEqual(
      [...p].sort((a, b) => a - b),
      Array.from({ length: 1000 }, (_, i) => i),
    );
  });

  it('shuffleInPlace handles empty and single-element arrays', () => {
    assert.deepEqual(shuffleInPlace([], createRng(1)), []);
    assert.deepEqual(shuffleInPlace([9], createRng(1)), [9]);
  });
});
