import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import {
  Augments,
  ImageClassifier,
  LayerInputsRecorder,
  SingleTeacherDistill,
  mlp,
  type ConfigurableDistillerOptions,
} from '../../src/index.js';
import { distillError } from '../helpers/errors.js';
import { expectNoLeaks } from '../helpers/tensors.js';

const KD: ConfigurableDistillerOptions = {
  studentRecorders: { logits: { type: 'LayerOutputs', source: 'logits' } },
  teacherRecorders: { logits: { type: 'LayerOutputs', source: 'logits' } },
  distillLosses: { loss_kd: { type: 'KLDivergence', tau: 2, lossWeight: 0.5 } },
  lossForwardMappings: {
    loss_kd: {
      predsS: { recorder: 'logits', fromStudent: true },
      predsT: { recorder: 'logits', fromStudent: false },
    },
  },
};

let counter = 0;
function models(): { teacher: tf.Sequential; student: tf.Sequential } {
  counter++;
  return {
    teacher: mlp({
      inputSize: 6,
      hidden: [16],
      numClasses: 4,
      seed: 1,
      name: `st_teacher${counter}`,
    }),
    student: mlp({
      inputSize: 6,
      hidden: [5],
      numClasses: 4,
      seed: 2,
      name: `st_student${counter}`,
    }),
  };
}

function weightsOf(model: tf.LayersModel): number[][] {
  return model.getWeights().map((w) => Array.from(w.dataSync()));
}

describe('SingleTeacherDistill', () => {
  it('trainStep updates the student but never the teacher, which runs inside minimize', () => {
    const { teacher, student } = models();
    const algo = new SingleTeacherDistill({ teacher, student, distiller: KD });
    const optimizer = tf.train.adam(0.05);
    const x = tf.randomNormal([8, 6], 0, 1, 'float32', 5);
    const y = tf.tensor1d([0, 1, 2, 3, 0, 1, 2, 3], 'int32');
    const teacherBefore = weightsOf(teacher);
    const studentBefore = weightsOf(student);
    const losses = algo.trainStep(optimizer, x, y);
    assert.deepEqual(Object.keys(losses).sort(), ['distill.loss_kd', 'loss', 'student.loss']);
    assert.ok(Math.abs(losses.loss! - losses['student.loss']! - losses['distill.loss_kd']!) < 1e-5);
    assert.deepEqual(weightsOf(teacher), teacherBefore);
    assert.notDeepEqual(weightsOf(student), studentBefore);
    tf.dispose([x, y]);
    optimizer.dispose();
    algo.distiller.dispose();
  });

  it('trainStep lowers the distillation loss over steps and leaks nothing', async () => {
    const { teacher, student } = models();
    const algo = new SingleTeacherDistill({
      teacher,
      student,
      distiller: KD,
      calculateStudentLoss: false,
    });
    const optimizer = tf.train.sgd(0.5);
    const x = tf.randomNormal([16, 6], 0, 1, 'float32', 7);
    const y = tf.tensor1d(
      Array.from({ length: 16 }, (_, i) => i % 4),
      'int32',
    );
    const first = algo.trainStep(optimizer, x, y);
    let last = first;
    await expectNoLeaks(() => {
      for (let i = 0; i < 60; i++) last = algo.trainStep(optimizer, x, y);
    });
    assert.equal(first['student.loss'], undefined);
    assert.ok(
      last['distill.loss_kd']! < first['distill.loss_kd']! * 0.5,
      `${first['distill.loss_kd']} -> ${last['distill.loss_kd']}`,
    );
    tf.dispose([x, y]);
  });

  it('aligns a mixup batch between teacher and student through a MethodOutputs delivery', async () => {
    for (const delivered of [true, false]) {
      const { teacher, student } = models();
      const mix = (): Augments => new Augments({ type: 'BatchMixup', alpha: 1, numClasses: 4 });
      const algo = new SingleTeacherDistill({
        teacher: new ImageClassifier({ model: teacher, augments: mix() }),
        student: new ImageClassifier({ model: student, augments: mix() }),
        distiller: {
          ...KD,
          studentRecorders: {
            ...KD.studentRecorders,
            input: new LayerInputsRecorder({ source: 'fc1' }),
          },
          teacherRecorders: {
            ...KD.teacherRecorders,
            input: new LayerInputsRecorder({ source: 'fc1' }),
          },
          distillDeliveries: delivered
            ? [{ type: 'MethodOutputs', methodPath: { cls: Augments, name: 'call' } }]
            : [],
        },
      });
      const x = tf.randomNormal([4, 6], 0, 1, 'float32', 9);
      const y = tf.tensor1d([0, 1, 2, 3], 'int32');
      await expectNoLeaks(() => {
        const losses = algo.loss(x, y);
        const s = algo.distiller.studentRecorders.getRecorder('input').getRecordData<tf.Tensor>();
        const t = algo.distiller.teacherRecorders.getRecorder('input').getRecordData<tf.Tensor>();
        const same = tf.tidy(() => s.sub(t).abs().max().dataSync()[0]!) < 1e-7;
        assert.equal(same, delivered);
        tf.dispose(Object.values(losses));
        algo.distiller.reset();
      });
      tf.dispose([x, y]);
      algo.distiller.dispose();
    }
  });

  it('builds a lazily sized connector before the first step and trains it (FitNets)', () => {
    const { teacher, student } = models();
    const algo = new SingleTeacherDistill({
      teacher,
      student,
      distiller: {
        studentRecorders: { feat: { type: 'LayerOutputs', source: 'fc1' } },
        teacherRecorders: { feat: { type: 'LayerOutputs', source: 'fc1' } },
        connectors: { proj: { type: 'DenseConnector', outFeatures: 16 } },
        distillLosses: { loss_hint: { type: 'L2Loss' } },
        lossForwardMappings: {
          loss_hint: {
            sFeature: { recorder: 'feat', fromStudent: true, connector: 'proj' },
            tFeature: { recorder: 'feat', fromStudent: false },
          },
        },
      },
    });
    assert.equal(algo.distiller.connectorsBuilt, false);
    const optimizer = tf.train.adam(0.01);
    const x = tf.randomNormal([8, 6], 0, 1, 'float32', 11);
    const y = tf.tensor1d([0, 1, 2, 3, 0, 1, 2, 3], 'int32');
    algo.trainStep(optimizer, x, y);
    const before = algo.distiller.trainableWeights.map((w) => Array.from(w.dataSync()));
    algo.trainStep(optimizer, x, y);
    const after = algo.distiller.trainableWeights.map((w) => Array.from(w.dataSync()));
    assert.notDeepEqual(after, before);
    tf.dispose([x, y]);
    algo.distiller.dispose();
  });

  it('feeds the batch labels to DKD through a { batch: "labels" } mapping', () => {
    const { teacher, student } = models();
    const algo = new SingleTeacherDistill({
      teacher,
      student,
      distiller: {
        ...KD,
        distillLosses: { loss_dkd: { type: 'DKDLoss', tau: 2 } },
        lossForwardMappings: {
          loss_dkd: {
            predsS: { recorder: 'logits', fromStudent: true },
            predsT: { recorder: 'logits', fromStudent: false },
            gtLabels: { batch: 'labels' },
          },
        },
      },
    });
    const x = tf.randomNormal([4, 6], 0, 1, 'float32', 13);
    const y = tf.tensor1d([0, 1, 2, 3], 'int32');
    const losses = algo.trainStep(tf.train.sgd(0.1), x, y);
    assert.ok(Number.isFinite(losses['distill.loss_dkd']));
    tf.dispose([x, y]);
  });

  it('rejects the same model as teacher and student, and nothing to train', () => {
    const { teacher, student } = models();
    assert.throws(
      () => new SingleTeacherDistill({ teacher, student: teacher, distiller: KD }),
      distillError('INVALID_ARGUMENT', /same model/),
    );
    assert.throws(
      () =>
        new SingleTeacherDistill({ teacher, student, distiller: {}, calculateStudentLoss: false }),
      distillError('INVALID_CONFIG', /Nothing to train/),
    );
    assert.throws(
      () => new SingleTeacherDistill({ teacher, student: {} as tf.LayersModel, distiller: KD }),
      distillError('INVALID_ARGUMENT', /student/),
    );
  });
});
