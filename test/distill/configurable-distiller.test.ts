import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ConfigurableDistiller, KLDivergence, mlp } from '../../src/index.js';
import { distillError } from '../helpers/errors.js';
import { assertTensorClose, expectNoLeaks } from '../helpers/tensors.js';

const KD = {
  studentRecorders: { logits: { type: 'LayerOutputs', source: 'logits' } },
  teacherRecorders: { logits: { type: 'LayerOutputs', source: 'logits' } },
  distillLosses: { loss_kd: { type: 'KLDivergence', tau: 4 } },
  lossForwardMappings: {
    loss_kd: {
      predsS: { recorder: 'logits', fromStudent: true },
      predsT: { recorder: 'logits', fromStudent: false },
    },
  },
} as const;

type Config = ConstructorParameters<typeof ConfigurableDistiller>[0];

function withMapping(mapping: unknown): Config {
  return { ...KD, lossForwardMappings: mapping } as Config;
}

describe('ConfigurableDistiller validation', () => {
  const cases: [string, Config, RegExp[]][] = [
    [
      'an unknown loss type',
      { ...KD, distillLosses: { loss_kd: { type: 'KLDiv' } } } as unknown as Config,
      [/distillLosses\.loss_kd\.type/],
    ],
    [
      'a mapping for a loss that does not exist',
      withMapping({ ...KD.lossForwardMappings, loss_x: {} }),
      [/lossForwardMappings\.loss_x/, /no loss named/],
    ],
    [
      'a loss without a mapping',
      withMapping({}),
      [/lossForwardMappings\.loss_kd is missing/, /predsS, predsT/],
    ],
    [
      'an unknown input name',
      withMapping({
        loss_kd: {
          ...KD.lossForwardMappings.loss_kd,
          predsX: { recorder: 'logits', fromStudent: true },
        },
      }),
      [/loss_kd\.predsX/, /predsS, predsT/],
    ],
    [
      'a missing input',
      withMapping({ loss_kd: { predsS: KD.lossForwardMappings.loss_kd.predsS } }),
      [/loss_kd\.predsT is missing/],
    ],
    [
      'an unknown recorder',
      withMapping({
        loss_kd: {
          ...KD.lossForwardMappings.loss_kd,
          predsT: { recorder: 'logit', fromStudent: false },
        },
      }),
      [/loss_kd\.predsT\.recorder/, /teacherRecorders/, /Perhaps you meant "logits"/],
    ],
    [
      'an unknown connector',
      withMapping({
        loss_kd: {
          ...KD.lossForwardMappings.loss_kd,
          predsS: { recorder: 'logits', fromStudent: true, connector: 'proj' },
        },
      }),
      [/predsS\.connector/, /not in connectors/],
    ],
    [
      'an unknown key in a mapping',
      withMapping({
        loss_kd: {
          ...KD.lossForwardMappings.loss_kd,
          predsS: { recorder: 'logits', fromStudent: true, recordIndex: 0 },
        },
      }),
      [/"recordIndex"/, /loss_kd\.predsS/],
    ],
  ];
  for (const [what, config, patterns] of cases) {
    it(`rejects ${what}, naming the config path`, () => {
      assert.throws(
        () => new ConfigurableDistiller(config),
        (e: unknown) => {
          const ok = distillError((e as { code: 'INVALID_CONFIG' }).code, ...patterns)(e);
          return ok && ['INVALID_CONFIG', 'UNKNOWN_TYPE'].includes((e as { code: string }).code);
        },
      );
    });
  }

  it('rejects a non-boolean fromStudent with a TypeError', () => {
    assert.throws(
      () =>
        new ConfigurableDistiller(
          withMapping({
            loss_kd: {
              ...KD.lossForwardMappings.loss_kd,
              predsS: { recorder: 'logits', fromStudent: 'yes' },
            },
          }),
        ),
      (e: unknown) => e instanceof TypeError && /loss_kd\.predsS\.fromStudent/.test(e.message),
    );
  });

  it('rejects an unknown top-level key with a suggestion', () => {
    assert.throws(
      () => new ConfigurableDistiller({ ...KD, distillLoss: {} } as unknown as Config),
      distillError('INVALID_CONFIG', /"distillLoss"/, /Perhaps you meant "distillLosses"/),
    );
  });
});

describe('ConfigurableDistiller.computeDistillLosses', () => {
  it('feeds the recorded logits to the loss, as computing it directly would', async () => {
    const student = mlp({ inputSize: 4, hidden: [6], numClasses: 3, seed: 1, name: 'cd_student' });
    const teacher = mlp({ inputSize: 4, hidden: [8], numClasses: 3, seed: 2, name: 'cd_teacher' });
    await expectNoLeaks(() => {
      const distiller = new ConfigurableDistiller(KD)
        .prepareFromStudent(student)
        .prepareFromTeacher(teacher);
      const x = tf.randomNormal([5, 4], 0, 1, 'float32', 3);
      distiller.teacherRecorders.run(() => tf.dispose(teacher.predict(x) as tf.Tensor));
      distiller.studentRecorders.run(() => tf.dispose(student.predict(x) as tf.Tensor));
      const { loss_kd } = distiller.computeDistillLosses();
      const expected = tf.tidy(() =>
        new KLDivergence({ tau: 4 }).forward({
          predsS: student.predict(x) as tf.Tensor,
          predsT: teacher.predict(x) as tf.Tensor,
        }),
      );
      assertTensorClose(loss_kd!, expected, 1e-5);
      tf.dispose([x, loss_kd!, expected]);
      distiller.dispose();
    });
    student.dispose();
    teacher.dispose();
  });
});
