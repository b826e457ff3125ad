/**
 * Case 2: deliver several outputs of one function, first in first out.
 *
 * When the teacher calls a function more than once, the student's calls get the teacher's
 * outputs in the same order. `maxKeepData` bounds how many outputs wait in the queue.
 */
import { DistillError, FunctionOutputsDelivery } from 'tfjs-distill';
import toyModule from './toys/toy-module.cjs';

const delivery = new FunctionOutputsDelivery({
  maxKeepData: 2,
  funcPath: './toys/toy-module.cjs#toyFunc',
  resolveFrom: import.meta.url,
});

delivery.overrideData = false;
const [output1Teacher, output2Teacher] = delivery.run(() => [
  toyModule.toyFunc(),
  toyModule.toyFunc(),
]);
console.log(`teacher outputs: ${output1Teacher}, ${output2Teacher} (${delivery.queueState})`);

delivery.overrideData = true;
const [output1Student, output2Student] = delivery.run(() => [
  toyModule.toyFunc(),
  toyModule.toyFunc(),
]);
console.log(`student outputs: ${output1Student}, ${output2Student} (${delivery.queueState})`);

console.log(
  `delivered first in first out: ${output1Teacher === output1Student && output2Teacher === output2Student}`,
);

// The queue is empty again: one more replay has nothing to deliver.
try {
  delivery.run(() => toyModule.toyFunc());
} catch (error) {
  if (!(error instanceof DistillError)) throw error;
  console.log(`a third replay throws ${error.code}`);
}
