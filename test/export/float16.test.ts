import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import {
  decodeFloat16,
  encodeFloat16,
  fromFloat16Bits,
  toFloat16Bits,
} from '../../src/export/float16.js';

/** What tfjs itself reads from float16 bits: the decoder a page uses when it loads a model. */
function tfjsDecode(bits: Uint16Array): Float32Array {
  const decoded = tf.io.decodeWeights(bits.slice().buffer, [
    { name: 'w', shape: [bits.length], dtype: 'float32', quantization: { dtype: 'float16' } },
  ]);
  const values = decoded.w!.dataSync() as Float32Array;
  decoded.w!.dispose();
  return values;
}

describe('float16', () => {
  it('toFloat16Bits writes the IEEE 754 half-precision patterns of known values', () => {
    assert.equal(toFloat16Bits(0), 0x0000);
    assert.equal(toFloat16Bits(-0), 0x8000);
    assert.equal(toFloat16Bits(1), 0x3c00);
    assert.equal(toFloat16Bits(-2), 0xc000);
    assert.equal(toFloat16Bits(0.5), 0x3800);
    assert.equal(toFloat16Bits(65504), 0x7bff);
    assert.equal(toFloat16Bits(2 ** -24), 0x0001); // smallest subnormal
    assert.equal(toFloat16Bits(2 ** -14), 0x0400); // smallest normal
    assert.equal(toFloat16Bits(Infinity), 0x7c00);
    assert.equal(toFloat16Bits(-Infinity), 0xfc00);
    assert.equal(toFloat16Bits(1e6), 0x7c00);
    assert.ok(Number.isNaN(fromFloat16Bits(toFloat16Bits(Number.NaN))));
  });

  it('toFloat16Bits rounds to nearest, ties to even', () => {
    // 1 + 2^-11 lies half way between 1 and 1 + 2^-10: the even mantissa (1) wins.
    assert.equal(toFloat16Bits(1 + 2 ** -11), 0x3c00);
    // 1 + 3 * 2^-11 lies half way between 1 + 2^-10 (odd) and 1 + 2^-9 (even).
    assert.equal(toFloat16Bits(1 + 3 * 2 ** -11), 0x3c02);
    assert.equal(toFloat16Bits(1 + 2 ** -11 + 2 ** -20), 0x3c01);
    // Rounding up out of the largest finite value overflows to infinity.
    assert.equal(toFloat16Bits(65520), 0x7c00);
    assert.equal(toFloat16Bits(65519), 0x7bff);
  });

  it('encodeFloat16 keeps every value within half a float16 step, as tfjs decodes it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ min: -60000, max: 60000, noNaN: true }), { minLength: 1 }),
        (values) => {
          const input = Float32Array.from(values);
          const bits = encodeFloat16(input);
          const ours = decodeFloat16(bits);
          const theirs = tfjsDecode(bits);
          input.forEach((v, i) => {
            assert.equal(ours[i], theirs[i], `tfjs reads ${theirs[i]}, we read ${ours[i]}`);
            // A step of float16 at |v| is 2^(exponent - 10), and at least the subnormal step.
            const step = Math.max(2 ** -24, 2 ** (Math.floor(Math.log2(Math.abs(v) || 1)) - 10));
            assert.ok(Math.abs(ours[i]! - v) <= step / 2, `${v} became ${ours[i]}`);
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});
