/**
 * Partial override: replay only chosen keys of an output and keep the rest of the student's own
 * output. Here the student takes the teacher's label assignment (as in label assignment
 * distillation) and keeps its own loss weight.
 */
import { MethodOutputsDelivery } from 'tfjs-distill';

/** The result of assigning anchors to objects. */
interface Assignment {
  positives: number[];
  lossWeight: number;
}

/** A toy detection head whose assignment of positive anchors is random. */
class ToyHead {
  constructor(readonly lossWeight: number) {}

  assign(anchors: number): Assignment {
    const positives: number[] = [];
    for (let i = 0; i < anchors; i++) if (Math.random() < 0.5) positives.push(i);
    return { positives, lossWeight: this.lossWeight };
  }
}

const teacherHead = new ToyHead(1);
const studentHead = new ToyHead(0.5);

const delivery = new MethodOutputsDelivery({
  methodPath: { cls: ToyHead, name: 'assign' },
  overrideKeys: ['positives'],
});

delivery.overrideData = false;
const teacher = delivery.run(() => teacherHead.assign(8));
delivery.overrideData = true;
const student = delivery.run(() => studentHead.assign(8));

console.log(`teacher positives: [${teacher.positives.join(', ')}]`);
console.log(`student positives: [${student.positives.join(', ')}]`);
console.log(
  `positives delivered: ${teacher.positives.join() === student.positives.join()}, student keeps its own lossWeight: ${student.lossWeight}`,
);
