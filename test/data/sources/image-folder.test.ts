import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { encode as encodePng } from 'fast-png';
import { DistillError } from '../../../src/errors.js';
import {
  looksLikeImageFolder,
  openImageFolder,
  type ImageFolderSource,
  type ImageFolderSplit,
} from '../../../src/data/sources/image-folder.js';
import type { SplitReadOptions } from '../../../src/data/sources/source.js';
import { fixturesDir } from '../../helpers/paths.js';
import { expectNoLeaks } from '../../helpers/tensors.js';

const shapes = path.join(fixturesDir, 'shapes');
const shapesTrain = path.join(shapes, 'train');
const CLASSES = ['circle', 'square', 'triangle'];

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-distill-images-'));
  tempDirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** Writes a PNG of one colour (gray when `rgb` has one value). */
function writePng(file: string, width: number, height: number, rgb: number[] = [128]): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const data = new Uint8Array(width * height * rgb.length);
  for (let p = 0; p < width * height; p++) data.set(rgb, p * rgb.length);
  fs.writeFileSync(file, encodePng({ width, height, data, channels: rgb.length }));
}

/** A folder with `perClass` 4x4 gray PNGs in each of the classes a and b. */
function smallFolder(perClass = 5): string {
  const root = tempDir();
  for (const cls of ['a', 'b']) {
    for (let i = 0; i < perClass; i++) writePng(path.join(root, cls, `${i}.png`), 4, 4, [i * 10]);
  }
  return root;
}

function hasCode(code: string, ...patterns: RegExp[]): (e: unknown) => boolean {
  return (e) => {
    assert.ok(e instanceof DistillError, `not a DistillError: ${String(e)}`);
    assert.equal(e.code, code, e.message);
    for (const pattern of patterns) assert.match(e.message, pattern);
    return true;
  };
}

const escape = (s: string): RegExp => new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

interface Read {
  labels: number[];
  sizes: number[];
  sums: number[];
}

/** Reads one epoch, disposing every batch, and sums up what it saw. */
async function readAll(
  split: ImageFolderSplit,
  options: Partial<SplitReadOptions> = {},
): Promise<Read> {
  const read: Read = { labels: [], sizes: [], sums: [] };
  const batches = split.batches({ batchSize: 32, seed: 1, epoch: 0, ...options });
  for await (const { x, y, size } of batches) {
    try {
      read.labels.push(...(y.dataSync() as Int32Array));
      read.sizes.push(size);
      const sums = x.sum([1, 2, 3]);
      read.sums.push(...(sums.dataSync() as Float32Array));
      sums.dispose();
    } finally {
      tf.dispose([x, y]);
    }
  }
  return read;
}

function histogram(labels: readonly number[]): number[] {
  const counts = [0, 0, 0];
  for (const label of labels) counts[label]! += 1;
  return counts;
}

describe('openImageFolder', () => {
  let source: ImageFolderSource;

  it('lists the classes, splits by the train/ and test/ folders and describes the folder', async () => {
    source = await openImageFolder({ path: shapes });
    assert.deepEqual(source.classNames, CLASSES);
    assert.equal(source.numClasses, 3);
    assert.equal(source.layout, 'split');
    assert.deepEqual(source.inputShape, [32, 32, 3]);
    assert.equal(source.train.count, 300);
    assert.equal(source.test.count, 90);
    assert.equal(source.validation, undefined);
    assert.deepEqual(histogram(source.train.labels), [100, 100, 100]);
    source.train.files.forEach((file, i) => {
      assert.equal(path.basename(path.dirname(file)), CLASSES[source.train.labels[i]!]);
      assert.equal(path.basename(path.dirname(path.dirname(file))), 'train');
    });
    assert.ok(source.test.files.every((f) => f.includes(`${path.sep}test${path.sep}`)));
    assert.equal(
      source.description,
      'image folder shapes (3 classes, 390 PNG/JPEG images, 32x32 RGB)',
    );
    assert.deepEqual(source.formats, ['JPEG', 'PNG']);
  });

  it('yields float32 [b, h, w, c] images in [0, 1] and int32 labels in listing order without shuffle', async () => {
    const batches = source.test.batches({ batchSize: 32, seed: 0, epoch: 0, shuffle: false });
    const first = await batches.next();
    assert.ok(!first.done);
    const { x, y, size } = first.value;
    try {
      assert.deepEqual(x.shape, [32, 32, 32, 3]);
      assert.equal(x.dtype, 'float32');
      assert.deepEqual(y.shape, [32]);
      assert.equal(y.dtype, 'int32');
      assert.equal(size, 32);
      const [min, max] = [x.min().dataSync()[0]!, x.max().dataSync()[0]!];
      assert.ok(min >= 0 && max <= 1 && max - min > 0.5, `range ${min}..${max}`);
    } finally {
      tf.dispose([x, y]);
    }
    await batches.return?.();
    const read = await readAll(source.test, { shuffle: false });
    assert.deepEqual(read.labels, source.test.labels);
    assert.deepEqual(read.sizes, [32, 32, 26]);
  });

  it('maps pixels onto the scale given', async () => {
    const scaled = await openImageFolder({ path: shapes, scale: [-1, 1] });
    const a = await readAll(source.test, { shuffle: false });
    const b = await readAll(scaled.test, { shuffle: false });
    const perImage = 32 * 32 * 3;
    b.sums.forEach((sum, i) => assert.ok(Math.abs(sum - (2 * a.sums[i]! - perImage)) < 0.5));
  });

  it('shuffles each epoch differently, reproducibly from seed and epoch, each image once', async () => {
    const e0 = await readAll(source.train, { epoch: 0 });
    const e0again = await readAll(source.train, { epoch: 0 });
    const e1 = await readAll(source.train, { epoch: 1 });
    const otherSeed = await readAll(source.train, { epoch: 0, seed: 2 });
    assert.deepEqual(e0again, e0);
    assert.notDeepEqual(e1.labels, e0.labels);
    assert.notDeepEqual(otherSeed.labels, e0.labels);
    const listed = await readAll(source.train, { shuffle: false });
    assert.notDeepEqual(e0.labels, listed.labels);
    for (const read of [e0, e1, otherSeed]) {
      assert.deepEqual(histogram(read.labels), [100, 100, 100]);
      const sorted = (s: number[]): number[] => [...s].sort((p, q) => p - q);
      assert.deepEqual(sorted(read.sums), sorted(listed.sums));
    }
  });

  it('splits a folder of classes at random, stratified and reproducibly from seed', async () => {
    const a = await openImageFolder({ path: shapesTrain, seed: 5 });
    assert.equal(a.layout, 'classes');
    assert.deepEqual(histogram(a.test.labels), [20, 20, 20]);
    assert.deepEqual(histogram(a.train.labels), [80, 80, 80]);
    assert.deepEqual(
      [...a.train.files, ...a.test.files].sort(),
      (await listAll(shapesTrain)).sort(),
    );
    const again = await openImageFolder({ path: shapesTrain, seed: 5 });
    assert.deepEqual(again.test.files, a.test.files);
    const other = await openImageFolder({ path: shapesTrain, seed: 6 });
    assert.notDeepEqual(other.test.files, a.test.files);
    const tenth = await openImageFolder({
      path: shapesTrain,
      seed: 5,
      testFraction: 0.1,
      validationFraction: 0.25,
    });
    assert.deepEqual(histogram(tenth.test.labels), [10, 10, 10]);
    assert.deepEqual(histogram(tenth.validation!.labels), [23, 23, 23]); // round(0.25 * 90)
    assert.deepEqual(histogram(tenth.train.labels), [67, 67, 67]);
    const seen = new Set([...tenth.train.files, ...tenth.validation!.files, ...tenth.test.files]);
    assert.equal(seen.size, 300);
  });

  it('limits each split to a class-proportional random subset', async () => {
    const limited = await openImageFolder({ path: shapes, limit: { train: 30, test: 10 } });
    assert.deepEqual(histogram(limited.train.labels), [10, 10, 10]);
    assert.deepEqual(histogram(limited.test.labels), [4, 3, 3]);
    assert.ok(limited.train.files.every((f) => source.train.files.includes(f)));
    const all = await openImageFolder({ path: shapes, limit: 1000 });
    assert.equal(all.train.count, 300);
  });

  it('resizes every image to size, bilinearly', async () => {
    const resized = await openImageFolder({ path: shapes, size: [16, 20], limit: 6 });
    assert.deepEqual(resized.inputShape, [16, 20, 3]);
    assert.match(resized.description, /20x16 RGB/);
    const batch = await resized.test.batches({ batchSize: 4, seed: 0, epoch: 0 }).next();
    assert.ok(!batch.done);
    assert.deepEqual(batch.value.x.shape, [4, 16, 20, 3]);
    tf.dispose([batch.value.x, batch.value.y]);
    // Mixed sizes are fine once a size is given.
    const root = smallFolder(2);
    writePng(path.join(root, 'a', 'big.png'), 9, 7);
    const mixed = await openImageFolder({ path: root, size: [4, 4], testFraction: 0.5 });
    assert.deepEqual(mixed.inputShape, [4, 4, 1]);
    const sizes = [...(await readAll(mixed.train)).sizes, ...(await readAll(mixed.test)).sizes];
    assert.equal(
      sizes.reduce((a, b) => a + b),
      5,
    );
  });

  it('converts to gray by luma with channels: 1', async () => {
    const gray = await openImageFolder({ path: shapes, channels: 1 });
    assert.deepEqual(gray.inputShape, [32, 32, 1]);
    assert.match(gray.description, /32x32 gray/);
    const read = async (s: ImageFolderSource): Promise<tf.Tensor> => {
      const r = await s.test.batches({ batchSize: 5, seed: 0, epoch: 0, shuffle: false }).next();
      assert.ok(!r.done);
      r.value.y.dispose();
      return r.value.x;
    };
    const rgb = await read(source);
    const g = await read(gray);
    const luma = tf.tidy(() => rgb.mul(tf.tensor1d([0.299, 0.587, 0.114])).sum(-1, true));
    assert.ok(tf.tidy(() => luma.sub(g).abs().max().dataSync()[0]!) < 1e-5);
    tf.dispose([rgb, g, luma]);
  });

  it('picks 1 channel for gray images and 3 when a sampled image is in colour', async () => {
    const root = smallFolder();
    assert.deepEqual((await openImageFolder({ path: root })).inputShape, [4, 4, 1]);
    const rgb = await openImageFolder({ path: root, channels: 3 });
    const batch = await rgb.train.batches({ batchSize: 2, seed: 0, epoch: 0 }).next();
    assert.ok(!batch.done);
    assert.deepEqual(batch.value.x.shape, [2, 4, 4, 3]);
    tf.dispose([batch.value.x, batch.value.y]);
    writePng(path.join(root, 'b', '0.png'), 4, 4, [200, 10, 10]); // the first file of class b
    assert.deepEqual((await openImageFolder({ path: root })).inputShape, [4, 4, 3]);
  });

  it('decodes by content, not by name, and ignores other files', async () => {
    const root = smallFolder(3);
    fs.copyFileSync(path.join(shapes, 'train', 'circle', '001.jpg'), path.join(root, 'a', 'x.png'));
    fs.writeFileSync(path.join(root, 'a', 'notes.txt'), 'not an image');
    fs.writeFileSync(path.join(root, 'a', '.DS_Store'), 'junk');
    writePng(path.join(root, 'b', 'UPPER.PNG'), 4, 4);
    const folder = await openImageFolder({ path: root, size: [4, 4], testFraction: 0.25 });
    const all = [...folder.train.files, ...folder.test.files].map((f) => path.basename(f)).sort();
    assert.deepEqual(all, [
      '0.png',
      '0.png',
      '1.png',
      '1.png',
      '2.png',
      '2.png',
      'UPPER.PNG',
      'x.png',
    ]);
    await readAll(folder.train);
    await readAll(folder.test);
    assert.deepEqual(folder.formats, ['JPEG', 'PNG']);
  });
});

async function listAll(root: string): Promise<string[]> {
  const files: string[] = [];
  for (const cls of CLASSES) {
    for (const name of await fs.promises.readdir(path.join(root, cls)))
      files.push(path.join(root, cls, name));
  }
  return files;
}

describe('openImageFolder errors', () => {
  it('names a missing folder, a file given as folder, and a folder without class folders', async () => {
    const missing = path.join(tempDir(), 'nope');
    await assert.rejects(
      openImageFolder({ path: missing }),
      hasCode('FILE_NOT_FOUND', escape(missing)),
    );
    const file = path.join(tempDir(), 'f.png');
    writePng(file, 2, 2);
    await assert.rejects(
      openImageFolder({ path: file }),
      hasCode('INVALID_CONFIG', /is a file, not a folder/),
    );
    const flat = tempDir();
    writePng(path.join(flat, 'a.png'), 2, 2);
    await assert.rejects(
      openImageFolder({ path: flat }),
      hasCode('INVALID_CONFIG', /has no class folders/, /holds 1 images directly/),
    );
  });

  it('names an empty class folder', async () => {
    const root = smallFolder(2);
    fs.mkdirSync(path.join(root, 'empty'));
    fs.writeFileSync(path.join(root, 'empty', 'readme.txt'), 'x');
    await assert.rejects(
      openImageFolder({ path: root }),
      hasCode(
        'INVALID_CONFIG',
        escape(path.join(root, 'empty')),
        /no \.png, \.jpg or \.jpeg images/,
        /1 other files/,
      ),
    );
  });

  it('names the class missing from test/ or train/, and a lone train/ folder', async () => {
    const root = tempDir();
    writePng(path.join(root, 'train', 'cat', '0.png'), 2, 2);
    writePng(path.join(root, 'train', 'dog', '0.png'), 2, 2);
    writePng(path.join(root, 'test', 'cat', '0.png'), 2, 2);
    await assert.rejects(
      openImageFolder({ path: root }),
      hasCode('INVALID_CONFIG', /class "dog"/, /not in .*test/),
    );
    writePng(path.join(root, 'test', 'dog', '0.png'), 2, 2);
    writePng(path.join(root, 'test', 'eel', '0.png'), 2, 2);
    await assert.rejects(
      openImageFolder({ path: root }),
      hasCode('INVALID_CONFIG', /class "eel"/, /not in .*train/),
    );
    fs.rmSync(path.join(root, 'test'), { recursive: true });
    await assert.rejects(
      openImageFolder({ path: root }),
      hasCode('INVALID_CONFIG', /train\/ folder but no test\/ folder/),
    );
  });

  it('names a corrupt image, when opening and when reading a split', async () => {
    const root = smallFolder(5);
    fs.writeFileSync(path.join(root, 'a', '0.png'), 'this is text'); // sampled when opening
    await assert.rejects(
      openImageFolder({ path: root }),
      hasCode(
        'DATA_CORRUPT',
        escape(path.join(root, 'a', '0.png')),
        /not a PNG or JPEG/,
        /skipBad/,
      ),
    );
    writePng(path.join(root, 'a', '0.png'), 4, 4);
    const middle = path.join(root, 'b', '2.png'); // not sampled: found while reading
    fs.writeFileSync(middle, fs.readFileSync(path.join(root, 'b', '1.png')).subarray(0, 30));
    const folder = await openImageFolder({ path: root, testFraction: 0.2 });
    const split = folder.train.files.includes(middle) ? folder.train : folder.test;
    await assert.rejects(readAll(split), hasCode('DATA_CORRUPT', escape(middle)));
  });

  it('names two files of different sizes and suggests size, when opening and when reading', async () => {
    const root = smallFolder(4);
    writePng(path.join(root, 'b', '3.png'), 6, 5); // the last file of b is sampled
    await assert.rejects(
      openImageFolder({ path: root }),
      hasCode(
        'INVALID_CONFIG',
        escape(path.join(root, 'b', '3.png')),
        /is 6x5/,
        escape(path.join(root, 'a', '0.png')),
        /size: \[4, 4\]/,
      ),
    );
    writePng(path.join(root, 'b', '3.png'), 4, 4);
    writePng(path.join(root, 'a', '1.png'), 6, 5);
    const folder = await openImageFolder({ path: root, testFraction: 0.25 });
    const read = Promise.all([readAll(folder.train), readAll(folder.test)]);
    await assert.rejects(
      read,
      hasCode('INVALID_CONFIG', escape(path.join(root, 'a', '1.png')), /size: \[4, 4\]/),
    );
  });

  it('rejects bad options by key path', async () => {
    await assert.rejects(
      openImageFolder({ path: shapes, testFraction: 0.2 }),
      hasCode('INVALID_CONFIG', /train\/ and test\/ folders/, /remove it/),
    );
    await assert.rejects(
      openImageFolder({ path: shapes, testFracton: 0.2 } as never),
      hasCode('INVALID_CONFIG', /Unknown key "testFracton"/, /Perhaps you meant "testFraction"/),
    );
    await assert.rejects(
      openImageFolder({ path: shapesTrain, testFraction: 1 }),
      hasCode('INVALID_CONFIG', /options\.testFraction/),
    );
    await assert.rejects(
      openImageFolder({ path: shapes, size: [32, 0] as never }),
      hasCode('INVALID_CONFIG', /options\.size/),
    );
    await assert.rejects(
      openImageFolder({ path: shapes, channels: 2 as never }),
      hasCode('INVALID_CONFIG', /options\.channels/),
    );
    await assert.rejects(
      openImageFolder({ path: shapes, scale: [1, 1] }),
      hasCode('INVALID_CONFIG', /options\.scale/),
    );
    const folder = await openImageFolder({ path: shapes, limit: 3 });
    assert.throws(
      () => folder.train.batches({ batchSize: 0, seed: 0, epoch: 0 }),
      hasCode('INVALID_ARGUMENT', /batchSize/),
    );
  });
});

describe('openImageFolder with skipBad', () => {
  it('skips and counts bad files, reports each once, and fills batches from the next files', async () => {
    const root = smallFolder(6);
    const bad = [path.join(root, 'a', '0.png'), path.join(root, 'b', '3.png')];
    fs.writeFileSync(bad[0]!, 'text');
    fs.writeFileSync(bad[1]!, new Uint8Array([0xff, 0xd8, 0xff, 0, 1, 2]));
    const reported: string[] = [];
    const folder = await openImageFolder({
      path: root,
      testFraction: 0.5,
      skipBad: true,
      onSkip: (file, reason) => {
        assert.ok(reason.includes(file));
        reported.push(file);
      },
    });
    assert.deepEqual(reported, [bad[0]]); // sampled when opening
    const counts = (): number => folder.train.count + folder.test.count;
    assert.equal(counts(), 11);
    for (let epoch = 0; epoch < 2; epoch++) {
      const [train, test] = [
        await readAll(folder.train, { epoch, batchSize: 2 }),
        await readAll(folder.test, { epoch, batchSize: 2 }),
      ];
      assert.equal(train.labels.length + test.labels.length, 10);
      for (const r of [train, test]) {
        assert.ok(
          r.sizes.slice(0, -1).every((s) => s === 2),
          JSON.stringify(r.sizes),
        );
      }
    }
    assert.deepEqual(reported.sort(), [...bad].sort());
    assert.equal(folder.skipped, 2);
    assert.deepEqual([...folder.skippedFiles.keys()].sort(), [...bad].sort());
    assert.equal(counts(), 10);
  });
});

describe('ImageFolderSplit.batches', () => {
  it('leaves no tensor behind over several epochs, also when the loop is left early', async () => {
    const folder = await openImageFolder({ path: shapes, limit: { train: 60 } });
    await expectNoLeaks(async () => {
      for (let epoch = 0; epoch < 3; epoch++) await readAll(folder.train, { epoch, batchSize: 16 });
      for await (const { x, y } of folder.train.batches({ batchSize: 16, seed: 0, epoch: 3 })) {
        tf.dispose([x, y]);
        break;
      }
      const left = folder.test.batches({ batchSize: 16, seed: 0, epoch: 0 });
      await left.next().then((r) => !r.done && tf.dispose([r.value.x, r.value.y]));
      await left.return?.();
      const unread = folder.test.batches({ batchSize: 16, seed: 0, epoch: 0 });
      void unread; // never started: creates nothing
    });
  });

  it('reads files lazily, at most one batch ahead of the consumer', async () => {
    let reads = 0;
    const folder = await openImageFolder({
      path: shapes,
      readFile: (file) => {
        reads += 1;
        return fs.promises.readFile(file);
      },
    });
    const atOpen = reads;
    assert.ok(atOpen <= 12, `${atOpen} files read when opening`); // first and last per class and folder
    const batchSize = 10;
    let k = 0;
    let maxAhead = 0;
    for await (const { x, y } of folder.train.batches({ batchSize, seed: 3, epoch: 0 })) {
      tf.dispose([x, y]);
      // Give the read-ahead time to run as far as it would.
      await new Promise((resolve) => setTimeout(resolve, 5));
      const read = reads - atOpen;
      maxAhead = Math.max(maxAhead, read - (k + 1) * batchSize);
      assert.ok(read <= (k + 2) * batchSize, `after batch ${k}: ${read} files read`);
      k += 1;
      if (k === 5) break;
    }
    assert.equal(maxAhead, batchSize); // the read-ahead does happen
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(reads - atOpen <= 6 * batchSize, 'nothing more is read after leaving the loop');
  });
});

describe('looksLikeImageFolder', () => {
  it('recognizes class folders of images, directly or under train/', () => {
    assert.equal(looksLikeImageFolder(shapes), true);
    assert.equal(looksLikeImageFolder(shapesTrain), true);
    assert.equal(looksLikeImageFolder(path.join(shapesTrain, 'circle')), false);
    assert.equal(looksLikeImageFolder(path.join(shapesTrain, 'circle', '000.png')), false);
    assert.equal(looksLikeImageFolder(path.join(tempDir(), 'missing')), false);
    const textOnly = tempDir();
    fs.mkdirSync(path.join(textOnly, 'a'));
    fs.writeFileSync(path.join(textOnly, 'a', 'x.txt'), '');
    assert.equal(looksLikeImageFolder(textOnly), false);
  });
});
