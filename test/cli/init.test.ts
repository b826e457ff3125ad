/**
 * From a teacher and data of one's own to a comparison: `init` writes the config, `train` runs
 * it with its baseline and prints the table, `eval --model --data` measures any model on any
 * data. On the shipped fixtures (a GraphModel teacher of MNIST digits, the shapes image folder).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { defaultMnistDir } from '../../src/data/mnist-node.js';
import { checkRunConfig } from '../../src/run/check-run-config.js';
import { errorLine, runCli } from '../helpers/cli.js';
import { fixturesDir } from '../helpers/paths.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-distill-init-'));
after(() => fs.rmSync(work, { recursive: true, force: true }));

const GRAPH_SOFTMAX = path.join(fixturesDir, 'graph-teacher', 'softmax', 'model.json');
const GRAPH_LOGITS = path.join(fixturesDir, 'graph-teacher', 'logits', 'model.json');
const SHAPES = path.join(fixturesDir, 'shapes');

describe('tfjs-distill init', () => {
  it('init writes a runnable config for a GraphModel teacher of probabilities on MNIST files', async () => {
    const out = path.join(work, 'configs', 'mnist.json');
    const result = await runCli(
      ['init', '--teacher', GRAPH_SOFTMAX, '--data', defaultMnistDir(), '--out', out],
      work,
    );
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /teacher outputs: probabilities \(.*Softmax.*\)/);
    assert.match(result.stdout, /config written to .*mnist\.json/);
    const config = JSON.parse(fs.readFileSync(out, 'utf8')) as {
      baseline: boolean;
      data: { source: { type: string; dir: string } };
      model: { type: string; hidden: number[] };
      teacher: { model: { type: string; path: string }; outputs: string };
      distill: { teacherRecorders: { logits: { source: string } } };
    };
    assert.equal(config.baseline, true);
    assert.equal(config.data.source.type, 'mnist');
    assert.equal(config.teacher.model.type, 'graph');
    assert.equal(config.teacher.outputs, 'probabilities');
    assert.equal(config.distill.teacherRecorders.logits.source, 'logits');
    // Paths are relative to the config's folder, as a run reads them.
    assert.equal(path.resolve(path.dirname(out), config.teacher.model.path), GRAPH_SOFTMAX);
    assert.ok(!path.isAbsolute(config.data.source.dir));
    // The teacher has 25,450 parameters: the student gets at most half.
    const [w] = config.model.hidden;
    assert.ok(784 * w! + w! * w! + w! * 10 < 25_450 / 2, `student width ${w}`);
    assert.doesNotThrow(() => checkRunConfig(config, 'mnist'));
  });

  it('init refuses a teacher whose outputs are not the data’s classes, naming both and writing nothing', async () => {
    const out = path.join(work, 'mismatch.json');
    const result = await runCli(
      ['init', '--teacher', GRAPH_LOGITS, '--data', SHAPES, '--out', out],
      work,
    );
    assert.equal(result.status, 2);
    assert.match(
      errorLine(result),
      /SHAPE_MISMATCH: The teacher .*logits\/model\.json outputs 10 values per example, but the data .*shapes has 3 classes \(circle, square, triangle\)/,
    );
    assert.equal(fs.existsSync(out), false);
  });

  it('init refuses to overwrite a config without --force', async () => {
    const out = path.join(work, 'exists.json');
    fs.writeFileSync(out, '{}');
    const result = await runCli(
      ['init', '--teacher', GRAPH_LOGITS, '--data', SHAPES, '--out', out],
      work,
    );
    assert.equal(result.status, 2);
    assert.match(errorLine(result), /exists\.json already exists: pass --force/);
    assert.equal(fs.readFileSync(out, 'utf8'), '{}');
  });

  it('init names data it cannot read', async () => {
    const result = await runCli(['init', '--teacher', GRAPH_LOGITS, '--data', 'nowhere'], work);
    assert.equal(result.status, 2);
    assert.match(errorLine(result), /FILE_NOT_FOUND: The data "nowhere" does not exist/);
  });
});

describe('tfjs-distill train with a baseline, and eval --model --data', () => {
  it('train of a config with baseline: true evaluates the teacher, trains both students and prints the table', async () => {
    const config = {
      name: 'tiny',
      seed: 1,
      backend: 'cpu',
      baseline: true,
      data: {
        source: { type: 'mnist', trainLimit: 300, testLimit: 200, validationSize: 0 },
      },
      model: { type: 'mlp', hidden: [16] },
      teacher: { model: { type: 'graph', path: GRAPH_LOGITS } },
      distill: {
        studentRecorders: { logits: { type: 'LayerOutputs', source: 'logits' } },
        teacherRecorders: { logits: { type: 'LayerOutputs', source: 'logits' } },
        distillLosses: { loss_kd: { type: 'KLDivergence', tau: 4, lossWeight: 0.7 } },
        lossForwardMappings: {
          loss_kd: {
            predsS: { recorder: 'logits', fromStudent: true },
            predsT: { recorder: 'logits', fromStudent: false },
          },
        },
      },
      train: { epochs: 1, batchSize: 50, taskLossWeight: 0.3 },
    };
    const file = path.join(work, 'tiny.json');
    fs.writeFileSync(file, JSON.stringify(config));
    const runs = path.join(work, 'runs');
    const result = await runCli(['train', file, '--runs-dir', runs], work);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /^teacher +test acc \d+\.\d\d% \(\d+ errors of 200\)/m);
    assert.match(result.stderr, /^student alone .*epoch 1\/1/m);
    assert.match(result.stderr, /^distilled .*epoch 1\/1/m);
    for (const row of ['teacher', 'student alone', 'student distilled']) {
      assert.match(result.stdout, new RegExp(`^${row} +\\d+ +\\d+\\.\\d\\d%`, 'm'), row);
    }
    assert.ok(fs.existsSync(path.join(runs, 'tiny-alone', 'model', 'model.json')));
    assert.ok(fs.existsSync(path.join(runs, 'tiny', 'model', 'model.json')));
  });

  it('eval --model --data measures a GraphModel on MNIST files', async () => {
    const result = await runCli(
      ['eval', '--model', GRAPH_SOFTMAX, '--data', defaultMnistDir()],
      work,
    );
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /(\d+) test errors of 10000 \((\d+\.\d\d)%\)/);
    const accuracy = Number(/of 10000 \((\d+\.\d\d)%\)/.exec(result.stdout)![1]);
    assert.ok(accuracy > 80, `accuracy ${accuracy}%`);
    assert.match(result.stdout, /outputs probabilities/);
  });
});
