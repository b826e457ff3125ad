/**
 * `exportStudent` and `tfjs-distill export` on a real run: a student trained on an image folder
 * through a view, exported quantized, measured on the run's own test split.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { checkRunConfig, runTraining, type RunConfig } from '../../src/index.js';
import { exportStudent, type ExportReport } from '../../src/export/export-student.js';
import { fileLoader } from '../../src/train/checkpoint-io.js';
import { errorLine, runCli } from '../helpers/cli.js';
import { distillError } from '../helpers/errors.js';
import { fixturesDir } from '../helpers/paths.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-distill-export-run-'));
after(() => fs.rmSync(work, { recursive: true, force: true }));
const runsDir = path.join(work, 'runs');
const runDir = path.join(runsDir, 'shapes-student');

const config: RunConfig = {
  name: 'shapes-student',
  seed: 3,
  backend: 'cpu',
  data: { source: { type: 'imageFolder', path: 'shapes' } },
  input: { size: [8, 8], channels: 1, flatten: true },
  model: { type: 'mlp', hidden: [16] },
  train: { epochs: 2, batchSize: 32, optimizer: { type: 'adam', learningRate: 0.01 } },
};

describe('exportStudent', { timeout: 120_000 }, () => {
  let report: ExportReport;
  let testCount = 0;
  const out = path.join(work, 'web', 'student');

  before(async () => {
    ({ testCount } = await runTraining(checkRunConfig(config, 'shapes-student'), {
      runsDir,
      baseDir: fixturesDir,
      rawConfig: config,
    }));
    const tensors = tf.memory().numTensors;
    report = await exportStudent(runDir, {
      out,
      quantize: 'uint8',
      backends: ['cpu'],
      batchSizes: [1, 4],
    });
    assert.equal(tf.memory().numTensors, tensors, 'no tensor outlives the export');
  });

  it("exportStudent measures the export on the run's test split through the run's view", () => {
    const a = report.accuracy!;
    assert.equal(a.count, testCount);
    assert.equal(a.deltaErrors, a.exported.errors - a.float32.errors);
    assert.ok(a.agreement > 0.9, `agreement ${a.agreement}`);
    assert.deepEqual(report.input, { shape: [64], view: config.input });
    assert.deepEqual(report.classNames, ['circle', 'square', 'triangle']);
  });

  it('exportStudent writes uint8 weights of a quarter of the float32 bytes, and says so', () => {
    const bin = report.files.find((f) => f.name === 'group1-shard1of1.bin')!;
    const params = 64 * 16 + 16 + 16 * 3 + 3;
    assert.equal(bin.bytes, params);
    // The rest is model.json, the same at every dtype but for the quantization fields.
    assert.ok(
      report.float32Bytes - report.bytes >= 2.5 * params,
      `${report.bytes} of ${report.float32Bytes}`,
    );
    assert.ok(report.gzipBytes > 0 && report.gzipBytes < report.bytes);
  });

  it('exportStudent times each backend and batch size it was asked for', () => {
    assert.deepEqual(
      report.latency.map((r) => [r.runtime, r.backend, r.batchSize]),
      [
        ['node', 'cpu', 1],
        ['node', 'cpu', 4],
      ],
    );
    for (const r of report.latency) assert.ok(r.ms > 0, `${r.ms} ms`);
  });

  it('exportStudent writes model.json, the shard and the report, and nothing else', async () => {
    assert.deepEqual(fs.readdirSync(out).sort(), [
      'export-report.json',
      'group1-shard1of1.bin',
      'model.json',
    ]);
    const written: unknown = JSON.parse(
      fs.readFileSync(path.join(out, 'export-report.json'), 'utf8'),
    );
    assert.deepEqual(written, JSON.parse(JSON.stringify(report)));
    const model = await tf.loadLayersModel(fileLoader(out));
    assert.deepEqual(model.getUserDefinedMetadata(), {
      tfjsDistill: {
        input: { shape: [64], view: config.input },
        classNames: ['circle', 'square', 'triangle'],
        quantize: 'uint8',
      },
    });
    model.dispose();
  });

  it('exportStudent refuses a run that has no finished model, and one that was interrupted', async () => {
    const unfinished = path.join(work, 'runs', 'unfinished');
    fs.mkdirSync(unfinished, { recursive: true });
    fs.copyFileSync(path.join(runDir, 'config.json'), path.join(unfinished, 'config.json'));
    await assert.rejects(
      exportStudent(unfinished, { out: path.join(work, 'never') }),
      distillError('FILE_NOT_FOUND', /has no finished model yet: .*--resume/),
    );
    const interrupted = path.join(work, 'runs', 'interrupted');
    fs.cpSync(runDir, interrupted, { recursive: true });
    const summary = JSON.parse(
      fs.readFileSync(path.join(interrupted, 'summary.json'), 'utf8'),
    ) as object;
    fs.writeFileSync(
      path.join(interrupted, 'summary.json'),
      JSON.stringify({ ...summary, interrupted: true }),
    );
    await assert.rejects(
      exportStudent(interrupted, { out: path.join(work, 'never') }),
      distillError('FILE_NOT_FOUND', /was interrupted before its last epoch/),
    );
    assert.equal(fs.existsSync(path.join(work, 'never')), false);
  });

  it('tfjs-distill export prints the table and writes the model', async () => {
    const result = await runCli(
      ['export', runDir, '--out', 'cli-out', '--quantize', 'float16', '--shard-mb', '0.001'],
      work,
    );
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /exported .* to cli-out \(float16 weights\)/);
    assert.match(result.stdout, /float32 \d+ errors \(\d+\.\d+%\), float16 \d+ errors/);
    assert.match(result.stdout, /node wasm +\d+\.\d+ +\d+\.\d+/);
    assert.match(result.stdout, /node cpu +\d+\.\d+ +\d+\.\d+/);
    const shards = fs.readdirSync(path.join(work, 'cli-out')).filter((f) => f.endsWith('.bin'));
    assert.equal(shards.length, 3); // 2,278 bytes of float16 weights in 1,048-byte files
  });

  const bad: [string, string[], RegExp][] = [
    [
      'an unknown quantization',
      ['--quantize', 'int4'],
      /--quantize must be float16, uint8 or uint16/,
    ],
    ['a bad shard size', ['--shard-mb=-1'], /--shard-mb must be a positive number of megabytes/],
    ['no --out', ['--out'], /./],
  ];
  for (const [what, args, message] of bad) {
    it(`tfjs-distill export refuses ${what} with exit code 2 and one line`, async () => {
      const outArgs = args[0] === '--out' ? [] : ['--out', 'never'];
      const result = await runCli(
        ['export', runDir, ...outArgs, ...args.filter((a) => a !== '--out')],
        work,
      );
      assert.equal(result.status, 2);
      assert.match(errorLine(result), args[0] === '--out' ? /export needs --out <dir>/ : message);
      assert.equal(fs.existsSync(path.join(work, 'never')), false);
    });
  }

  it('tfjs-distill export refuses a non-empty --out without --force, and replaces it with', async () => {
    const target = path.join(work, 'site');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'index.html'), '<p>page</p>');
    const refused = await runCli(['export', runDir, '--out', 'site'], work);
    assert.equal(refused.status, 2);
    assert.match(errorLine(refused), /site exists and is not empty: .*--force/);
    assert.deepEqual(fs.readdirSync(target), ['index.html']);
    const forced = await runCli(['export', runDir, '--out', 'site', '--force'], work);
    assert.equal(forced.status, 0, forced.stderr);
    assert.ok(fs.existsSync(path.join(target, 'model.json')));
    assert.equal(fs.existsSync(path.join(target, 'index.html')), false);
  });
});
