import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RawImage } from '../../../src/data/sources/image-decode.js';
import {
  convertChannels,
  resizeBilinear,
  writeScaled,
} from '../../../src/data/sources/image-transform.js';

function image(channels: 1 | 3, values: number[], width: number): RawImage {
  const data = Float32Array.from(values);
  return { width, height: values.length / channels / width, channels, data, format: 'PNG' };
}

function close(actual: ArrayLike<number>, expected: number[], tolerance = 1e-4): void {
  assert.equal(actual.length, expected.length);
  expected.forEach((e, i) =>
    assert.ok(Math.abs(actual[i]! - e) <= tolerance, `element ${i}: ${actual[i]} != ${e}`),
  );
}

describe('convertChannels', () => {
  it('turns RGB into gray by the BT.601 luma weights and gray into RGB by repeating', () => {
    close(
      convertChannels(image(3, [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 10, 10], 4), 1),
      [76.245, 149.685, 29.07, 10],
    );
    close(convertChannels(image(1, [5, 250], 2), 3), [5, 5, 5, 250, 250, 250]);
  });

  it('returns the pixels unchanged when the channels already match', () => {
    const gray = image(1, [1, 2], 2);
    assert.equal(convertChannels(gray, 1), gray.data);
  });
});

describe('resizeBilinear', () => {
  it('returns the input itself at the same size', () => {
    const src = Float32Array.from([1, 2, 3, 4]);
    assert.equal(resizeBilinear(src, 2, 2, 1, 2, 2), src);
  });

  it('halves a size by averaging pixel pairs (half-pixel centres)', () => {
    // 1x4 gray -> 1x2: output centres fall midway between input pixels 0,1 and 2,3.
    close(resizeBilinear(Float32Array.from([0, 10, 20, 40]), 1, 4, 1, 1, 2), [5, 30]);
    // 2x2 RGB -> 1x1: the mean of the four pixels, per channel.
    const rgb = Float32Array.from([0, 100, 4, 10, 100, 8, 20, 100, 12, 30, 100, 16]);
    close(resizeBilinear(rgb, 2, 2, 3, 1, 1), [15, 100, 10]);
  });

  it('doubles a size by interpolating between neighbours and clamping at the edges', () => {
    // 1x2 -> 1x4: samples at -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1).
    close(resizeBilinear(Float32Array.from([0, 100]), 1, 2, 1, 1, 4), [0, 25, 75, 100]);
  });

  it('keeps a constant image constant at any size', () => {
    const out = resizeBilinear(new Float32Array(5 * 7 * 3).fill(42), 5, 7, 3, 13, 4);
    assert.equal(out.length, 13 * 4 * 3);
    assert.ok(out.every((v) => Math.abs(v - 42) < 1e-4));
  });
});

describe('writeScaled', () => {
  it('maps 0..255 linearly onto [min, max] at the offset', () => {
    const target = new Float32Array(5);
    writeScaled(Float32Array.from([0, 127.5, 255]), target, 1, [-1, 1]);
    close(target, [0, -1, 0, 1, 0]);
  });
});
