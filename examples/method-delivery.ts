/**
 * Align the inputs of the teacher and the student: a random augmentation (a toy mixup) runs
 * inside each model's forward pass, so without help the two models see different batches.
 * `MethodOutputsDelivery` records the teacher's batch and hands it to the student.
 */
import { MethodOutputsDelivery } from 'tfjs-distill';
import { ToyAugments, equal } from './toys/toy-augments.js';

const augments = new ToyAugments();
const imgs = [0.2, 0.9, 0.5, 0.7];
const labels = [0, 1, 2, 3];

// Without delivery: the two calls mix differently.
{
  const [imgsTeacher, labelsTeacher] = augments.call(imgs, labels);
  const [imgsStudent, labelsStudent] = augments.call(imgs, labels);
  console.log(
    `without delivery: labels equal: ${equal(labelsTeacher, labelsStudent)}, imgs equal: ${equal(imgsTeacher, imgsStudent)}`,
  );
}

// With delivery: { cls, name } intercepts ToyAugments.prototype.call, for every instance.
{
  const delivery = new MethodOutputsDelivery({
    maxKeepData: 1,
    methodPath: { cls: ToyAugments, name: 'call' },
  });
  const callsBefore = augments.calls;

  delivery.overrideData = false;
  const [imgsTeacher, labelsTeacher] = delivery.run(() => augments.call(imgs, labels));

  delivery.overrideData = true;
  const [imgsStudent, labelsStudent] = delivery.run(() => augments.call(imgs, labels));

  console.log(
    `with MethodOutputsDelivery: labels equal: ${equal(labelsTeacher, labelsStudent)}, imgs equal: ${equal(imgsTeacher, imgsStudent)}`,
  );
  console.log(
    `ToyAugments.call really ran ${augments.calls - callsBefore} time(s) for both models`,
  );
}
