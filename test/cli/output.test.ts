/**
 * What the command line prints while it works: progress lines that name their run, no tfjs
 * banner, and the demo's closing table with the paths it wrote.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { demoCommand } from '../../src/cli/demo-command.js';
import { mlp } from '../../src/index.js';
import { fileSaver } from '../../src/train/checkpoint-io.js';
import { runCli } from '../helpers/cli.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-distill-output-'));
after(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

/** What tfjs's cpu backend prints on its first tensor in Node.js, unless told not to. */
const TFJS_BANNER = /looks like you are running TensorFlow\.js/;

/** The fields every progress line of a training run has, after the run's name. */
const PROGRESS_FIELDS =
  / epoch \d+\/\d+ \[[#-]+\] +\d+\/\d+ loss \d+\.\d{4} (?:val|test) acc \d+\.\d{2}% [\d,]+ ex\/s \d+:\d{2} ETA \d+:\d{2}/;

const DATA = { trainLimit: 200, validationSize: 100, testLimit: 200 };

function writeJson(file: string, value: unknown): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value));
  return file;
}

describe('tfjs-distill output', () => {
  it('tfjs-distill train and eval on the cpu backend print no tfjs banner, and train names its run on every progress line', async () => {
    const config = writeJson(path.join(work, 'tiny.json'), {
      name: 'tiny-run',
      seed: 1,
      data: DATA,
      model: { type: 'mlp', hidden: [8] },
      train: { epochs: 1, batchSize: 50 },
      // The banner comes from the cpu backend; wasm never prints it.
      backend: 'cpu',
    });
    const runs = path.join(work, 'runs');
    const trained = await runCli(['train', config, '--runs-dir', runs], work);
    assert.equal(trained.status, 0, trained.stderr);
    assert.doesNotMatch(trained.stderr + trained.stdout, TFJS_BANNER);
    const [data, ...lines] = trained.stderr.split('\n').filter((l) => l !== '');
    assert.match(data!, /^tiny-run Data: MNIST \(200 train, 200 test, 10 classes\)\.$/);
    assert.ok(lines.length > 0, 'some progress');
    for (const line of lines) assert.match(line, /^tiny-run epoch 1\/1 /);
    assert.match(lines.at(-1)!, new RegExp(`^tiny-run${PROGRESS_FIELDS.source} test errors \\d+$`));

    const evaluated = await runCli(['eval', path.join(runs, 'tiny-run')], work);
    assert.equal(evaluated.status, 0, evaluated.stderr);
    assert.equal(evaluated.stderr, '');
  });

  it('demoCommand names the teacher, the student alone and the distilled student on their progress lines, and ends with the paths it wrote, relative to cwd', async () => {
    // A package root of its own: a tiny teacher and tiny versions of the two demo configs.
    const root = path.join(work, 'package');
    const teacher = mlp({ hidden: [16], seed: 1 });
    await teacher.save(fileSaver(path.join(root, 'models', 'mnist-teacher')));
    teacher.dispose();
    const student = { type: 'mlp', hidden: [8] };
    const train = { epochs: 3, batchSize: 50 };
    writeJson(path.join(root, 'configs', 'student-alone.json'), {
      name: 'student-alone',
      seed: 3,
      data: DATA,
      model: student,
      train,
      backend: 'cpu',
    });
    const logits = { logits: { type: 'LayerOutputs', source: 'logits' } };
    writeJson(path.join(root, 'configs', 'kd-hinton.json'), {
      name: 'kd-hinton',
      seed: 3,
      data: DATA,
      model: student,
      teacher: { model: { type: 'saved', path: '../models/mnist-teacher' } },
      distill: {
        studentRecorders: logits,
        teacherRecorders: logits,
        distillLosses: { loss_kd: { type: 'KLDivergence', tau: 4 } },
        lossForwardMappings: {
          loss_kd: {
            predsS: { recorder: 'logits', fromStudent: true },
            predsT: { recorder: 'logits', fromStudent: false },
          },
        },
      },
      train,
      backend: 'cpu',
    });
    const cwd = path.join(work, 'user');
    fs.mkdirSync(cwd);
    const written: string[] = [];
    const table = await demoCommand(root, {
      runsDir: 'runs/demo',
      epochs: 2,
      cwd,
      stream: { write: (text: string) => written.push(text) },
    });

    const lines = written.join('').split('\n').slice(0, -1);
    const teacherLines = lines.filter((l) => l.startsWith('teacher '));
    assert.equal(teacherLines.length, 2, lines.join('\n'));
    assert.match(
      teacherLines[0]!,
      /^teacher {7}evaluating the shipped \.\.\/package\/models\/mnist-teacher/,
    );
    assert.match(
      teacherLines[1]!,
      /^teacher {7}loss \d+\.\d{4} test acc \d+\.\d{2}% \(\d+ errors of 10000\)/,
    );
    for (const [name, epochs] of [
      ['student alone', 2],
      ['distilled    ', 2],
    ] as const) {
      const own = lines.filter((l) => l.startsWith(`${name} `));
      const progress = own.filter((l) => !/^\S+( \S+)? +(Data:|Teacher outputs) /.test(l));
      assert.equal(progress.length, epochs, `one line per epoch of ${name}:\n${lines.join('\n')}`);
      for (const line of progress)
        assert.match(line, new RegExp(`^${name}${PROGRESS_FIELDS.source}`));
      // Besides its progress, a run says what data it reads (and how its teacher outputs).
      assert.equal(own.length - progress.length, name === 'distilled    ' ? 2 : 1, own.join('\n'));
    }
    assert.equal(lines.length, 2 + 3 + 4, `no other lines:\n${lines.join('\n')}`);

    const out = table.split('\n');
    assert.match(out[0]!, /^model +test errors +accuracy/);
    assert.deepEqual(
      out.slice(1, 4).map((l) => l.split('  ')[0]),
      ['teacher (shipped)', 'student alone', 'student distilled'],
    );
    assert.deepEqual(out.slice(-3), [
      'models: runs/demo/student-alone/model, runs/demo/kd-hinton/model',
      'logs:   runs/demo/student-alone/metrics.jsonl, runs/demo/kd-hinton/metrics.jsonl',
      'plots:  runs/demo/demo.svg, runs/demo/student-alone/plot.svg, runs/demo/kd-hinton/plot.svg',
    ]);
    for (const file of [
      'runs/demo/student-alone/model/model.json',
      'runs/demo/kd-hinton/metrics.jsonl',
      'runs/demo/demo.svg',
    ]) {
      assert.ok(fs.existsSync(path.join(cwd, file)), `${file} exists`);
    }
  });
});
