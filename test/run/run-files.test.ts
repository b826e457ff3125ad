import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { RunFiles } from '../../src/run/run-files.js';

describe('RunFiles', () => {
  it('removeTempFiles removes what interrupted atomic writes left in a run, and nothing else', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-distill-run-files-'));
    try {
      const files = new RunFiles(dir);
      const step = files.checkpoint(20);
      for (const d of [step, files.model]) fs.mkdirSync(d, { recursive: true });
      const temps = [
        path.join(dir, '.tmp-metrics.jsonl.11.aa'),
        path.join(files.checkpoints, '.tmp-latest.json.11.bb'),
        path.join(step, '.tmp-weights.bin.11.cc'),
        path.join(files.model, '.tmp-model.json.11.dd'),
      ];
      const kept = [files.metrics, files.latest, path.join(step, 'weights.bin')];
      for (const f of [...temps, ...kept]) fs.writeFileSync(f, 'x');
      assert.deepEqual(files.removeTempFiles().sort(), [...temps].sort());
      assert.deepEqual(
        [...temps, ...kept].filter((f) => fs.existsSync(f)),
        kept,
      );
      assert.deepEqual(files.removeTempFiles(), []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('removeTempFiles of a run directory that does not exist removes nothing', () => {
    const files = new RunFiles(path.join(os.tmpdir(), `tfjs-distill-no-run-${process.pid}`));
    assert.deepEqual(files.removeTempFiles(), []);
  });
});
