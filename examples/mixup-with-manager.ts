/**
 * Mixup with a `DistillDeliveryManager`: the same alignment as mixup-with-delivery, built from
 * a config, with one flag and one scope for every delivery the manager holds.
 *
 * Run: `npm run examples`, or `node build/examples/mixup-with-manager.js` after building.
 */
import * as tf from '@tensorflow/tfjs';
import { Augments, DistillDeliveryManager } from 'tfjs-distill';
import { tensorsEqual } from './toys/tensor-equal.js';

const before = tf.memory().numTensors;

const augments = new Augments({ type: 'BatchMixup', alpha: 1, numClasses: 10, prob: 1 });

// String paths in the configs are resolved from resolveFrom: here, this file.
const manager = new DistillDeliveryManager(
  [{ type: 'MethodOutputs', maxKeepData: 1, methodPath: 'tfjs-distill#Augments.call' }],
  { resolveFrom: import.meta.url },
);

const imgs = tf.randomNormal([2, 32, 32, 3]); // [N, H, W, C]
const labels = tf.tensor1d([3, 7], 'int32'); // class indices

manager.overrideData = false;
const [imgsTeacher, labelsTeacher] = manager.run(() => augments.call(imgs, labels));

manager.overrideData = true;
const [imgsStudent, labelsStudent] = manager.run(() => augments.call(imgs, labels));

console.log(`labels equal: ${tensorsEqual(labelsTeacher, labelsStudent)}`);
console.log(`imgs equal: ${tensorsEqual(imgsTeacher, imgsStudent)}`);

tf.dispose([imgs, labels, imgsTeacher, labelsTeacher, imgsStudent, labelsStudent]);
console.log(`tensors leaked: ${tf.memory().numTensors - before}`);
