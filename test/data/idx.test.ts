import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DistillError } from '../../src/errors.js';
import {
  IDX_IMAGES_MAGIC,
  IDX_LABELS_MAGIC,
  decodeMnist,
  parseIdx,
  parseIdxHeader,
} from '../../src/data/index.js';
import { idxBytes } from '../helpers/idx.js';

function corrupt(pattern: RegExp): (e: unknown) => boolean {
  return (e) => {
    assert.ok(e instanceof DistillError, `not a DistillError: ${String(e)}`);
    assert.equal(e.code, 'DATA_CORRUPT');
    assert.match(e.message, pattern);
    return true;
  };
}

describe('parseIdx', () => {
  it('parses a labels file: magic, dims and a view of the values', () => {
    const parsed = parseIdx(idxBytes([3], [7, 0, 9]), 'labels', IDX_LABELS_MAGIC);
    assert.equal(parsed.magic, IDX_LABELS_MAGIC);
    assert.deepEqual(parsed.dims, [3]);
    assert.deepEqual([...parsed.data], [7, 0, 9]);
  });

  it('parses an images file with three dimensions', () => {
    const values = Array.from({ length: 2 * 2 * 3 }, (_, i) => i);
    const parsed = parseIdx(idxBytes([2, 2, 3], values), 'images', IDX_IMAGES_MAGIC);
    assert.deepEqual(parsed.dims, [2, 2, 3]);
    assert.equal(parsed.recordBytes, 6);
    assert.equal(parsed.headerBytes, 16);
    assert.deepEqual([...parsed.data], values);
  });

  it('reports a truncated file with the expected and actual sizes and the file name', () => {
    const bytes = idxBytes([4, 2, 2], new Array<number>(16).fill(1)).subarray(0, 20);
    assert.throws(
      () => parseIdx(bytes, 'train-images-idx3-ubyte'),
      corrupt(/train-images-idx3-ubyte.*truncated: expected 32 bytes.*got 20/),
    );
  });

  it('reports trailing bytes', () => {
    const bytes = new Uint8Array([...idxBytes([2], [1, 2]), 0]);
    assert.throws(() => parseIdx(bytes, 'x'), corrupt(/trailing bytes: expected 10 bytes.*got 11/));
  });

  it('reports a bad magic number in hex', () => {
    const bytes = idxBytes([2], [1, 2]);
    bytes[0] = 0x12;
    assert.throws(() => parseIdx(bytes, 'labels'), corrupt(/labels.*bad magic 0x12000801/));
  });

  it('reports a magic number of the wrong kind', () => {
    assert.throws(
      () => parseIdx(idxBytes([2], [1, 2]), 'imgs', IDX_IMAGES_MAGIC),
      corrupt(/bad magic 0x00000801, expected 0x00000803 \(unsigned-byte images\)/),
    );
  });

  it('rejects data types other than unsigned bytes', () => {
    assert.throws(
      () => parseIdx(idxBytes([1], [0, 0, 0, 0], 0x0d), 'floats'),
      corrupt(/0x0d \(float32\) is not supported/),
    );
  });

  it('recognises gzip-compressed input', () => {
    assert.throws(
      () => parseIdxHeader(new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0]), 'a.gz'),
      corrupt(/gzip-compressed/),
    );
  });

  it('reports a truncated header', () => {
    assert.throws(
      () => parseIdxHeader(idxBytes([5, 28, 28], []).subarray(0, 10), 'h'),
      corrupt(/truncated header: expected 16 bytes .* got 10/),
    );
    assert.throws(() => parseIdxHeader(new Uint8Array(2), 'tiny'), corrupt(/at least 4/));
  });

  it('rejects input that is not a Uint8Array', () => {
    assert.throws(
      () => parseIdx([0, 0, 8, 1] as unknown as Uint8Array),
      (e: unknown) => e instanceof TypeError && e instanceof DistillError,
    );
  });
});

describe('decodeMnist', () => {
  const images = (n: number, fill: number): Uint8Array =>
    idxBytes([n, 28, 28], new Array<number>(n * 784).fill(fill));

  it('scales pixels to [0, 1] and applies the limit', () => {
    const data = decodeMnist(images(3, 255), idxBytes([3], [1, 2, 3]), { limit: 2 });
    assert.equal(data.count, 2);
    assert.equal(data.images.length, 2 * 784);
    assert.ok(data.images.every((v) => v === 1));
    assert.deepEqual([...data.labels], [1, 2]);
  });

  it('rejects labels outside 0-9 and mismatched counts', () => {
    assert.throws(
      () => decodeMnist(images(2, 0), idxBytes([2], [1, 12]), { labelsName: 'lbl' }),
      corrupt(/lbl: label 1 is 12/),
    );
    assert.throws(
      () => decodeMnist(images(2, 0), idxBytes([3], [1, 2, 3])),
      corrupt(/2 images but .* 3 labels/),
    );
  });

  it('rejects images that are not 28x28', () => {
    assert.throws(
      () => decodeMnist(idxBytes([1, 2, 2], [0, 0, 0, 0]), idxBytes([1], [1])),
      corrupt(/2x2 images/),
    );
  });
});
