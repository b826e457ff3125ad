import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { decodeValue, encodeValue, type EncodedValue } from '../../src/worker/tensor-codec.js';
import { distillError } from '../helpers/errors.js';
import { expectNoLeaks } from '../helpers/tensors.js';

describe('tensor codec', () => {
  it('round-trips tensors of each dtype inside arrays and plain objects', async () => {
    const value = {
      a: tf.tensor2d([1.5, -2, 3, 4], [2, 2]),
      list: [tf.tensor1d([1, 2, 3], 'int32'), tf.tensor1d([true, false], 'bool'), 'tag', 7],
    };
    const transfer: ArrayBuffer[] = [];
    const encoded = await expectNoLeaks(() => encodeValue(value, transfer));
    assert.equal(transfer.length, 3);
    // A structured clone that transfers the buffers, as postMessage does.
    const received = structuredClone<EncodedValue>(encoded, { transfer });
    // The sender's tensors keep their data: only copies were transferred.
    assert.deepEqual(Array.from(value.a.dataSync()), [1.5, -2, 3, 4]);
    const decoded = decodeValue(received) as {
      a: tf.Tensor;
      list: [tf.Tensor, tf.Tensor, string, number];
    };
    assert.deepEqual(decoded.a.shape, [2, 2]);
    assert.deepEqual(Array.from(decoded.a.dataSync()), [1.5, -2, 3, 4]);
    assert.equal(decoded.list[0].dtype, 'int32');
    assert.deepEqual(Array.from(decoded.list[0].dataSync()), [1, 2, 3]);
    assert.equal(decoded.list[1].dtype, 'bool');
    assert.deepEqual(Array.from(decoded.list[1].dataSync()), [1, 0]);
    assert.deepEqual(decoded.list.slice(2), ['tag', 7]);
    tf.dispose([value.a, value.list[0], value.list[1]]);
    tf.dispose([decoded.a, decoded.list[0], decoded.list[1]]);
  });

  it('refuses string tensors and messages that are not encoded values', () => {
    const s = tf.tensor1d(['a', 'b']);
    assert.throws(
      () => encodeValue(s, []),
      distillError(
        'INVALID_ARGUMENT',
        /Cannot send a string tensor of shape \[2\] between threads/,
      ),
    );
    s.dispose();
    assert.throws(
      () => decodeValue({ kind: 'mystery' } as unknown as EncodedValue),
      distillError('DATA_CORRUPT', /Expected an encoded value from a worker, but got/),
    );
  });
});
