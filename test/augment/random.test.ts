import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SeededRandom } from '../../src/augment/index.js';
import { assertDistillError } from './assertions.js';

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function variance(values: readonly number[]): number {
  const m = mean(values);
  return mean(values.map((v) => (v - m) ** 2));
}

function draw(count: number, sample: () => number): number[] {
  return Array.from({ length: count }, sample);
}

describe('SeededRandom', () => {
  it('SeededRandom produces the same stream for the same seed', () => {
    const a = new SeededRandom(123);
    const b = new SeededRandom(123);
    assert.deepEqual(
      draw(20, () => a.nextUint32()),
      draw(20, () => b.nextUint32()),
    );
  });

  it('SeededRandom produces unrelated streams for neighbouring and large seeds', () => {
    const streams = [0, 1, 2 ** 32, Date.UTC(2024, 0, 1)].map((seed) => {
      const random = new SeededRandom(seed);
      return draw(4, () => random.nextUint32()).join(',');
    });
    assert.equal(new Set(streams).size, streams.length);
  });

  it('SeededRandom seeds itself from Math.random when no seed is given', () => {
    const a = new SeededRandom();
    const b = new SeededRandom();
    assert.notDeepEqual(
      draw(4, () => a.nextUint32()),
      draw(4, () => b.nextUint32()),
    );
  });

  it('SeededRandom.uniform stays in [low, high) with mean near the middle', () => {
    const random = new SeededRandom(1);
    const values = draw(20000, () => random.uniform(2, 4));
    assert.ok(values.every((v) => v >= 2 && v < 4));
    assert.ok(Math.abs(mean(values) - 3) < 0.02, `mean ${mean(values)}`);
  });

  it('SeededRandom.integer draws every outcome about equally often', () => {
    const random = new SeededRandom(2);
    const counts = [0, 0, 0, 0, 0, 0, 0];
    for (let i = 0; i < 70000; i++) counts[random.integer(7)]!++;
    for (const count of counts)
      assert.ok(Math.abs(count - 10000) < 400, `counts ${counts.join(', ')}`);
  });

  it('SeededRandom.integer rejects a non-positive or fractional n', () => {
    const random = new SeededRandom(2);
    assertDistillError(() => random.integer(0), 'INVALID_ARGUMENT', /got 0\./);
    assertDistillError(() => random.integer(2.5), 'INVALID_ARGUMENT', /got 2\.5\./);
  });

  it('SeededRandom.normal has the requested mean and standard deviation', () => {
    const random = new SeededRandom(3);
    const values = draw(20000, () => random.normal(1, 2));
    assert.ok(Math.abs(mean(values) - 1) < 0.05, `mean ${mean(values)}`);
    assert.ok(Math.abs(Math.sqrt(variance(values)) - 2) < 0.05, `std ${variance(values)}`);
  });

  it('SeededRandom.gamma has mean shape times scale, for shapes below and above 1', () => {
    const random = new SeededRandom(4);
    for (const [shape, scale] of [
      [0.3, 1],
      [1, 2],
      [4.5, 0.5],
    ] as const) {
      const values = draw(20000, () => random.gamma(shape, scale));
      assert.ok(values.every((v) => v >= 0));
      const expected = shape * scale;
      assert.ok(
        Math.abs(mean(values) - expected) < 0.05 * Math.max(1, expected),
        `Gamma(${shape}, ${scale}) mean ${mean(values)}`,
      );
    }
  });

  it('SeededRandom.gamma rejects a non-positive shape', () => {
    assertDistillError(() => new SeededRandom(4).gamma(-1), 'INVALID_ARGUMENT', /got -1\./);
  });

  it('SeededRandom.beta has mean 0.5 for equal shapes and a/(a+b) otherwise', () => {
    const random = new SeededRandom(5);
    for (const alpha of [0.2, 1, 4]) {
      const values = draw(20000, () => random.beta(alpha, alpha));
      assert.ok(values.every((v) => v >= 0 && v <= 1));
      assert.ok(Math.abs(mean(values) - 0.5) < 0.01, `Beta(${alpha}, ${alpha}) mean`);
    }
    const skewed = draw(20000, () => random.beta(2, 6));
    assert.ok(Math.abs(mean(skewed) - 0.25) < 0.01, `Beta(2, 6) mean ${mean(skewed)}`);
  });

  it('SeededRandom.beta stays finite for tiny shapes, where the gamma variates underflow', () => {
    const random = new SeededRandom(6);
    const values = draw(2000, () => random.beta(0.01, 0.01));
    assert.ok(values.every((v) => Number.isFinite(v) && v >= 0 && v <= 1));
    // Such a Beta puts nearly all its mass at 0 and 1, about half at each end.
    const high = values.filter((v) => v > 0.5).length / values.length;
    assert.ok(Math.abs(high - 0.5) < 0.05, `share above 0.5: ${high}`);
  });

  it('SeededRandom.permutation returns every index once and every order about equally often', () => {
    const random = new SeededRandom(7);
    const counts = new Map<string, number>();
    for (let i = 0; i < 6000; i++) {
      const perm = random.permutation(3);
      assert.deepEqual([...perm].sort(), [0, 1, 2]);
      counts.set(perm.join(''), (counts.get(perm.join('')) ?? 0) + 1);
    }
    assert.equal(counts.size, 6);
    for (const count of counts.values()) assert.ok(Math.abs(count - 1000) < 150);
    assert.deepEqual(random.permutation(0), []);
  });

  it('SeededRandom.fork gives a reproducible stream distinct from the parent', () => {
    const a = new SeededRandom(8).fork();
    const b = new SeededRandom(8).fork();
    const parent = new SeededRandom(8);
    const fromA = draw(4, () => a.nextUint32());
    assert.deepEqual(
      fromA,
      draw(4, () => b.nextUint32()),
    );
    assert.notDeepEqual(
      fromA,
      draw(4, () => parent.nextUint32()),
    );
  });

  it('SeededRandom rejects a seed that is not a safe integer, naming the value', () => {
    assertDistillError(() => new SeededRandom(1.5), 'INVALID_CONFIG', /seed/, /got 1\.5\./);
    assertDistillError(() => new SeededRandom(NaN), 'INVALID_CONFIG', /got NaN\./);
  });
});
