import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encode as encodePng } from 'fast-png';
import jpeg from 'jpeg-js';
import {
  ImageDecodeError,
  decodeImage,
  detectImageFormat,
} from '../../../src/data/sources/image-decode.js';

const rgbPixels = Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30]); // 2x2

function jpegOf(
  width: number,
  height: number,
  rgb: (x: number, y: number) => number[],
): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set([...rgb(x, y), 255], (y * width + x) * 4);
  }
  return jpeg.encode({ data, width, height }, 95).data;
}

describe('detectImageFormat', () => {
  it('tells PNG and JPEG by their first bytes, and nothing else', () => {
    assert.equal(
      detectImageFormat(encodePng({ width: 1, height: 1, data: Uint8Array.of(0), channels: 1 })),
      'PNG',
    );
    assert.equal(detectImageFormat(jpegOf(8, 8, () => [1, 2, 3])), 'JPEG');
    assert.equal(detectImageFormat(new TextEncoder().encode('PNG but not really')), undefined);
    assert.equal(detectImageFormat(Uint8Array.from([0x89, 0x50])), undefined);
  });
});

describe('decodeImage', () => {
  it('decodes an 8-bit RGB PNG exactly', () => {
    const image = decodeImage(encodePng({ width: 2, height: 2, data: rgbPixels, channels: 3 }));
    assert.equal(image.format, 'PNG');
    assert.deepEqual([image.width, image.height, image.channels], [2, 2, 3]);
    assert.deepEqual(Array.from(image.data), Array.from(rgbPixels));
  });

  it('drops the alpha of RGBA and gray+alpha PNGs', () => {
    const rgba = Uint8Array.from([1, 2, 3, 0, 4, 5, 6, 128]);
    const a = decodeImage(encodePng({ width: 2, height: 1, data: rgba, channels: 4 }));
    assert.deepEqual([a.channels, Array.from(a.data)], [3, [1, 2, 3, 4, 5, 6]]);
    const ga = Uint8Array.from([7, 0, 9, 255]);
    const b = decodeImage(encodePng({ width: 2, height: 1, data: ga, channels: 2 }));
    assert.deepEqual([b.channels, Array.from(b.data)], [1, [7, 9]]);
  });

  it('scales 16-bit samples down to 0..255', () => {
    const data = Uint16Array.from([0, 65535, 257 * 100, 32768]);
    const image = decodeImage(encodePng({ width: 2, height: 2, data, channels: 1, depth: 16 }));
    assert.equal(image.channels, 1);
    assert.deepEqual(Array.from(image.data.slice(0, 3)), [0, 255, 100]);
    assert.ok(Math.abs(image.data[3]! - 127.5) < 0.01);
  });

  it('unpacks gray PNGs of 1, 2 and 4 bits per pixel, each row starting on a byte', () => {
    // 3x2 at 1 bit: row 0 = 1 0 1, row 1 = 0 1 1 (each row padded to a byte).
    const one = decodeImage(
      encodePng({
        width: 3,
        height: 2,
        data: Uint8Array.from([0b10100000, 0b01100000]),
        channels: 1,
        depth: 1,
      }),
    );
    assert.deepEqual(Array.from(one.data), [255, 0, 255, 0, 255, 255]);
    const two = decodeImage(
      encodePng({
        width: 2,
        height: 1,
        data: Uint8Array.from([0b11010000]),
        channels: 1,
        depth: 2,
      }),
    );
    assert.deepEqual(Array.from(two.data), [255, 85]);
    const four = decodeImage(
      encodePng({ width: 2, height: 1, data: Uint8Array.from([0x0f]), channels: 1, depth: 4 }),
    );
    assert.deepEqual(Array.from(four.data), [0, 255]);
  });

  it('looks palette PNGs up as RGB, at 8 and at 2 bits per index', () => {
    const palette = [
      [10, 20, 30],
      [40, 50, 60],
      [70, 80, 90],
    ];
    const eight = decodeImage(
      encodePng({
        width: 3,
        height: 1,
        data: Uint8Array.from([2, 0, 1]),
        channels: 1,
        depth: 8,
        palette,
      }),
    );
    assert.equal(eight.channels, 3);
    assert.deepEqual(Array.from(eight.data), [70, 80, 90, 10, 20, 30, 40, 50, 60]);
    const two = decodeImage(
      encodePng({
        width: 3,
        height: 1,
        data: Uint8Array.from([0b01100000]),
        channels: 1,
        depth: 2,
        palette,
      }),
    );
    assert.deepEqual(Array.from(two.data), [40, 50, 60, 70, 80, 90, 10, 20, 30]);
  });

  it('decodes a colour JPEG as RGB, close to what was encoded', () => {
    const image = decodeImage(jpegOf(16, 8, () => [200, 40, 90]));
    assert.equal(image.format, 'JPEG');
    assert.deepEqual([image.width, image.height, image.channels], [16, 8, 3]);
    for (let c = 0; c < 3; c++) assert.ok(Math.abs(image.data[c]! - [200, 40, 90][c]!) < 6);
  });

  it('reports text, empty and truncated files as not decodable', () => {
    const isDecodeError = (pattern: RegExp) => (e: unknown) =>
      e instanceof ImageDecodeError && pattern.test(e.message);
    assert.throws(
      () => decodeImage(new TextEncoder().encode('hello')),
      isDecodeError(/not a PNG or JPEG file \(it starts with bytes 68 65 6c 6c\)/),
    );
    assert.throws(() => decodeImage(new Uint8Array(0)), isDecodeError(/empty/));
    const png = encodePng({ width: 8, height: 8, data: new Uint8Array(192).fill(9), channels: 3 });
    assert.throws(
      () => decodeImage(png.subarray(0, 40)),
      isDecodeError(/PNG decoder failed|truncated/),
    );
    const jpg = jpegOf(16, 16, (x) => [x * 10, 0, 0]);
    assert.throws(() => decodeImage(jpg.subarray(0, 20)), isDecodeError(/JPEG/));
  });
});
