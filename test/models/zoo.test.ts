import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { DistillError } from '../../src/errors.js';
import {
  countParams,
  hintonStudent,
  hintonTeacher,
  mlp,
  smallCnn,
  smallMlp,
  type SmallCnnOptions,
} from '../../src/models/index.js';
import { expectNoLeaks } from '../helpers/tensors.js';

before(async () => {
  await tf.setBackend('cpu');
});

/** Runs `fn` on a model and disposes the model afterwards. */
async function withModel<M extends tf.LayersModel>(
  make: () => M,
  fn: (model: M) => void,
): Promise<void> {
  await expectNoLeaks(() => {
    const model = make();
    try {
      fn(model);
    } finally {
      model.dispose();
    }
  });
}

function layerNames(model: tf.LayersModel): string[] {
  return model.layers.map((l) => l.name);
}

function predictShape(model: tf.LayersModel, batch: number): number[] {
  return tf.tidy(() => (model.predict(tf.zeros([batch, 784])) as tf.Tensor).shape);
}

describe('mlp', () => {
  it('names layers fc1..fcN and logits and outputs logits of shape [N, classes]', async () => {
    await withModel(
      () => mlp({ hidden: [32, 16], numClasses: 5, seed: 1 }),
      (model) => {
        assert.deepEqual(layerNames(model), ['fc1', 'fc2', 'logits']);
        assert.deepEqual(predictShape(model, 3), [3, 5]);
        // 784*32+32 + 32*16+16 + 16*5+5
        assert.equal(countParams(model), 25120 + 528 + 85);
        const logits = model.getLayer('logits').getConfig();
        assert.equal(logits.activation, 'linear');
      },
    );
  });

  it('adds dropout layers and a name prefix', async () => {
    await withModel(
      () => mlp({ hidden: [8], dropout: 0.5, inputDropout: 0.2, namePrefix: 'teacher_' }),
      (model) => {
        assert.deepEqual(layerNames(model), [
          'teacher_dropout_input',
          'teacher_fc1',
          'teacher_dropout1',
          'teacher_logits',
        ]);
        assert.equal(model.name, 'teacher_mlp');
      },
    );
  });

  it('gives equal initial weights for equal seeds and different ones otherwise', async () => {
    await expectNoLeaks(() => {
      const a = mlp({ hidden: [4], inputSize: 3, seed: 11 });
      const b = mlp({ hidden: [4], inputSize: 3, seed: 11 });
      const c = mlp({ hidden: [4], inputSize: 3, seed: 12 });
      try {
        const kernels = [a, b, c].map((m) => m.getLayer('fc1').getWeights()[0]!.arraySync());
        assert.deepEqual(kernels[0], kernels[1]);
        assert.notDeepEqual(kernels[0], kernels[2]);
      } finally {
        [a, b, c].forEach((m) => m.dispose());
      }
    });
  });

  it('rejects invalid sizes and rates, naming the option', () => {
    assert.throws(
      () => mlp({ hidden: [10, 0] }),
      (e: unknown) =>
        e instanceof DistillError && /hidden\[1\].*positive integer.*0/.test(e.message),
    );
    assert.throws(
      () => mlp({ hidden: [10], dropout: 1 }),
      (e: unknown) => e instanceof DistillError && /dropout.*\[0, 1\)/.test(e.message),
    );
    assert.throws(
      () => mlp({} as unknown as Parameters<typeof mlp>[0]),
      (e: unknown) => e instanceof DistillError && e.code === 'INVALID_ARGUMENT',
    );
  });
});

describe('MLP presets', () => {
  it('hintonTeacher is 784-1200-1200-10 with dropout', async () => {
    await withModel(hintonTeacher, (model) => {
      // (784*1200+1200) + (1200*1200+1200) + (1200*10+10)
      assert.equal(countParams(model), 942000 + 1441200 + 12010);
      assert.ok(layerNames(model).includes('dropout2'));
      assert.equal(model.name, 'hinton_teacher');
    });
  });

  it('hintonStudent is 784-800-800-10 without dropout', async () => {
    await withModel(hintonStudent, (model) => {
      // (784*800+800) + (800*800+800) + (800*10+10)
      assert.equal(countParams(model), 628000 + 640800 + 8010);
      assert.deepEqual(layerNames(model), ['fc1', 'fc2', 'logits']);
    });
  });

  it('smallMlp is 784-64-10', async () => {
    await withModel(smallMlp, (model) => {
      assert.equal(countParams(model), 784 * 64 + 64 + 64 * 10 + 10);
      assert.deepEqual(predictShape(model, 2), [2, 10]);
    });
  });
});

describe('smallCnn', () => {
  it('reshapes [N, 784] input and names conv1, conv2, fc1 and logits', async () => {
    await withModel(
      () => smallCnn({ seed: 3 }),
      (model) => {
        assert.deepEqual(layerNames(model), [
          'reshape',
          'conv1',
          'pool1',
          'conv2',
          'pool2',
          'flatten',
          'fc1',
          'logits',
        ]);
        assert.deepEqual(model.getLayer('conv2').outputShape, [null, 11, 11, 32]);
        assert.deepEqual(predictShape(model, 2), [2, 10]);
        // conv1 3*3*1*16+16, conv2 3*3*16*32+32, fc1 (5*5*32)*128+128, logits 128*10+10
        assert.equal(countParams(model), 160 + 4640 + 102528 + 1290);
      },
    );
  });

  it('honours filters, hidden, dropout and prefix', async () => {
    await withModel(
      () => smallCnn({ filters: [4, 8], hidden: 16, dropout: 0.25, namePrefix: 's_' }),
      (model) => {
        assert.ok(layerNames(model).includes('s_dropout'));
        // 3*3*1*4+4, 3*3*4*8+8, (5*5*8)*16+16, 16*10+10
        assert.equal(countParams(model), 40 + 296 + 3216 + 170);
        assert.equal(countParams(model, 'trainable'), countParams(model));
        assert.equal(countParams(model, 'nonTrainable'), 0);
      },
    );
  });

  it('rejects filters that are not a pair of counts, such as a string', () => {
    for (const filters of ['16,32', 16, [16]] as unknown[]) {
      assert.throws(
        () => smallCnn({ filters } as SmallCnnOptions),
        (e: unknown) =>
          e instanceof DistillError &&
          e.code === 'INVALID_ARGUMENT' &&
          /Expected filters to be the filters of conv1 and conv2, such as \[16, 32\]/.test(
            e.message,
          ),
      );
    }
  });

  it('rejects non-square inputs and kernels too large for the image', () => {
    assert.throws(
      () => smallCnn({ inputSize: 100 + 1 }),
      (e: unknown) => e instanceof DistillError && /not a perfect square/.test(e.message),
    );
    assert.throws(
      () => smallCnn({ inputSize: 64, kernelSize: 5 }),
      (e: unknown) => e instanceof DistillError && /kernelSize 5 is too large/.test(e.message),
    );
  });
});
