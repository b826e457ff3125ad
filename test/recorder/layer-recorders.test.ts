import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import {
  FunctionOutputsDelivery,
  LayerInputsRecorder,
  LayerOutputsRecorder,
  ParameterRecorder,
  RecorderManager,
  isPatched,
  type RecorderConfig,
} from '../../src/index.js';
import { distillError } from '../helpers/errors.js';
import { assertTensorClose, expectNoLeaks } from '../helpers/tensors.js';

function mlp(name: string): tf.Sequential {
  return tf.sequential({
    name,
    layers: [
      tf.layers.dense({
        name: 'fc1',
        units: 4,
        inputShape: [3],
        activation: 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
      }),
      tf.layers.dense({
        name: 'logits',
        units: 2,
        kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
      }),
    ],
  });
}

describe('LayerOutputsRecorder', () => {
  it('records only the layer instance of its own model, not the same class in another model', async () => {
    const teacher = mlp('teacher_a');
    const student = mlp('student_a');
    await expectNoLeaks(() => {
      const rec = new LayerOutputsRecorder({ source: 'fc1' }).initialize(student);
      const x = tf.ones([2, 3]);
      rec.run(() => {
        tf.dispose(teacher.predict(x));
        tf.dispose(student.predict(x));
      });
      assert.equal(rec.dataBuffer.length, 1);
      const expected = tf.tidy(() => student.layers[0]!.apply(x) as tf.Tensor);
      assertTensorClose(rec.getRecordData<tf.Tensor>(), expected);
      assert.equal(Object.prototype.hasOwnProperty.call(student.layers[0], 'call'), false);
      assert.equal(isPatched(student.layers[0]!, 'call'), false);
      tf.dispose([x, expected]);
      rec.reset();
    });
    teacher.dispose();
    student.dispose();
  });

  it('records through predict of a nested model, surviving its tidy scopes', async () => {
    const inner = mlp('inner_b');
    const input = tf.input({ shape: [3] });
    const outer = tf.model({
      name: 'outer_b',
      inputs: input,
      outputs: tf.layers
        .dense({ name: 'head', units: 1 })
        .apply(inner.apply(input)) as tf.SymbolicTensor,
    });
    await expectNoLeaks(() => {
      const rec = new LayerOutputsRecorder({ source: 'fc1' }).initialize(outer);
      const x = tf.ones([1, 3]);
      rec.run(() => {
        tf.dispose(outer.predict(x));
        // (Eager apply of a nested model leaks one tensor inside tfjs itself, so the leak check
        // uses predict here; apply is covered on a flat model below.)
        tf.dispose(outer.predict(x, { batchSize: 1 }));
      });
      assert.equal(rec.dataBuffer.length, 2);
      for (const t of rec.dataBuffer as tf.Tensor[]) {
        assert.equal(t.isDisposed, false);
        assert.deepEqual(t.shape, [1, 4]);
      }
      x.dispose();
      rec.reset();
      assert.equal(rec.dataBuffer.length, 0);
    });
    outer.dispose();
  });

  it('records through execute of a functional model', async () => {
    const input = tf.input({ shape: [3] });
    const hidden = tf.layers.dense({ name: 'fc1', units: 4 }).apply(input) as tf.SymbolicTensor;
    const out = tf.layers.dense({ name: 'out', units: 2 }).apply(hidden) as tf.SymbolicTensor;
    const model = tf.model({ name: 'functional_k', inputs: input, outputs: out });
    await expectNoLeaks(() => {
      const rec = new LayerOutputsRecorder({ source: 'fc1' }).initialize(model);
      const x = tf.ones([2, 3]);
      rec.run(() => tf.dispose(model.execute(x, out.name) as tf.Tensor));
      assert.deepEqual(rec.getRecordData<tf.Tensor>().shape, [2, 4]);
      x.dispose();
      rec.reset();
    });
    model.dispose();
  });

  it('skips symbolic calls made while building a model', () => {
    const layer = tf.layers.dense({ name: 'sym_fc', units: 2 });
    const holder = tf.sequential({
      name: 'holder_c',
      layers: [tf.layers.dense({ units: 3, inputShape: [3] }), layer],
    });
    const rec = new LayerOutputsRecorder({ source: 'sym_fc' }).initialize(holder);
    rec.run(() => {
      layer.apply(tf.input({ shape: [3] }));
    });
    assert.equal(rec.dataBuffer.length, 0);
    holder.dispose();
  });

  it('lists the model’s layers for an unknown name, and needs initialize before enter', () => {
    const model = mlp('model_d');
    assert.throws(
      () => new LayerOutputsRecorder({ source: 'fc9' }).initialize(model),
      distillError('MEMBER_NOT_FOUND', /"fc9"/, /fc1, logits/),
    );
    assert.throws(
      () => new LayerOutputsRecorder({ source: 'fc1' }).enter(),
      distillError('NOT_INITIALIZED', /initialize\(model\)/),
    );
    assert.throws(
      () => new LayerOutputsRecorder({ source: 'fc1' }).getRecordData(),
      distillError('NOT_INITIALIZED', /initialize\(model\)/),
    );
    assert.throws(
      () => new ParameterRecorder({ source: 'fc1/kernel' }).getRecordData(),
      distillError('NOT_INITIALIZED', /initialize\(model\)/),
    );
    assert.throws(() => new LayerOutputsRecorder({ source: 'fc1' }).initialize({}), TypeError);
    assert.throws(() => new LayerOutputsRecorder({ source: '' }), TypeError);
    model.dispose();
  });

  it('gives a loss built from a recorded student tensor the same gradients as one built directly', async () => {
    const student = mlp('student_e');
    const x = tf.tensor2d([
      [1, -2, 3],
      [0.5, 0.1, -1],
    ]);
    await expectNoLeaks(() => {
      const rec = new LayerOutputsRecorder({ source: 'fc1' }).initialize(student);
      const viaRecorder = tf.variableGrads(() =>
        rec.run(() => {
          tf.dispose(student.apply(x) as tf.Tensor);
          return rec.getRecordData<tf.Tensor>().square().sum<tf.Scalar>();
        }),
      );
      const direct = tf.variableGrads(() =>
        (student.layers[0]!.apply(x) as tf.Tensor).square().sum<tf.Scalar>(),
      );
      assert.ok(Object.keys(direct.grads).length >= 2);
      for (const [name, grad] of Object.entries(direct.grads)) {
        assert.ok(viaRecorder.grads[name], `no gradient for ${name}`);
        assertTensorClose(viaRecorder.grads[name], grad);
      }
      assert.ok(Math.abs(viaRecorder.value.arraySync() - direct.value.arraySync()) < 1e-5);
      tf.dispose([
        viaRecorder.value,
        direct.value,
        ...Object.values(viaRecorder.grads),
        ...Object.values(direct.grads),
      ]);
      rec.reset();
    });
    x.dispose();
    student.dispose();
  });

  it('100 recorded steps inside optimizer.minimize leak nothing', async () => {
    const student = mlp('student_f');
    const optimizer = tf.train.sgd(0.01);
    const x = tf.ones([4, 3]);
    const rec = new LayerOutputsRecorder({ source: 'logits' }).initialize(student);
    // The optimizer creates no slots for SGD, so the count must return exactly.
    await expectNoLeaks(() => {
      for (let i = 0; i < 100; i++) {
        optimizer.minimize(() =>
          rec.run(() => {
            tf.dispose(student.apply(x) as tf.Tensor);
            return rec.getRecordData<tf.Tensor>().square().mean<tf.Scalar>();
          }),
        );
      }
      rec.reset();
    });
    x.dispose();
    optimizer.dispose();
    student.dispose();
  });
});

describe('LayerInputsRecorder', () => {
  it('records what the layer receives', async () => {
    const model = mlp('model_g');
    await expectNoLeaks(() => {
      const rec = new LayerInputsRecorder({ source: 'logits' }).initialize(model);
      const x = tf.ones([1, 3]);
      rec.run(() => tf.dispose(model.predict(x) as tf.Tensor));
      const fc1 = tf.tidy(() => model.layers[0]!.apply(x) as tf.Tensor);
      assertTensorClose(rec.getRecordData<tf.Tensor>(), fc1);
      tf.dispose([x, fc1]);
      rec.reset();
    });
    model.dispose();
  });
});

describe('ParameterRecorder', () => {
  it('finds a weight by layer and original name even after tfjs renamed the variable', () => {
    const first = mlp('first_h');
    const second = mlp('second_h');
    const kernel = second.layers[0]!.weights[0]!;
    assert.notEqual(kernel.name, 'fc1/kernel'); // e.g. fc1/kernel_1
    const rec = new ParameterRecorder({ source: 'fc1/kernel' }).initialize(second);
    const v = rec.getRecordData<tf.Variable>();
    assert.equal(v, kernel.read());
    rec.run(() => undefined);
    rec.reset();
    assert.equal(v.isDisposed, false);
    assert.equal(rec.getRecordData(), v);
    first.dispose();
    second.dispose();
  });

  it('lists the weights for an unknown one and rejects a bad source', () => {
    const model = mlp('model_i');
    assert.throws(
      () => new ParameterRecorder({ source: 'fc1/gamma' }).initialize(model),
      distillError('MEMBER_NOT_FOUND', /"gamma"/, /kernel, bias/),
    );
    assert.throws(() => new ParameterRecorder({ source: 'kernel' }), TypeError);
    model.dispose();
  });
});

describe('RecorderManager with layers', () => {
  it('accepts MMRazor’s ModuleOutputs alias and initializes every recorder with the model', async () => {
    const model = mlp('model_j');
    await expectNoLeaks(() => {
      const manager = new RecorderManager({
        feat: { type: 'ModuleOutputs', source: 'fc1' },
        logits: { type: 'LayerOutputs', source: 'logits' },
        inp: { type: 'ModuleInputs', source: 'fc1' },
        w: { type: 'Parameter', source: 'logits/kernel' },
      }).initialize(model);
      const x = tf.ones([2, 3]);
      manager.run(() => tf.dispose(model.predict(x) as tf.Tensor));
      assert.deepEqual(manager.getRecorder('feat').getRecordData<tf.Tensor>().shape, [2, 4]);
      assert.deepEqual(manager.getRecorder('logits').getRecordData<tf.Tensor>().shape, [2, 2]);
      assert.deepEqual(manager.getRecorder('w').getRecordData<tf.Tensor>().shape, [4, 2]);
      x.dispose();
      manager.reset();
    });
    model.dispose();
  });

  it('names the key path of a recorder whose layer or weight the model does not have', () => {
    const model = mlp('model_k');
    const manager = (feat: RecorderConfig): RecorderManager =>
      new RecorderManager(
        { ok: { type: 'LayerOutputs', source: 'fc1' }, feat },
        { path: 'teacherRecorders' },
      );
    assert.throws(
      () => manager({ type: 'LayerOutputs', source: 'fc9' }).initialize(model),
      distillError('MEMBER_NOT_FOUND', /"fc9"/, /\(at teacherRecorders\.feat\.source\)$/),
    );
    assert.throws(
      () => manager({ type: 'Parameter', source: 'fc1/gamma' }).initialize(model),
      distillError('MEMBER_NOT_FOUND', /"gamma"/, /\(at teacherRecorders\.feat\.source\)$/),
    );
    model.dispose();
  });

  it('records a delivered tensor-valued function in both orders of entry', async () => {
    const owner = { noise: (): tf.Tensor => tf.randomNormal([2]) };
    await expectNoLeaks(() => {
      const delivery = new FunctionOutputsDelivery({ funcPath: { owner, name: 'noise' } });
      const manager = new RecorderManager({
        noise: { type: 'FunctionOutputs', source: { owner, name: 'noise' } },
      });
      const teacher = tf.tidy(() => delivery.run(() => manager.run(() => owner.noise())));
      const recordedTeacher = manager.getRecorder('noise').getRecordData<tf.Tensor>().arraySync();
      assert.deepEqual(teacher.arraySync(), recordedTeacher);
      delivery.overrideData = true;
      const student = tf.tidy(() => manager.run(() => delivery.run(() => owner.noise())));
      assert.deepEqual(
        manager.getRecorder('noise').getRecordData<tf.Tensor>().arraySync(),
        recordedTeacher,
      );
      assert.deepEqual(student.arraySync(), recordedTeacher);
      tf.dispose([teacher, student]);
      manager.reset();
    });
  });
});
