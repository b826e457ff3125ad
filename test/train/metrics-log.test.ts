import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { MetricsLog, readMetrics } from '../../src/train/index.js';
import { distillError } from '../helpers/errors.js';

const tempDirs: string[] = [];
function tempFile(name = 'metrics.jsonl'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-distill-metrics-'));
  tempDirs.push(dir);
  return path.join(dir, name);
}
after(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

async function writeSteps(file: string, steps: number[], resumeAfterStep?: number): Promise<void> {
  const log = await MetricsLog.open(file, { resumeAfterStep });
  try {
    for (const step of steps)
      log.write({ epoch: Math.floor(step / 10), step, split: 'train', loss: 1 / (step + 1) });
  } finally {
    log.close();
  }
}

describe('MetricsLog', () => {
  it('MetricsLog.write appends one JSON object per line and readMetrics reads them back', async () => {
    const file = tempFile();
    const log = await MetricsLog.open(file);
    log.write({ epoch: 0, step: 5, split: 'train', loss: 0.5, lr: 1e-3 });
    log.write({ epoch: 1, step: 10, split: 'val', accuracy: 0.9, note: 'a\nb' });
    log.close();
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    assert.equal(lines.length, 3);
    assert.equal(lines[2], '');
    assert.deepEqual(JSON.parse(lines[0]!), {
      epoch: 0,
      step: 5,
      split: 'train',
      loss: 0.5,
      lr: 1e-3,
    });
    assert.deepEqual(await readMetrics(file), [
      { epoch: 0, step: 5, split: 'train', loss: 0.5, lr: 1e-3 },
      { epoch: 1, step: 10, split: 'val', accuracy: 0.9, note: 'a\nb' },
    ]);
  });

  it('MetricsLog.write records a non-finite metric as null', async () => {
    const file = tempFile();
    const log = await MetricsLog.open(file, { fsync: false });
    log.write({ epoch: 0, step: 1, loss: Number.NaN, ratio: Number.POSITIVE_INFINITY });
    log.close();
    assert.deepEqual(await readMetrics(file), [{ epoch: 0, step: 1, loss: null, ratio: null }]);
  });

  it('MetricsLog.open creates missing directories and appends to an existing log', async () => {
    const file = path.join(path.dirname(tempFile()), 'run', 'nested', 'metrics.jsonl');
    await writeSteps(file, [1, 2]);
    await writeSteps(file, [3]);
    assert.deepEqual(
      (await readMetrics(file)).map((r) => r.step),
      [1, 2, 3],
    );
  });

  it('readMetrics skips a partial last line and MetricsLog.open removes it before appending', async () => {
    const file = tempFile();
    await writeSteps(file, [1, 2]);
    fs.appendFileSync(file, '{"epoch":0,"step":3,"split":"tr');
    assert.deepEqual(
      (await readMetrics(file)).map((r) => r.step),
      [1, 2],
    );
    await writeSteps(file, [3]);
    assert.deepEqual(
      (await readMetrics(file)).map((r) => r.step),
      [1, 2, 3],
    );
    assert.doesNotMatch(fs.readFileSync(file, 'utf8'), /"tr\n|"tr\{/);
  });

  it('MetricsLog.open with resumeAfterStep drops later lines so a resumed run logs no duplicates', async () => {
    const file = tempFile();
    await writeSteps(file, [10, 20, 20, 30, 40]);
    fs.appendFileSync(file, '{"epoch":5,"st');
    await writeSteps(file, [30, 40, 50], 20);
    assert.deepEqual(
      (await readMetrics(file)).map((r) => r.step),
      [10, 20, 20, 30, 40, 50],
    );
    // The rewrite went through a temporary file in the same directory, which is gone.
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['metrics.jsonl']);
  });

  it('MetricsLog.open with resumeAfterStep leaves an up-to-date log untouched', async () => {
    const file = tempFile();
    await writeSteps(file, [1, 2]);
    const before = fs.statSync(file).ino;
    await writeSteps(file, [3], 2);
    assert.equal(fs.statSync(file).ino, before);
    assert.deepEqual(
      (await readMetrics(file)).map((r) => r.step),
      [1, 2, 3],
    );
  });

  it('MetricsLog.open and readMetrics report a malformed complete line with its number', async () => {
    const file = tempFile();
    fs.writeFileSync(file, '{"epoch":0,"step":1}\nnot json\n{"epoch":0,"step":2}\n');
    await assert.rejects(
      readMetrics(file),
      distillError('DATA_CORRUPT', /metrics\.jsonl:2 .*"not json"/),
    );
    await assert.rejects(
      MetricsLog.open(file, { resumeAfterStep: 1 }),
      distillError('DATA_CORRUPT', /:2 /),
    );
  });

  it('MetricsLog.write rejects a record without a valid step and any write after close', async () => {
    const file = tempFile();
    const log = await MetricsLog.open(file);
    assert.throws(
      () => log.write({ epoch: 0, step: 1.5 }),
      distillError('INVALID_ARGUMENT', /step: integer >= 0/),
    );
    log.close();
    log.close();
    assert.equal(log.closed, true);
    assert.throws(
      () => log.write({ epoch: 0, step: 1 }),
      distillError('INVALID_ARGUMENT', /closed/),
    );
    assert.equal(fs.readFileSync(file, 'utf8'), '');
  });

  it('MetricsLog.open rejects a bad resumeAfterStep; readMetrics a missing file', async () => {
    const file = tempFile();
    await assert.rejects(
      MetricsLog.open(file, { resumeAfterStep: -1 }),
      distillError('INVALID_ARGUMENT', /resumeAfterStep .*-1/),
    );
    await assert.rejects(readMetrics(file), distillError('FILE_NOT_FOUND', /metrics\.jsonl/));
  });
});
