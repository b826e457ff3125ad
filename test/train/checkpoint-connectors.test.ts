import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { DenseConnector, type Connector } from '../../src/connectors/index.js';
import { mlp } from '../../src/models/index.js';
import {
  loadCheckpoint,
  readCheckpointInfo,
  saveCheckpoint,
  type CheckpointInfo,
} from '../../src/train/index.js';
import { distillError } from '../helpers/errors.js';
import { assertTensorClose, expectNoLeaks } from '../helpers/tensors.js';

before(async () => {
  await tf.setBackend('cpu');
});

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-distill-ckpt-conn-'));
  tempDirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A student whose hidden features (6 wide) go through a connector to 5 features. */
function tinyModel(): tf.Sequential {
  return mlp({ inputSize: 4, hidden: [6], numClasses: 3, seed: 5 });
}

function hint(
  seed: number,
  options: { inFeatures?: number; outFeatures?: number } = {},
): DenseConnector {
  return new DenseConnector({ inFeatures: 6, outFeatures: 5, seed, ...options });
}

function connectors(entries: Record<string, Connector>): Map<string, Connector> {
  return new Map(Object.entries(entries));
}

function dispose(...items: ({ dispose(): void } | undefined)[]): void {
  for (const item of items) item?.dispose();
}

function valuesOf(connector: Connector): number[][] {
  return connector.trainableWeights.map((w) => Array.from(w.dataSync()));
}

function variablesOf(model: tf.LayersModel, connector: Connector): tf.Variable[] {
  return [
    ...model.trainableWeights.map((w) => w.read() as tf.Variable),
    ...connector.trainableWeights,
  ];
}

/** One Adam step on the task loss plus a hint loss through `connector` on a fixed batch. */
function trainStep(model: tf.LayersModel, connector: Connector, optimizer: tf.Optimizer): void {
  const vars = variablesOf(model, connector);
  tf.tidy(() => {
    const x = tf.tensor2d([
      [0.1, 0.2, 0.3, 0.4],
      [0.9, 0.1, 0.5, 0.2],
    ]);
    const y = tf.oneHot(tf.tensor1d([0, 2], 'int32'), 3);
    const target = tf.ones([2, 5]);
    const features = tf.model({ inputs: model.inputs, outputs: model.getLayer('fc1').output });
    optimizer.minimize(
      () =>
        tf.add<tf.Scalar>(
          tf.losses.softmaxCrossEntropy<tf.Tensor, tf.Scalar>(y, model.apply(x) as tf.Tensor),
          tf.losses.meanSquaredError(target, connector.forward(features.apply(x) as tf.Tensor)),
        ),
      false,
      vars,
    );
  });
}

function editInfo(dir: string, edit: (info: Record<string, unknown>) => void): void {
  const file = path.join(dir, 'checkpoint.json');
  const info = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(info);
  fs.writeFileSync(file, JSON.stringify(info));
}

/** A checkpoint of the tiny model with the connector `hint` (seed 1), in a new directory. */
async function savedWithHint(): Promise<{ dir: string; info: CheckpointInfo; saved: number[][] }> {
  const dir = tempDir();
  const model = tinyModel();
  const connector = hint(1);
  try {
    const info = await saveCheckpoint(
      model,
      dir,
      { epoch: 1, step: 3 },
      { connectors: connectors({ hint: connector }) },
    );
    return { dir, info, saved: valuesOf(connector) };
  } finally {
    dispose(model, connector);
  }
}

describe('checkpoints with connector weights', () => {
  it('save connectors.bin, listed with its digest, and restore the weights without leaking tensors', async () => {
    await expectNoLeaks(async () => {
      const { dir, info, saved } = await savedWithHint();
      assert.equal(info.formatVersion, 2);
      assert.deepEqual(fs.readdirSync(dir).sort(), [
        'checkpoint.json',
        'connectors.bin',
        'model.json',
        'weights.bin',
      ]);
      assert.equal(info.files['connectors.bin']?.bytes, (6 * 5 + 5) * 4);
      assert.deepEqual(info.connectorState, {
        path: 'connectors.bin',
        connectors: [
          {
            name: 'hint',
            weights: [
              { name: 'hint/0', shape: [6, 5], dtype: 'float32' },
              { name: 'hint/1', shape: [5], dtype: 'float32' },
            ],
          },
        ],
      });
      assert.deepEqual(await readCheckpointInfo(dir), info);
      const fresh = hint(2);
      try {
        assert.notDeepEqual(valuesOf(fresh), saved);
        const loaded = await loadCheckpoint(dir, { connectors: connectors({ hint: fresh }) });
        loaded.model.dispose();
        assert.equal(loaded.connectorsRestored, true);
        assert.deepEqual(valuesOf(fresh), saved);
      } finally {
        fresh.dispose();
      }
    });
  });

  it('restore the connectors before the optimizer, so a resumed step equals an uninterrupted one', async () => {
    await expectNoLeaks(async () => {
      const dir = tempDir();
      const model = tinyModel();
      const connector = hint(1);
      const optimizer = tf.train.adam(0.01);
      const freshConnector = hint(2);
      const freshOptimizer = tf.train.adam(0.01);
      let resumed: tf.LayersModel | undefined;
      try {
        trainStep(model, connector, optimizer);
        trainStep(model, connector, optimizer);
        await saveCheckpoint(
          model,
          dir,
          { epoch: 0, step: 2 },
          { optimizer, connectors: connectors({ hint: connector }) },
        );
        trainStep(model, connector, optimizer);

        const loaded = await loadCheckpoint(dir, {
          optimizer: freshOptimizer,
          connectors: connectors({ hint: freshConnector }),
        });
        resumed = loaded.model;
        assert.equal(loaded.optimizerRestored, true);
        const variables = variablesOf(resumed, freshConnector);
        trainStep(resumed, freshConnector, freshOptimizer);
        variablesOf(model, connector).forEach((expected, i) =>
          assertTensorClose(variables[i]!, expected, 1e-6),
        );
      } finally {
        dispose(model, connector, optimizer, resumed, freshConnector, freshOptimizer);
      }
    });
  });

  it('report a connector whose shapes changed, naming it, and leak nothing', async () => {
    const { dir } = await savedWithHint();
    await expectNoLeaks(async () => {
      const wider = hint(1, { outFeatures: 7 });
      try {
        await assert.rejects(
          loadCheckpoint(dir, { connectors: connectors({ hint: wider }) }),
          distillError(
            'SHAPE_MISMATCH',
            /^Connector "hint" has weights \[6, 7\] float32, \[7\] float32, but .*connectors\.bin holds \[6, 5\] float32, \[5\] float32 for it\. The connectors changed since the checkpoint was saved/,
          ),
        );
      } finally {
        wider.dispose();
      }
    });
  });

  it('report connectors missing on either side by name', async () => {
    const { dir } = await savedWithHint();
    const renamed = hint(1);
    const extra = hint(2);
    try {
      await assert.rejects(
        loadCheckpoint(dir, { connectors: connectors({ proj: renamed }) }),
        distillError(
          'INVALID_ARGUMENT',
          /holds the weights of connector "hint", but there is no connector of that name \(the connectors are: "proj"\)/,
        ),
      );
      await assert.rejects(
        loadCheckpoint(dir, { connectors: connectors({ hint: renamed, extra }) }),
        distillError('INVALID_ARGUMENT', /^Connector "extra" has no weights in .*connectors\.bin/),
      );
      await assert.rejects(
        loadCheckpoint(dir, { connectors: connectors({}) }),
        distillError('INVALID_ARGUMENT', /the connectors are: none/),
      );
    } finally {
      dispose(renamed, extra);
    }
    const lazy = new DenseConnector({ outFeatures: 5 });
    try {
      await assert.rejects(
        loadCheckpoint(dir, { connectors: connectors({ hint: lazy }) }),
        distillError('NOT_BUILT', /connector "hint": it has no weights yet/),
      );
    } finally {
      lazy.dispose();
    }
  });

  it('detect a modified connectors.bin and a manifest that does not fit it', async () => {
    const { dir } = await savedWithHint();
    const connector = hint(3);
    const before = valuesOf(connector);
    try {
      const file = path.join(dir, 'connectors.bin');
      const bytes = fs.readFileSync(file);
      bytes[0] = bytes[0]! ^ 0xff;
      fs.writeFileSync(file, bytes);
      await assert.rejects(
        loadCheckpoint(dir, { connectors: connectors({ hint: connector }) }),
        distillError('DATA_CORRUPT', /connectors\.bin does not match .*: its SHA-256 differs/),
      );
      bytes[0] = bytes[0] ^ 0xff;
      fs.writeFileSync(file, bytes);
      editInfo(dir, (info) => {
        const state = info.connectorState as CheckpointInfo['connectorState'];
        state!.connectors[0]!.weights[0]!.shape = [6, 4];
      });
      await assert.rejects(
        loadCheckpoint(dir, { connectors: connectors({ hint: connector }) }),
        distillError('DATA_CORRUPT', /expected 116 bytes for 2 connector weights, got 140/),
      );
      editInfo(dir, (info) => {
        (info.connectorState as { path: string }).path = '../connectors.bin';
      });
      await assert.rejects(
        loadCheckpoint(dir, { connectors: connectors({ hint: connector }) }),
        distillError('DATA_CORRUPT', /connectorState must be/),
      );
      assert.deepEqual(valuesOf(connector), before);
    } finally {
      connector.dispose();
    }
  });

  it('refuse to save a connector that has no weights yet', async () => {
    const model = tinyModel();
    const lazy = new DenseConnector({ outFeatures: 5 });
    try {
      await assert.rejects(
        saveCheckpoint(
          model,
          tempDir(),
          { epoch: 0, step: 0 },
          { connectors: connectors({ lazy }) },
        ),
        distillError('NOT_BUILT', /Cannot save connector "lazy": it has no weights yet/),
      );
    } finally {
      dispose(model, lazy);
    }
  });

  it('replace an older checkpoint, dropping its connectors.bin', async () => {
    const { dir } = await savedWithHint();
    const model = tinyModel();
    try {
      await saveCheckpoint(model, dir, { epoch: 2, step: 6 });
      assert.ok(!fs.existsSync(path.join(dir, 'connectors.bin')));
    } finally {
      model.dispose();
    }
  });
});

describe('checkpoints of other format versions', () => {
  async function saveWithout(): Promise<string> {
    const dir = tempDir();
    const model = tinyModel();
    try {
      await saveCheckpoint(model, dir, { epoch: 1, step: 3 });
    } finally {
      model.dispose();
    }
    return dir;
  }

  it('load a version 1 checkpoint, which predates connector weights, leaving connectors as they are', async () => {
    const dir = await saveWithout();
    editInfo(dir, (info) => (info.formatVersion = 1));
    const connector = hint(4);
    const before = valuesOf(connector);
    try {
      const loaded = await loadCheckpoint(dir, { connectors: connectors({ hint: connector }) });
      loaded.model.dispose();
      assert.equal(loaded.info.formatVersion, 1);
      assert.equal(loaded.connectorsRestored, false);
      assert.deepEqual(valuesOf(connector), before);
    } finally {
      connector.dispose();
    }
  });

  it('refuse connectors for a version 2 checkpoint saved without them', async () => {
    const dir = await saveWithout();
    const connector = hint(4);
    try {
      await assert.rejects(
        loadCheckpoint(dir, { connectors: connectors({ hint: connector }) }),
        distillError(
          'INVALID_ARGUMENT',
          /holds no connector weights \(it was saved without connectors\), but connectors were given to restore: "hint"\./,
        ),
      );
      const loaded = await loadCheckpoint(dir, { connectors: connectors({}) });
      loaded.model.dispose();
      assert.equal(loaded.connectorsRestored, false);
    } finally {
      connector.dispose();
    }
  });

  it('refuse a checkpoint of a newer format version', async () => {
    const dir = await saveWithout();
    editInfo(dir, (info) => (info.formatVersion = 3));
    await assert.rejects(
      loadCheckpoint(dir),
      distillError('DATA_CORRUPT', /formatVersion 3 is not supported \(this version reads 1 to 2/),
    );
  });
});

describe('optimizer state checked against the variables', () => {
  it('refuses a state that does not line up with the variables being trained', async () => {
    const dir = tempDir();
    const model = tinyModel();
    const connector = hint(1);
    const optimizer = tf.train.adam(0.01);
    const fresh = tf.train.adam(0.01);
    try {
      trainStep(model, connector, optimizer);
      await saveCheckpoint(model, dir, { epoch: 0, step: 1 }, { optimizer });
      // Adam's 12 moments of 6 variables split into 3 groups for the model's 4 variables, but
      // the second group starts with the connector's kernel.
      await assert.rejects(
        loadCheckpoint(dir, {
          optimizer: fresh,
          variables: model.trainableWeights.map((w) => w.read() as tf.Variable),
        }),
        distillError(
          'SHAPE_MISMATCH',
          /optimizer\.bin does not fit the variables being trained: its tensor for variable 0 of 4 has shape \[6, 5\], but that variable has shape \[4, 6\]\. Adam matches its state to variables by position/,
        ),
      );
      const loaded = await loadCheckpoint(dir, {
        optimizer: fresh,
        variables: variablesOf(model, connector),
      });
      loaded.model.dispose();
      assert.equal(loaded.optimizerRestored, true);
    } finally {
      dispose(model, connector, optimizer, fresh);
    }
  });
});
