/**
 * One batch, two views: a teacher and a student that see the batch differently (channels,
 * scale) still share one randomly augmented batch through a delivery, because each view runs
 * after the augments.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { Augments, ImageClassifier, SingleTeacherDistill } from '../../src/index.js';
import { makeView } from '../../src/data/view.js';
import { expectNoLeaks } from '../helpers/tensors.js';

const MIX = { type: 'BatchMixup', alpha: 1, numClasses: 3 } as const;

function classifier(
  shape: number[],
  name: string,
  preprocess: (x: tf.Tensor) => tf.Tensor,
): ImageClassifier {
  const model = tf.sequential({
    name,
    layers: [
      tf.layers.flatten({ inputShape: shape, name: 'flat' }),
      tf.layers.dense({ units: 3, name: 'logits' }),
    ],
  });
  return new ImageClassifier({
    model,
    augments: new Augments(MIX, { seed: name === 'teacher' ? 1 : 2 }),
    preprocess,
  });
}

/** The first channel of what each model's first layer saw, after one loss pass. */
function seen(delivered: boolean): { teacher: number[]; student: number[] } {
  const teacherView = makeView({ channels: 3, scale: [-1, 1] }, [4, 4, 1]);
  const studentView = makeView({ scale: [-1, 1] }, [4, 4, 1]);
  const teacher = classifier([4, 4, 3], 'teacher', teacherView.apply);
  const student = classifier([4, 4, 1], 'student', studentView.apply);
  const algo = new SingleTeacherDistill({
    teacher,
    student,
    distiller: {
      studentRecorders: { input: { type: 'LayerInputs', source: 'flat' } },
      teacherRecorders: { input: { type: 'LayerInputs', source: 'flat' } },
      distillDeliveries: delivered
        ? [{ type: 'MethodOutputs', methodPath: { cls: Augments, name: 'call' } }]
        : [],
    },
  });
  try {
    const x = tf.randomUniform([6, 4, 4, 1], 0, 1, 'float32', 1);
    const y = tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32');
    tf.dispose(algo.loss(x, y));
    const t = algo.distiller.teacherRecorders.getRecorder('input').getRecordData<tf.Tensor>();
    const s = algo.distiller.studentRecorders.getRecorder('input').getRecordData<tf.Tensor>();
    const first = (v: tf.Tensor): number[] =>
      tf.tidy(() => Array.from(tf.slice(v, [0, 0, 0, 0], [-1, -1, -1, 1]).dataSync()));
    const out = { teacher: first(t), student: first(s) };
    tf.dispose([x, y]);
    return out;
  } finally {
    algo.distiller.dispose();
    teacher.model.dispose();
    student.model.dispose();
  }
}

describe('views of one batch', () => {
  it('a delivery hands the student the teacher’s mixed batch, each seeing it through its own view', async () => {
    await tf.setBackend('cpu');
    await expectNoLeaks(() => {
      const { teacher, student } = seen(true);
      teacher.forEach((v, i) => assert.ok(Math.abs(v - student[i]!) < 1e-6, `value ${i}`));
    });
  });

  it('without the delivery the two views show differently mixed batches', () => {
    const { teacher, student } = seen(false);
    assert.ok(teacher.some((v, i) => Math.abs(v - student[i]!) > 1e-3));
  });
});
