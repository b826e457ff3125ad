/**
 * Mixup with delivery: a `MethodOutputsDelivery` on `Augments.prototype.call` records the
 * teacher's mixed batch and hands exactly that batch to the student.
 *
 * Run: `npm run examples`, or `node build/examples/mixup-with-delivery.js` after building.
 */
import * as tf from '@tensorflow/tfjs';
import { Augments, MethodOutputsDelivery } from 'tfjs-distill';
import { tensorsEqual } from './toys/tensor-equal.js';

const before = tf.memory().numTensors;

const augments = new Augments({ type: 'BatchMixup', alpha: 1, numClasses: 10, prob: 1 });
const imgs = tf.randomNormal([2, 32, 32, 3]); // [N, H, W, C]
const labels = tf.tensor1d([3, 7], 'int32'); // class indices

// String form, as a config file would write it. The module part is resolved like `require`
// from resolveFrom; from this file, 'tfjs-distill' is the package itself.
const delivery = new MethodOutputsDelivery({
  maxKeepData: 1,
  methodPath: 'tfjs-distill#Augments.call',
  resolveFrom: import.meta.url,
});

// Teacher: record. The step may run inside tf.tidy; the delivery keeps its own handle on the
// mixed batch, which the tidy does not dispose.
delivery.overrideData = false;
const [imgsTeacher, labelsTeacher] = tf.tidy(() => delivery.run(() => augments.call(imgs, labels)));
console.log(`after the teacher: ${delivery.queueState}`);

// Student: replay. Augments.call does not run; the student gets the teacher's batch.
delivery.overrideData = true;
const [imgsStudent, labelsStudent] = delivery.run(() => augments.call(imgs, labels));
console.log(`after the student: ${delivery.queueState}`);

console.log(`labels equal: ${tensorsEqual(labelsTeacher, labelsStudent)}`);
console.log(`imgs equal: ${tensorsEqual(imgsTeacher, imgsStudent)}`);

// Object form: names the class itself. It needs no module resolution, so it also works in
// browsers and bundles.
const byClass = new MethodOutputsDelivery({
  maxKeepData: 1,
  methodPath: { cls: Augments, name: 'call' },
});
byClass.overrideData = false;
const [imgsT, labelsT] = byClass.run(() => augments.call(imgs, labels));
byClass.overrideData = true;
const [imgsS, labelsS] = byClass.run(() => augments.call(imgs, labels));
console.log(
  `object form: labels equal: ${tensorsEqual(labelsT, labelsS)}, imgs equal: ${tensorsEqual(imgsT, imgsS)}`,
);

// Each replayed batch belongs to its caller, like a freshly computed one: dispose it as usual.
tf.dispose([imgs, labels, imgsTeacher, labelsTeacher, imgsStudent, labelsStudent]);
tf.dispose([imgsT, labelsT, imgsS, labelsS]);
console.log(`tensors leaked: ${tf.memory().numTensors - before}`);
