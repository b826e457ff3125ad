import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkRunConfig, type DistillErrorCode, type RunConfig } from '../../src/index.js';
import { distillError } from '../helpers/errors.js';

const MLP = { type: 'mlp', hidden: [8] } as const;
const KD = {
  studentRecorders: { logits: { type: 'LayerOutputs', source: 'logits' } },
  teacherRecorders: { logits: { type: 'LayerOutputs', source: 'logits' } },
  distillLosses: { loss_kd: { type: 'KLDivergence', tau: 2 } },
  lossForwardMappings: {
    loss_kd: {
      predsS: { recorder: 'logits', fromStudent: true },
      predsT: { recorder: 'logits', fromStudent: false },
    },
  },
} as const;

/** Asserts that `checkRunConfig` rejects `config` with `code` and a message matching `patterns`. */
function rejects(config: unknown, code: DistillErrorCode, ...patterns: RegExp[]): void {
  assert.throws(() => checkRunConfig(config, 'run'), distillError(code, ...patterns));
}

describe('checkRunConfig', () => {
  it('checkRunConfig fills in every default and names the run after the file', () => {
    const checked = checkRunConfig({ model: MLP }, 'from-file');
    assert.deepEqual(checked, {
      name: 'from-file',
      seed: 0,
      backend: 'auto',
      data: {
        source: undefined,
        dir: undefined,
        trainLimit: undefined,
        validationSize: 5000,
        testLimit: undefined,
      },
      input: undefined,
      model: MLP,
      teacher: undefined,
      distill: undefined,
      baseline: false,
      train: {
        epochs: 10,
        batchSize: 128,
        optimizer: { type: 'adam', learningRate: 1e-3, beta1: 0.9, beta2: 0.999 },
        schedule: { type: 'constant' },
        augments: undefined,
        labelAssigner: undefined,
        taskLossWeight: 1,
        evalBatchSize: 1000,
      },
    });
  });

  it('checkRunConfig keeps the values a config gives, teacher and distill included', () => {
    const config: RunConfig = {
      name: 'kd_1.b',
      seed: 3,
      backend: 'cpu',
      data: { dir: 'mnist', trainLimit: 200, validationSize: 0, testLimit: 50 },
      model: MLP,
      teacher: { model: { type: 'saved', path: 'teacher' }, labelAssigner: 'groundTruth' },
      distill: { ...KD, calculateStudentLoss: false },
      train: {
        epochs: 2,
        batchSize: 10,
        optimizer: { type: 'sgd', learningRate: 0.1, momentum: 0.9 },
        schedule: { type: 'cosine', warmupEpochs: 1 },
        labelAssigner: 'pseudoLabels',
        taskLossWeight: 0.5,
        evalBatchSize: 7,
      },
    };
    const checked = checkRunConfig(config, 'ignored');
    assert.equal(checked.name, 'kd_1.b');
    assert.equal(checked.seed, 3);
    assert.equal(checked.backend, 'cpu');
    assert.deepEqual(checked.data, { source: undefined, ...config.data });
    assert.deepEqual(checked.teacher, {
      model: { type: 'saved', path: 'teacher' },
      augments: undefined,
      labelAssigner: 'groundTruth',
      runInWorker: false,
      input: undefined,
      outputs: 'auto',
    });
    assert.deepEqual(checked.distill, { ...KD, calculateStudentLoss: false });
    assert.deepEqual(checked.train.optimizer, {
      type: 'sgd',
      learningRate: 0.1,
      momentum: 0.9,
      nesterov: false,
    });
    assert.deepEqual(checked.train.schedule, {
      type: 'cosine',
      minLearningRate: 0,
      warmupEpochs: 1,
    });
    assert.equal(checked.train.labelAssigner, 'pseudoLabels');
    assert.equal(checked.train.taskLossWeight, 0.5);
    assert.equal(checked.train.evalBatchSize, 7);
  });

  it('checkRunConfig accepts a model function, as .ts and .js configs may give', () => {
    const model = (): never => {
      throw new Error('not called while checking');
    };
    assert.equal(checkRunConfig({ model }, 'run').model, model);
  });

  it('checkRunConfig rejects a config that is not an object', () => {
    rejects([], 'INVALID_CONFIG', /Expected config to be an object, but got array of length 0/);
    rejects(null, 'INVALID_CONFIG', /Expected config to be an object, but got null/);
  });

  it('checkRunConfig rejects an unknown key, suggesting the closest known one', () => {
    rejects(
      { model: MLP, trian: {} },
      'INVALID_CONFIG',
      /"trian" at config/,
      /Perhaps you meant "train"\?/,
    );
    rejects(
      { model: MLP, data: { trainlimit: 100 } },
      'INVALID_CONFIG',
      /"trainlimit" at data/,
      /Perhaps you meant "trainLimit"\?/,
    );
    rejects(
      { model: { ...MLP, hiden: [8] } },
      'INVALID_CONFIG',
      /"hiden" at model/,
      /Perhaps you meant "hidden"\?/,
    );
  });

  it('checkRunConfig rejects a config without a model and says how to add one', () => {
    rejects({ train: { epochs: 1 } }, 'INVALID_CONFIG', /no model: add model/, /"type": "mlp"/);
  });

  it('checkRunConfig rejects an unknown model type, naming model.type and suggesting a type', () => {
    rejects(
      { model: { type: 'mpl', hidden: [8] } },
      'INVALID_CONFIG',
      /model\.type/,
      /one of mlp, smallCnn, hintonTeacher, hintonStudent, smallMlp, saved/,
      /got "mpl"/,
      /Perhaps you meant "mlp"\?/,
    );
    rejects({ model: 'mlp' }, 'INVALID_CONFIG', /Expected model to be a model config/, /"mlp"/);
    rejects(
      { model: { type: 'saved' } },
      'INVALID_CONFIG',
      /model\.path to be the path of a saved model/,
      /got undefined/,
    );
  });

  it('checkRunConfig rejects model.hidden that is not an array of positive integer widths', () => {
    rejects(
      { model: { type: 'mlp', hidden: 8 } },
      'INVALID_CONFIG',
      /model\.hidden to be a non-empty array/,
      /got 8\./,
    );
    rejects({ model: { type: 'mlp', hidden: [] } }, 'INVALID_CONFIG', /model\.hidden /, /length 0/);
    rejects(
      { model: { type: 'mlp', hidden: [8, 0] } },
      'INVALID_CONFIG',
      /model\.hidden\[1\] to be an integer from 1/,
      /got 0\./,
    );
    rejects(
      { model: { type: 'mlp', hidden: [1.5] } },
      'INVALID_CONFIG',
      /model\.hidden\[0\] to be an integer/,
      /got 1\.5\./,
    );
    rejects(
      { model: MLP, teacher: { model: { type: 'mlp', hidden: ['8'] } }, distill: KD },
      'INVALID_CONFIG',
      /teacher\.model\.hidden\[0\]/,
      /got "8"\./,
    );
  });

  it('checkRunConfig rejects train.epochs of 0, -1, NaN and "3", naming the value', () => {
    for (const [epochs, shown] of [
      [0, '0'],
      [-1, '-1'],
      [Number.NaN, 'NaN'],
      ['3', '"3"'],
    ] as const) {
      rejects(
        { model: MLP, train: { epochs } },
        'INVALID_CONFIG',
        /Expected train\.epochs to be an integer from 1 to 10000/,
        new RegExp(`but got ${shown}\\.`),
      );
    }
  });

  it('checkRunConfig rejects a train.batchSize below 1, fractional or above the training set', () => {
    for (const batchSize of [0, 2.5, 1e9]) {
      rejects(
        { model: MLP, train: { batchSize } },
        'INVALID_CONFIG',
        /train\.batchSize to be an integer from 1 to 60000/,
        new RegExp(`got ${batchSize}\\.`),
      );
    }
  });

  it('checkRunConfig rejects an unknown optimizer and a negative learning rate', () => {
    rejects(
      { model: MLP, train: { optimizer: { type: 'adamw' } } },
      'INVALID_CONFIG',
      /train\.optimizer\.type/,
      /got "adamw"/,
      /Perhaps you meant "adam"\?/,
    );
    rejects(
      { model: MLP, train: { optimizer: { type: 'adam', learningRate: -0.1 } } },
      'INVALID_CONFIG',
      /train\.optimizer\.learningRate to be a positive number/,
      /got -0\.1\./,
    );
  });

  it('checkRunConfig rejects an unknown schedule, and one that does not fit the epochs', () => {
    rejects(
      { model: MLP, train: { schedule: { type: 'cosin' } } },
      'INVALID_CONFIG',
      /train\.schedule\.type/,
      /got "cosin"/,
      /Perhaps you meant "cosine"\?/,
    );
    rejects(
      { model: MLP, train: { epochs: 2, schedule: { type: 'cosine', warmupEpochs: 5 } } },
      'INVALID_CONFIG',
      /warmupEpochs \(5\) must be less than the 2 training epochs/,
      /\(at train\.schedule\)/,
    );
  });

  it('checkRunConfig rejects data limits out of range', () => {
    rejects(
      { model: MLP, data: { trainLimit: 70_000 } },
      'INVALID_CONFIG',
      /data\.trainLimit to be an integer from 10 to 60000/,
      /got 70000\./,
    );
    rejects({ model: MLP, data: { testLimit: 0 } }, 'INVALID_CONFIG', /data\.testLimit/, /got 0\./);
    rejects({ model: MLP, data: { dir: '' } }, 'INVALID_CONFIG', /data\.dir to be a folder path/);
  });

  it('checkRunConfig rejects a teacher without a distill section and a distill section without a teacher', () => {
    rejects(
      { model: MLP, teacher: { model: MLP } },
      'INVALID_CONFIG',
      /a teacher but no distill section: add distill/,
    );
    rejects(
      { model: MLP, distill: KD },
      'INVALID_CONFIG',
      /distill section but no teacher: add teacher\.model/,
    );
    rejects(
      { model: MLP, teacher: { model: MLP }, distill: { ...KD, studentRecorder: {} } },
      'INVALID_CONFIG',
      /"studentRecorder" at distill/,
      /Perhaps you meant "studentRecorders"\?/,
    );
  });

  it('checkRunConfig rejects a run name that is not a plain file name', () => {
    for (const name of ['my run', '../up', '', '.hidden', 7]) {
      rejects(
        { model: MLP, name },
        'INVALID_CONFIG',
        /Expected name to be a run name of letters, digits/,
      );
    }
  });

  it('checkRunConfig rejects distill.calculateStudentLoss that is not a boolean', () => {
    rejects(
      { model: MLP, teacher: { model: MLP }, distill: { ...KD, calculateStudentLoss: 'yes' } },
      'INVALID_CONFIG',
      /distill\.calculateStudentLoss to be true or false/,
      /got "yes"\./,
    );
  });

  it('checkRunConfig rejects an unknown label assigner, listing the known ones', () => {
    rejects(
      { model: MLP, train: { labelAssigner: 'groundtruth' } },
      'INVALID_CONFIG',
      /train\.labelAssigner to be one of groundTruth, pseudoLabels, confidenceWeighted/,
      /got "groundtruth"/,
      /Perhaps you meant "groundTruth"\?/,
    );
    rejects(
      { model: MLP, teacher: { model: MLP, labelAssigner: 3 }, distill: KD },
      'INVALID_CONFIG',
      /teacher\.labelAssigner/,
      /got 3\./,
    );
  });

  it('checkRunConfig rejects an unknown backend and a negative seed', () => {
    rejects(
      { model: MLP, backend: 'webgl' },
      'INVALID_CONFIG',
      /backend to be one of auto, cpu, wasm, tensorflow/,
    );
    rejects({ model: MLP, seed: -1 }, 'INVALID_CONFIG', /seed to be an integer from 0/, /got -1\./);
  });
});

describe('checkRunConfig activations', () => {
  it('checkRunConfig rejects an unknown activation with a suggestion', () => {
    rejects(
      { model: { ...MLP, activation: 'rleu' } },
      'INVALID_CONFIG',
      /model\.activation/,
      /"rleu"/,
      /Perhaps you meant "relu"/,
    );
  });
});
