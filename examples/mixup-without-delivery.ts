/**
 * Mixup without delivery: the teacher and the student each apply a random batch augmentation
 * to the same batch, and each gets a different mix.
 *
 * Run: `npm run examples`, or `node build/examples/mixup-without-delivery.js` after building.
 */
import * as tf from '@tensorflow/tfjs';
import { Augments } from 'tfjs-distill';
import { tensorsEqual } from './toys/tensor-equal.js';

const before = tf.memory().numTensors;

// Seeded so that this example prints the same on every run: with two images, the permutation
// is the identity half of the time, and then the labels come out equal by chance. In training,
// leave the seed out or vary it. The stream advances with every call, so the two calls below
// still mix differently.
const augments = new Augments(
  { type: 'BatchMixup', alpha: 1, numClasses: 10, prob: 1 },
  { seed: 7 },
);

const imgs = tf.randomNormal([2, 32, 32, 3]); // [N, H, W, C]
const labels = tf.tensor1d([3, 7], 'int32'); // class indices

const [imgsTeacher, labelsTeacher] = augments.call(imgs, labels);
const teacherMix = augments.lastAugment?.lastParams;
const [imgsStudent, labelsStudent] = augments.call(imgs, labels);
const studentMix = augments.lastAugment?.lastParams;

console.log(
  `teacher mix: lambda ${teacherMix?.lambda.toFixed(3)}, perm [${teacherMix?.perm.join(', ')}]`,
);
console.log(
  `student mix: lambda ${studentMix?.lambda.toFixed(3)}, perm [${studentMix?.perm.join(', ')}]`,
);
console.log(`labels equal: ${tensorsEqual(labelsTeacher, labelsStudent)}`);
console.log(`imgs equal: ${tensorsEqual(imgsTeacher, imgsStudent)}`);

tf.dispose([imgs, labels, imgsTeacher, labelsTeacher, imgsStudent, labelsStudent]);
console.log(`tensors leaked: ${tf.memory().numTensors - before}`);
