/**
 * The method case again, through a `DistillDeliveryManager` built from configs: one flag and
 * one scope for every delivery it manages.
 */
import { DistillDeliveryManager, type MethodTarget } from 'tfjs-distill';
import { ToyAugments, equal } from './toys/toy-augments.js';

const augments = new ToyAugments();
const imgs = [0.2, 0.9, 0.5, 0.7];
const labels = [0, 1, 2, 3];

// Object form of methodPath; the annotation checks that 'call' is a method of ToyAugments.
const augmentsCall: MethodTarget<typeof ToyAugments> = { cls: ToyAugments, name: 'call' };

const manager = new DistillDeliveryManager([
  { type: 'MethodOutputs', maxKeepData: 1, methodPath: augmentsCall },
]);
// An array of configs names its deliveries by index: "0", "1", ...
console.log(`managed deliveries: ${JSON.stringify([...manager.deliveries.keys()])}`);

manager.overrideData = false;
const [imgsTeacher, labelsTeacher] = manager.run(() => augments.call(imgs, labels));

manager.overrideData = true;
const [imgsStudent, labelsStudent] = manager.run(() => augments.call(imgs, labels));

console.log(`labels equal: ${equal(labelsTeacher, labelsStudent)}`);
console.log(`imgs equal: ${equal(imgsTeacher, imgsStudent)}`);
