/**
 * The `tfjs-distill` command line as users run it: `node dist/cli/main.js` in a child process,
 * on tiny MNIST subsets with the cpu backend.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { errorLine, runCli, startCli, type CliResult } from '../helpers/cli.js';

/** Where every run of this file happens; removed at the end. */
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-distill-cli-'));
const runsDir = path.join(work, 'runs');
after(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

/** Starts the CLI in `work` with `args`. */
function start(args: readonly string[]): ReturnType<typeof startCli> {
  return startCli(args, work);
}

/** Runs the CLI in `work` with `args` to the end. */
function cli(...args: string[]): Promise<CliResult> {
  return runCli(args, work);
}

/** Runs `train` with the runs directory of this file. */
function train(...args: string[]): Promise<CliResult> {
  return cli('train', ...args, '--runs-dir', runsDir);
}

/** Writes a JSON config into `work` and returns its path. */
function writeConfig(name: string, config: unknown): string {
  const file = path.join(work, name);
  fs.writeFileSync(file, JSON.stringify(config));
  return file;
}

interface MetricsLine {
  readonly epoch: number;
  readonly step: number;
  readonly trainLoss: number;
  readonly trainLosses: Record<string, number>;
  readonly learningRate: number;
  readonly testErrors: number;
  readonly teacherTestAccuracy?: number;
  readonly teacherAgreement?: number;
}

function readMetricsLines(runDir: string): MetricsLine[] {
  const text = fs.readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as MetricsLine);
}

function epochsOf(runDir: string): number[] {
  return readMetricsLines(runDir).map((m) => m.epoch);
}

/** The checkpoint folder `latest.json` points at, asserting that it exists. */
function latestCheckpoint(runDir: string): string {
  const latest = path.join(runDir, 'checkpoints', 'latest.json');
  const { dir } = JSON.parse(fs.readFileSync(latest, 'utf8')) as { dir: string };
  const checkpoint = path.join(runDir, 'checkpoints', dir);
  assert.ok(fs.existsSync(path.join(checkpoint, 'checkpoint.json')), `${checkpoint} is complete`);
  return checkpoint;
}

const TINY = {
  seed: 1,
  data: { trainLimit: 200, validationSize: 100, testLimit: 200 },
  model: { type: 'mlp', hidden: [16] },
  train: { epochs: 2, batchSize: 50 },
  backend: 'cpu',
};

describe('tfjs-distill usage', () => {
  it('tfjs-distill without a command prints the usage and exits 2', async () => {
    const r = await cli();
    assert.equal(r.status, 2);
    assert.match(r.stdout, /^Usage: tfjs-distill <command> \[options\]/);
  });

  it('tfjs-distill --help prints the usage and exits 0', async () => {
    const r = await cli('--help');
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^Usage: tfjs-distill/);
    assert.match(r.stdout, /--resume/);
    assert.equal(r.stderr, '');
  });

  it('tfjs-distill with an unknown command exits 2 with one line naming it', async () => {
    const r = await cli('trian', 'x.json');
    assert.equal(r.status, 2);
    assert.match(
      errorLine(r),
      /Unknown command "trian"; the commands are init, train, eval, export, report and demo\. Perhaps you meant "train"\?/,
    );
  });

  it('tfjs-distill with an unknown flag exits 2 with one line naming it', async () => {
    const r = await cli('train', 'x.json', '--epoch', '3');
    assert.equal(r.status, 2);
    assert.match(errorLine(r), /--epoch/);
  });

  it('tfjs-distill train, eval and report without their arguments exit 2 saying what they need', async () => {
    for (const [command, needs] of [
      ['train', /train needs a config file/],
      ['eval', /eval needs a config, a run directory/],
      ['report', /report needs one or more run directories/],
    ] as const) {
      const r = await cli(command);
      assert.equal(r.status, 2, command);
      assert.match(errorLine(r), needs);
    }
  });

  it('tfjs-distill train rejects a bad config with one line naming the key, and writes nothing', async () => {
    const config = writeConfig('bad.json', { model: { type: 'mlp', hidden: [0] } });
    const runs = path.join(work, 'bad-runs');
    const r = await cli('train', config, '--runs-dir', runs);
    assert.equal(r.status, 2);
    const line = errorLine(r);
    assert.match(line, /^tfjs-distill: INVALID_CONFIG: Expected model\.hidden\[0\] to be/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.equal(fs.existsSync(runs), false);
  });

  it('tfjs-distill train rejects a config file that is not JSON, naming the file', async () => {
    fs.writeFileSync(path.join(work, 'broken.json'), '{ "model": ');
    const r = await train('broken.json');
    assert.equal(r.status, 2);
    assert.match(errorLine(r), /INVALID_CONFIG: broken\.json: not valid JSON/);
  });

  it('tfjs-distill train rejects a bad --epochs value', async () => {
    const r = await train(writeConfig('tiny-flags.json', TINY), '--epochs', 'two');
    assert.equal(r.status, 2);
    assert.match(errorLine(r), /--epochs expects a non-negative integer, but got "two"/);
  });

  it('tfjs-distill train --teacher-in-worker needs a teacher, and runs one in a worker', async () => {
    const r = await train(writeConfig('tiny-alone.json', TINY), '--teacher-in-worker');
    assert.equal(r.status, 2);
    assert.match(errorLine(r), /--teacher-in-worker .* but the config has no teacher/);
    const kd = writeConfig('tiny-kd-worker.json', {
      ...TINY,
      train: { epochs: 1, batchSize: 50 },
      teacher: { model: { type: 'mlp', hidden: [16] } },
      distill: {
        studentRecorders: { logits: { type: 'LayerOutputs', source: 'logits' } },
        teacherRecorders: { logits: { type: 'LayerOutputs', source: 'logits' } },
        distillLosses: { loss_kd: { type: 'KLDivergence', tau: 4 } },
        lossForwardMappings: {
          loss_kd: {
            predsS: { recorder: 'logits', fromStudent: true },
            predsT: { recorder: 'logits', fromStudent: false },
          },
        },
      },
    });
    const ok = await train(kd, '--teacher-in-worker');
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /tiny-kd-worker: \d+ test errors of 200/);
    const saved = JSON.parse(
      fs.readFileSync(path.join(runsDir, 'tiny-kd-worker', 'config.json'), 'utf8'),
    ) as { teacher: { runInWorker?: boolean } };
    assert.equal(saved.teacher.runInWorker, true);
  });
});

describe('tfjs-distill train, eval and report on a tiny run', () => {
  const runDir = path.join(runsDir, 'tiny');
  let config = '';
  before(() => {
    config = writeConfig('tiny.json', TINY);
  });

  it('tfjs-distill train writes config, metrics, checkpoints, model, summary and plot', async () => {
    const r = await train(config);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^tiny: \d+ test errors of 200 \(/);
    assert.match(r.stdout, /after 2 epoch\(s\)\n/);
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(runDir, 'config.json'), 'utf8')), TINY);
    const metrics = readMetricsLines(runDir);
    assert.deepEqual(
      metrics.map((m) => [m.epoch, m.step]),
      [
        [1, 4],
        [2, 8],
      ],
    );
    assert.ok(metrics.every((m) => Number.isFinite(m.trainLoss)));
    for (const m of metrics) {
      assert.deepEqual(Object.keys(m.trainLosses), ['loss', 'student.loss']);
      assert.ok(Math.abs(m.trainLosses.loss! - m.trainLoss) < 1e-6);
      // Adam's default rate, constant without a schedule.
      assert.equal(m.learningRate, 0.001);
      assert.equal(m.teacherAgreement, undefined);
    }
    assert.doesNotMatch(r.stderr, / agree /);
    assert.match(latestCheckpoint(runDir), /step-0+8$/);
    for (const file of ['model.json', 'weights.bin']) {
      assert.ok(fs.existsSync(path.join(runDir, 'model', file)), file);
    }
    const summary = JSON.parse(fs.readFileSync(path.join(runDir, 'summary.json'), 'utf8')) as {
      name: string;
      epochs: number;
      interrupted: boolean;
      testCount: number;
      backend: string;
    };
    assert.equal(summary.name, 'tiny');
    assert.equal(summary.epochs, 2);
    assert.equal(summary.interrupted, false);
    assert.equal(summary.testCount, 200);
    assert.equal(summary.backend, 'cpu');
    assert.match(fs.readFileSync(path.join(runDir, 'plot.svg'), 'utf8'), /^<svg[^>]*>/);
  });

  it('tfjs-distill train refuses an existing run directory, pointing at --resume and --force', async () => {
    const before = fs.readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8');
    const r = await train(config);
    assert.equal(r.status, 2);
    const line = errorLine(r);
    assert.match(line, /already exists/);
    assert.match(line, /--resume/);
    assert.match(line, /--force/);
    assert.equal(fs.readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8'), before);
  });

  it('tfjs-distill train --resume continues from the newest checkpoint without repeating an epoch', async () => {
    const r = await train(config, '--resume', '--epochs', '3');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /Resuming tiny at epoch 3, step 8\./);
    assert.deepEqual(epochsOf(runDir), [1, 2, 3]);
    assert.match(latestCheckpoint(runDir), /step-0+12$/);
    assert.match(r.stdout, /after 3 epoch\(s\)/);
  });

  it('tfjs-distill train --force deletes the run and starts over', async () => {
    const r = await train(config, '--force');
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(epochsOf(runDir), [1, 2]);
    assert.deepEqual(fs.readdirSync(path.join(runDir, 'checkpoints')).sort(), [
      'latest.json',
      'step-00000004',
      'step-00000008',
    ]);
  });

  it('tfjs-distill train --resume without a checkpoint starts over and drops the old metric lines', async () => {
    fs.rmSync(path.join(runDir, 'checkpoints', 'latest.json'));
    const r = await train(config, '--resume');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /No checkpoint in .* yet: starting from the beginning\./);
    assert.deepEqual(epochsOf(runDir), [1, 2]);
    latestCheckpoint(runDir);
  });

  it('tfjs-distill eval prints the test errors of a run directory and of a config', async () => {
    const byDir = await cli('eval', runDir, '--runs-dir', runsDir);
    assert.equal(byDir.status, 0, byDir.stderr);
    const modelDir = path.join(runDir, 'model');
    const pattern =
      /: (\d+) test errors of 10000 \([\d.]+%\), loss [\d.]+, 12,730 parameters, [\d.]+ ms per 1000 predictions\n$/;
    assert.ok(byDir.stdout.startsWith(`${modelDir}: `), byDir.stdout);
    assert.match(byDir.stdout, pattern);
    const byConfig = await cli('eval', 'tiny.json', '--runs-dir', runsDir);
    assert.equal(byConfig.status, 0, byConfig.stderr);
    // The same model and figures; only the measured latency may differ between the two runs.
    const withoutLatency = (out: string): string =>
      out.replace(/, [\d.]+ ms per 1000 predictions/, '');
    assert.equal(withoutLatency(byConfig.stdout), withoutLatency(byDir.stdout));
  });

  it('tfjs-distill eval of a config that was never trained says to train it first', async () => {
    const never = writeConfig('never.json', TINY);
    const r = await cli('eval', never, '--runs-dir', runsDir);
    assert.equal(r.status, 2);
    assert.match(errorLine(r), /FILE_NOT_FOUND: Run "never" has no final model .* train it first/);
  });

  it('tfjs-distill report writes one SVG with the names of every run', async () => {
    const other = await train(config, '--name', 'other', '--epochs', '1');
    assert.equal(other.status, 0, other.stderr);
    assert.deepEqual(epochsOf(path.join(runsDir, 'other')), [1]);
    const r = await cli('report', runDir, path.join(runsDir, 'other'), '--out', 'x.svg');
    assert.equal(r.status, 0, r.stderr);
    const out = path.join(work, 'x.svg');
    assert.equal(r.stdout, `plot written to ${out}\n`);
    const svg = fs.readFileSync(out, 'utf8');
    assert.match(svg, /^<svg/);
    assert.match(svg, />tiny</);
    assert.match(svg, />other</);
  });
});

describe('tfjs-distill train with a teacher', () => {
  const teacherDir = path.join(work, 'teacher');
  const kd = (recorderLayer: string): unknown => ({
    ...TINY,
    model: { type: 'mlp', hidden: [8] },
    teacher: { model: { type: 'saved', path: teacherDir } },
    distill: {
      studentRecorders: { logits: { type: 'LayerOutputs', source: recorderLayer } },
      teacherRecorders: { logits: { type: 'LayerOutputs', source: 'logits' } },
      distillLosses: { loss_kd: { type: 'KLDivergence', tau: 2, lossWeight: 0.5 } },
      lossForwardMappings: {
        loss_kd: {
          predsS: { recorder: 'logits', fromStudent: true },
          predsT: { recorder: 'logits', fromStudent: false },
        },
      },
    },
  });

  before(async () => {
    const teacher = writeConfig('teacher.json', { ...TINY, model: { type: 'mlp', hidden: [32] } });
    const r = await train(teacher, '--export', teacherDir);
    assert.equal(r.status, 0, r.stderr);
  });

  it('tfjs-distill train --export copies the final model', () => {
    assert.deepEqual(fs.readdirSync(teacherDir).sort(), ['model.json', 'weights.bin']);
  });

  it('tfjs-distill train distills a student from a saved teacher', async () => {
    const r = await train(writeConfig('kd.json', kd('logits')));
    assert.equal(r.status, 0, r.stderr);
    const metrics = readMetricsLines(path.join(runsDir, 'kd'));
    assert.deepEqual(
      metrics.map((m) => m.epoch),
      [1, 2],
    );
    assert.ok(metrics.every((m) => Number.isFinite(m.trainLoss) && m.trainLoss > 0));
    for (const m of metrics) {
      assert.ok(m.teacherAgreement! >= 0 && m.teacherAgreement! <= 1, `${m.teacherAgreement}`);
      assert.ok(m.teacherTestAccuracy! > 0.1 && m.teacherTestAccuracy! <= 1);
      assert.deepEqual(Object.keys(m.trainLosses), ['loss', 'student.loss', 'distill.loss_kd']);
      const { loss, ...parts } = m.trainLosses;
      const sum = Object.values(parts).reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(sum - loss!) < 1e-5, `${sum} != ${loss}`);
    }
    // The end-of-epoch progress lines show the agreement with the teacher.
    const ends = r.stderr.split('\n').filter((l) => / test errors \d+/.test(l));
    assert.equal(ends.length, 2, r.stderr);
    for (const line of ends) assert.match(line, / test errors \d+ agree \d+\.\d%$/);
    assert.match(r.stdout, /^kd: \d+ test errors of 200/);
    const report = await cli('report', path.join(runsDir, 'kd'), '--out', 'kd.svg');
    assert.equal(report.status, 0, report.stderr);
    const svg = fs.readFileSync(path.join(work, 'kd.svg'), 'utf8');
    for (const title of [
      'agreement with the teacher (test)',
      'train loss terms',
      'learning rate',
    ]) {
      assert.ok(svg.includes(`data-title="${title}"`), title);
    }
    assert.match(
      svg,
      /<line class="reference" data-run="kd" data-reference="teacher test accuracy"/,
    );
  });

  it('tfjs-distill train rejects a recorder on an unknown layer before creating the run directory', async () => {
    const r = await train(writeConfig('kd-typo.json', kd('logit')));
    assert.equal(r.status, 2);
    assert.match(
      errorLine(r),
      /MEMBER_NOT_FOUND: .*no layer named "logit"; its layers are: fc1, logits/,
    );
    assert.equal(fs.existsSync(path.join(runsDir, 'kd-typo')), false);
  });
});

describe('tfjs-distill train and SIGINT', () => {
  it(
    'tfjs-distill train stops within an epoch on SIGINT, and --resume then runs every epoch once',
    {
      timeout: 60_000,
    },
    async () => {
      // 100 steps an epoch: long enough that the signal lands between two steps of epoch 2.
      const epochs = 4;
      const steps = 100;
      const config = writeConfig('long.json', {
        ...TINY,
        data: { trainLimit: 1000, validationSize: 100, testLimit: 100 },
        train: { epochs, batchSize: 10 },
      });
      const runDir = path.join(runsDir, 'long');
      const metrics = path.join(runDir, 'metrics.jsonl');
      const latest = path.join(runDir, 'checkpoints', 'latest.json');
      const { child, result } = start(['train', config, '--runs-dir', runsDir]);
      try {
        while (!(fs.existsSync(latest) && fs.statSync(metrics).size > 0)) {
          assert.equal(child.exitCode, null, 'the run is still going');
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        // The first checkpoint is being committed: let epoch 2 start (a few of its 100 steps),
        // or a signal that arrives before the commit ends stops the run after epoch 1 instead.
        await new Promise((resolve) => setTimeout(resolve, 60));
        child.kill('SIGINT');
        const r = await result;
        assert.equal(r.status, 0, r.stderr);
        assert.match(
          r.stderr,
          /Interrupted in epoch \d+ at step \d+: checkpoint written; continue with --resume\./,
        );
        assert.match(r.stdout, /\(interrupted; resume with --resume\)/);
        assert.match(latestCheckpoint(runDir), /step-\d+$/);
        const done = epochsOf(runDir);
        assert.ok(done.length >= 1 && done.length < epochs, `stopped early: ${done.length} epochs`);
      } finally {
        child.kill('SIGKILL');
      }
      const resumed = await train(config, '--resume');
      assert.equal(resumed.status, 0, resumed.stderr);
      const [, step] = /Resuming long at epoch \d+, step (\d+)\./.exec(resumed.stderr) ?? [];
      assert.notEqual(Number(step) % steps, 0, `resumed within an epoch, at step ${step}`);
      const lines = readMetricsLines(runDir);
      assert.deepEqual(
        lines.map((m) => [m.epoch, m.step]),
        Array.from({ length: epochs }, (_, i) => [i + 1, (i + 1) * steps]),
      );
      assert.match(resumed.stdout, /after 4 epoch\(s\)\n/);
    },
  );
});
