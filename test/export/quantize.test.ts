import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { checkQuantize, encodeWeight, encodeWeights } from '../../src/export/quantize.js';
import { distillError } from '../helpers/errors.js';

const spec = (n: number, name = 'w'): tf.io.WeightsManifestEntry => ({
  name,
  shape: [n],
  dtype: 'float32',
});
const bytesOf = (values: Float32Array): Uint8Array => new Uint8Array(values.buffer);

/** The values tfjs reads back from an encoded weight, as it does when a page loads the model. */
function dequantized(encoded: ReturnType<typeof encodeWeight>): Float32Array {
  const out = tf.io.decodeWeights(encoded.bytes.slice().buffer, [encoded.spec]);
  const values = out[encoded.spec.name]!.dataSync() as Float32Array;
  tf.dispose(Object.values(out));
  return values;
}

describe('quantize', () => {
  for (const dtype of ['uint8', 'uint16'] as const) {
    it(`encodeWeight (${dtype}) writes scale and min that tfjs dequantizes within one step`, () => {
      fc.assert(
        fc.property(
          fc.array(fc.float({ min: -10, max: 10, noNaN: true }), { minLength: 2 }),
          (values) => {
            const input = Float32Array.from(values);
            const encoded = encodeWeight(spec(input.length), bytesOf(input), dtype);
            const q = encoded.spec.quantization!;
            assert.equal(q.dtype, dtype);
            assert.equal(encoded.bytes.length, input.length * (dtype === 'uint8' ? 1 : 2));
            const back = dequantized(encoded);
            input.forEach((v, i) => {
              // Half a step from rounding, half a step from nudging zero onto the grid.
              assert.ok(Math.abs(back[i]! - v) <= q.scale! * 1.0001 + 1e-7, `${v} -> ${back[i]}`);
            });
          },
        ),
        { numRuns: 100 },
      );
    });
  }

  it('encodeWeight (uint8) stores zero exactly, so zero biases stay zero', () => {
    const input = Float32Array.from([-0.3, 0, 0.71, 0, 1.9]);
    const back = dequantized(encodeWeight(spec(5), bytesOf(input), 'uint8'));
    assert.equal(back[1], 0);
    assert.equal(back[3], 0);
  });

  it('encodeWeight (uint8) of a constant tensor reads back exactly', () => {
    const back = dequantized(encodeWeight(spec(3), bytesOf(new Float32Array(3)), 'uint8'));
    assert.deepEqual([...back], [0, 0, 0]);
  });

  it('encodeWeight leaves int32 weights and unquantized exports as they are', () => {
    const ints = new Uint8Array(new Int32Array([1, 2, 3]).buffer);
    const int = encodeWeight({ name: 'step', shape: [3], dtype: 'int32' }, ints, 'uint8');
    assert.equal(int.spec.quantization, undefined);
    assert.equal(int.bytes, ints);
    const plain = encodeWeight(spec(1), bytesOf(Float32Array.of(1)), undefined);
    assert.equal(plain.spec.quantization, undefined);
  });

  it('encodeWeight (float16) refuses a weight beyond its range, naming the weight', () => {
    assert.throws(
      () => encodeWeight(spec(2, 'dense/kernel'), bytesOf(Float32Array.of(1, 7e4)), 'float16'),
      distillError('INVALID_ARGUMENT', /dense\/kernel holds 70000/, /--quantize uint16/),
    );
  });

  it('encodeWeights splits concatenated weights by their specs and refuses short data', () => {
    const data = bytesOf(Float32Array.of(1, 2, 3, 4, 5));
    const out = encodeWeights([spec(2, 'a'), spec(3, 'b')], data, 'float16');
    assert.deepEqual(
      out.map((w) => [w.spec.name, w.bytes.length]),
      [
        ['a', 4],
        ['b', 6],
      ],
    );
    assert.throws(
      () => encodeWeights([spec(6, 'big')], data, undefined),
      distillError('DATA_CORRUPT', /before weight big/),
    );
  });

  it('checkQuantize accepts the dtypes and float32, and names a wrong one with the choices', () => {
    assert.equal(checkQuantize('uint8', '--quantize'), 'uint8');
    assert.equal(checkQuantize('float32', '--quantize'), undefined);
    assert.equal(checkQuantize(undefined, '--quantize'), undefined);
    assert.throws(
      () => checkQuantize('int4', '--quantize'),
      distillError(
        'INVALID_ARGUMENT',
        /^--quantize must be float16, uint8 or uint16 .* but got "int4"\.$/,
      ),
    );
  });
});
