/**
 * `tfjs-distill train` under faults: killed with SIGKILL at random moments (once while writing a
 * checkpoint) and resumed; corrupt MNIST files; a run directory that cannot be created; a full
 * disk. Ctrl-C (SIGINT) is covered by cli.test.ts.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { loadCheckpoint, MNIST_FILES } from '../../src/index.js';
import { TEMP_PREFIX } from '../../src/train/atomic-write.js';
import { failureMessage, runCli, startCli, type CliResult } from '../helpers/cli.js';
import { idxBytes } from '../helpers/idx.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-distill-faults-'));
const runsDir = path.join(work, 'runs');
after(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

function writeConfig(name: string, config: unknown): string {
  const file = path.join(work, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(config));
  return file;
}

function train(config: string, ...args: string[]): Promise<CliResult> {
  return runCli(['train', config, '--runs-dir', runsDir, ...args], work);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A small seeded generator (mulberry32), so that the "random" moments are reproducible. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every temporary file of an atomic write under `dir`, as paths relative to it. */
function tempFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  try {
    return fs
      .readdirSync(dir, { recursive: true })
      .map(String)
      .filter((f) => path.basename(f).startsWith(TEMP_PREFIX));
  } catch (error) {
    // The running trainer removed an old checkpoint folder while it was being listed: look again.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return tempFiles(dir);
    throw error;
  }
}

interface MetricsLine {
  readonly epoch: number;
  readonly step: number;
}

/** The complete lines of a run's metrics.jsonl (a line cut short by a kill does not count). */
function metricsLines(runDir: string): MetricsLine[] {
  const file = path.join(runDir, 'metrics.jsonl');
  if (!fs.existsSync(file)) return [];
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  lines.pop();
  return lines.map((line) => JSON.parse(line) as MetricsLine);
}

/** The step of the checkpoint latest.json points at, or -1 without one. */
function latestStep(runDir: string): number {
  try {
    const latest = path.join(runDir, 'checkpoints', 'latest.json');
    const { dir } = JSON.parse(fs.readFileSync(latest, 'utf8')) as { dir: string };
    return Number(/^step-(\d+)$/.exec(dir)![1]);
  } catch {
    return -1;
  }
}

/** Loads the checkpoint in `dir` (verifying every file's digest) and returns its epoch and step. */
async function loads(dir: string): Promise<MetricsLine> {
  const { model, info } = await loadCheckpoint(dir);
  model.dispose();
  return { epoch: info.epoch, step: info.step };
}

describe('tfjs-distill train killed with SIGKILL and resumed', () => {
  const epochs = 12;
  const steps = 10;
  const runDir = path.join(runsDir, 'crash');
  const random = seededRandom(20_240_611);
  let config = '';
  before(() => {
    config = writeConfig('crash', {
      seed: 2,
      backend: 'cpu',
      data: { trainLimit: 100, validationSize: 10, testLimit: 50 },
      // 200,000 weights: a checkpoint (with Adam's moments) of 2.4 MB takes a while to write.
      model: { type: 'mlp', hidden: [256] },
      // Tiny epochs of 10 steps: a checkpoint every fraction of a second.
      train: { epochs, batchSize: 10 },
    });
  });

  /**
   * Starts `train` (with `--resume` when asked), waits for `moment` and kills the trainer with
   * SIGKILL; asserts that it was still running.
   */
  async function killAt(
    resume: boolean,
    moment: (running: () => boolean) => Promise<void>,
  ): Promise<void> {
    const { child, result } = startCli(
      ['train', config, '--runs-dir', runsDir, ...(resume ? ['--resume'] : [])],
      work,
    );
    try {
      await moment(() => child.exitCode === null && child.signalCode === null);
    } finally {
      child.kill('SIGKILL');
    }
    const r = await result;
    assert.equal(r.signal, 'SIGKILL', `the trainer was still running when killed:\n${r.stderr}`);
  }

  /** Waits until latest.json points at a checkpoint of epoch `epoch` or later. */
  async function untilCheckpoint(epoch: number, running: () => boolean): Promise<void> {
    while (latestStep(runDir) < epoch * steps) {
      assert.ok(running(), `the trainer stopped before epoch ${epoch}`);
      await sleep(5);
    }
  }

  /** What must hold after any kill: a loadable latest checkpoint, and metrics in order. */
  async function assertConsistent(): Promise<void> {
    const lines = metricsLines(runDir);
    assert.deepEqual(
      lines.map((m) => m.epoch),
      lines.map((_, i) => i + 1),
      'one metrics line per epoch, in order',
    );
    if (latestStep(runDir) < 0) return;
    const { dir } = JSON.parse(
      fs.readFileSync(path.join(runDir, 'checkpoints', 'latest.json'), 'utf8'),
    ) as { dir: string };
    const checkpoint = await loads(path.join(runDir, 'checkpoints', dir));
    // Each epoch's line is written before its checkpoint.
    assert.deepEqual(lines[checkpoint.epoch - 1], {
      ...lines[checkpoint.epoch - 1],
      ...checkpoint,
    });
  }

  it(
    'tfjs-distill train killed at random moments always leaves latest.json on a checkpoint that loads',
    { timeout: 60_000 },
    async (t) => {
      // After a checkpoint of epoch 1-2, 3-4, then 5-6, plus 0-80 ms: in a step, an evaluation,
      // a metrics line or a checkpoint, whichever is under way.
      for (const [i, first] of [1, 3, 5].entries()) {
        const epoch = first + Math.floor(random() * 2);
        const delay = Math.floor(random() * 80);
        await killAt(i > 0, async (running) => {
          await untilCheckpoint(epoch, running);
          await sleep(delay);
        });
        t.diagnostic(`killed ${delay} ms after the checkpoint of epoch ${epoch}`);
        await assertConsistent();
      }
    },
  );

  it(
    'tfjs-distill train killed while writing a checkpoint leaves latest.json on the previous one',
    { timeout: 60_000 },
    async (t) => {
      const before = new Set(tempFiles(runDir));
      let seen = '';
      await killAt(true, async (running) => {
        // Late enough that the checkpoint stays among the two the finished run keeps.
        await untilCheckpoint(epochs - 2, running);
        // Kill as soon as a new temporary file shows up: a checkpoint is being written.
        while (seen === '') {
          assert.ok(running(), 'the trainer stopped before writing another checkpoint');
          seen = tempFiles(runDir).find((f) => !before.has(f)) ?? '';
          if (seen === '') await new Promise((resolve) => setImmediate(resolve));
        }
      });
      const left = tempFiles(runDir).filter((f) => !before.has(f));
      t.diagnostic(`killed on seeing ${seen}; temporary files left: ${left.join(', ') || 'none'}`);
      await assertConsistent();
    },
  );

  it(
    'tfjs-distill train --resume after the kills runs every epoch once, with no temporary file left',
    { timeout: 60_000 },
    async () => {
      const r = await train(config, '--resume');
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /Resuming crash at epoch \d+, step \d+\./);
      assert.match(r.stdout, /after 12 epoch\(s\)\n/);
      assert.deepEqual(
        metricsLines(runDir).map((m) => [m.epoch, m.step]),
        Array.from({ length: epochs }, (_, i) => [i + 1, (i + 1) * steps]),
      );
      assert.deepEqual(tempFiles(runDir), []);
      const checkpoints = path.join(runDir, 'checkpoints');
      assert.deepEqual(fs.readdirSync(checkpoints).sort(), [
        'latest.json',
        'step-00000110',
        'step-00000120',
      ]);
      assert.equal(latestStep(runDir), epochs * steps);
      assert.deepEqual(await loads(path.join(checkpoints, 'step-00000110')), {
        epoch: 11,
        step: 110,
      });
      assert.deepEqual(await loads(path.join(checkpoints, 'step-00000120')), {
        epoch: 12,
        step: 120,
      });
    },
  );
});

describe('tfjs-distill train with corrupt MNIST files', { concurrency: 3 }, () => {
  /** Writes four small, valid MNIST files (60 training and 20 test digits) into a new folder. */
  function fakeMnist(name: string): string {
    const dir = path.join(work, 'mnist', name);
    fs.mkdirSync(dir, { recursive: true });
    const random = seededRandom(7);
    const images = (n: number): Uint8Array =>
      idxBytes(
        [n, 28, 28],
        Array.from({ length: n * 784 }, () => Math.floor(random() * 256)),
      );
    const labels = (n: number): Uint8Array =>
      idxBytes(
        [n],
        Array.from({ length: n }, (_, i) => i % 10),
      );
    fs.writeFileSync(path.join(dir, MNIST_FILES.trainImages), images(60));
    fs.writeFileSync(path.join(dir, MNIST_FILES.trainLabels), labels(60));
    fs.writeFileSync(path.join(dir, MNIST_FILES.testImages), images(20));
    fs.writeFileSync(path.join(dir, MNIST_FILES.testLabels), labels(20));
    return dir;
  }

  function configFor(name: string, dir: string): string {
    return writeConfig(`mnist-${name}`, {
      backend: 'cpu',
      data: { dir, trainLimit: 40, validationSize: 10, testLimit: 20 },
      model: { type: 'mlp', hidden: [8] },
      train: { epochs: 1, batchSize: 20 },
    });
  }

  it('tfjs-distill train runs on the intact fake MNIST files the other cases break', async () => {
    const r = await train(configFor('intact', fakeMnist('intact')));
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^mnist-intact: \d+ test errors of 20 /);
  });

  const cases: readonly {
    readonly what: string;
    readonly status: number;
    readonly code: string;
    readonly message: RegExp;
    readonly damage: (dir: string) => void;
  }[] = [
    {
      what: 'a truncated image file',
      status: 1,
      code: 'DATA_CORRUPT',
      message: /train-images-idx3-ubyte is truncated: expected 47056 bytes .*, got 46956\./,
      damage: (dir) => {
        const file = path.join(dir, MNIST_FILES.trainImages);
        fs.truncateSync(file, fs.statSync(file).size - 100);
      },
    },
    {
      what: 'a gzip-compressed label file',
      status: 1,
      code: 'DATA_CORRUPT',
      message: /t10k-labels-idx1-ubyte is not a valid IDX file: it is gzip-compressed/,
      damage: (dir) => {
        const file = path.join(dir, MNIST_FILES.testLabels);
        fs.writeFileSync(file, gzipSync(fs.readFileSync(file)));
      },
    },
    {
      what: 'an empty label file',
      status: 1,
      code: 'DATA_CORRUPT',
      message: /train-labels-idx1-ubyte is not a valid IDX file: expected at least 4 header bytes/,
      damage: (dir) => fs.writeFileSync(path.join(dir, MNIST_FILES.trainLabels), ''),
    },
    {
      what: 'a label that is not a digit',
      status: 1,
      code: 'DATA_CORRUPT',
      message: /train-labels-idx1-ubyte: label 3 is 42, but MNIST labels are digits 0-9/,
      damage: (dir) => {
        const file = path.join(dir, MNIST_FILES.trainLabels);
        const bytes = fs.readFileSync(file);
        bytes[8 + 3] = 42;
        fs.writeFileSync(file, bytes);
      },
    },
    {
      what: 'image and label files of different lengths',
      status: 1,
      code: 'DATA_CORRUPT',
      message: /holds 20 images but .*t10k-labels-idx1-ubyte holds 19 labels/,
      damage: (dir) =>
        fs.writeFileSync(
          path.join(dir, MNIST_FILES.testLabels),
          idxBytes([19], new Array(19).fill(1)),
        ),
    },
    {
      what: 'a missing file',
      status: 2,
      code: 'FILE_NOT_FOUND',
      message: /Cannot read MNIST file .*t10k-images-idx3-ubyte: no such file or directory/,
      damage: (dir) => fs.rmSync(path.join(dir, MNIST_FILES.testImages)),
    },
  ];
  for (const [i, c] of cases.entries()) {
    it(`tfjs-distill train with ${c.what} exits ${c.status} with one ${c.code} line naming data.dir and writes nothing`, async () => {
      const name = `broken-${i}`;
      const dir = fakeMnist(name);
      c.damage(dir);
      const r = await train(configFor(name, dir));
      assert.equal(r.status, c.status, r.stderr);
      const message = failureMessage(r, c.code);
      assert.match(message, c.message);
      assert.match(message, /\(at data\.dir\)$/);
      assert.equal(fs.existsSync(path.join(runsDir, `mnist-${name}`)), false);
    });
  }
});

describe('tfjs-distill train where it cannot write', () => {
  const config = {
    backend: 'cpu',
    data: { trainLimit: 40, validationSize: 10, testLimit: 20 },
    model: { type: 'mlp', hidden: [40] },
    train: { epochs: 3, batchSize: 20, optimizer: { type: 'sgd', learningRate: 0.1 } },
  };

  it('tfjs-distill train into a runs directory below a regular file exits 1 with one IO_ERROR line', async () => {
    const file = path.join(work, 'not-a-dir');
    fs.writeFileSync(file, 'a file, not a directory\n');
    const runs = path.join(file, 'runs');
    const r = await runCli(['train', writeConfig('blocked', config), '--runs-dir', runs], work);
    assert.equal(r.status, 1, r.stderr);
    const message = failureMessage(r, 'IO_ERROR');
    assert.match(
      message,
      /^Cannot create the run directory .*not-a-dir\/runs\/blocked: a component of the path is a file, not a directory\.$/,
    );
  });

  it('tfjs-distill train on a full disk exits 1 with one IO_ERROR line, keeps its last checkpoint, and resumes once there is room', async (t) => {
    const disk = path.join(work, 'tiny-disk');
    fs.mkdirSync(disk);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=200k', 'tmpfs', disk], { stdio: 'pipe' });
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      t.skip(`a 200 KiB tmpfs cannot be mounted here (${reason})`);
      return;
    }
    try {
      // The weights (127 KB) fit once in 200 KiB, but not twice: the second checkpoint fails.
      const file = writeConfig('full', config);
      const args = ['train', file, '--runs-dir', disk];
      const r = await runCli(args, work);
      assert.equal(r.status, 1, r.stderr);
      const message = failureMessage(r, 'IO_ERROR', { afterProgress: true });
      assert.match(
        message,
        /^Cannot write .*step-00000004\/weights\.bin: the disk is full; free some space\.$/,
      );
      const runDir = path.join(disk, 'full');
      assert.deepEqual(tempFiles(runDir), []);
      assert.equal(latestStep(runDir), 1 * 2);
      assert.deepEqual(await loads(path.join(runDir, 'checkpoints', 'step-00000002')), {
        epoch: 1,
        step: 2,
      });

      execFileSync('mount', ['-o', 'remount,size=4m', disk], { stdio: 'pipe' });
      const resumed = await runCli([...args, '--resume'], work);
      assert.equal(resumed.status, 0, resumed.stderr);
      assert.deepEqual(
        metricsLines(runDir).map((m) => m.epoch),
        [1, 2, 3],
      );
      assert.deepEqual(tempFiles(runDir), []);
    } finally {
      execFileSync('umount', [disk], { stdio: 'pipe' });
    }
  });
});
