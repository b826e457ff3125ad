/**
 * Case 1: deliver one function's output from the teacher to the student.
 *
 * Run: `npm run examples`, or `node build/examples/function-delivery.js` after building.
 */
import { DistillError, FunctionOutputsDelivery } from 'tfjs-distill';
// A CommonJS module imported from an ES module: the default import is its `exports` object.
import toyModule from './toys/toy-module.cjs';
import * as toyEsm from './toys/toy-esm.js';

// Object form: { owner, name } names the object that callers read the function from.
const toy = {
  toyFunc(): number {
    return Math.floor(Math.random() * 1_000_000);
  },
};
const delivery = new FunctionOutputsDelivery({
  maxKeepData: 1,
  funcPath: { owner: toy, name: 'toyFunc' },
});

// overrideData = false: the call runs and its output is recorded for the student.
delivery.overrideData = false;
const outputTeacher = delivery.run(() => toy.toyFunc());

// overrideData = true: the call does not run; it returns the teacher's recorded output.
delivery.overrideData = true;
const outputStudent = delivery.run(() => toy.toyFunc());

console.log(`object form: teacher output === student output: ${outputTeacher === outputStudent}`);

// String form: "<module>#<member>", resolved like `require` from resolveFrom. The toy module
// is compiled next to this file, so resolve from this file's URL.
const byPath = new FunctionOutputsDelivery({
  funcPath: './toys/toy-module.cjs#toyFunc',
  resolveFrom: import.meta.url,
});
byPath.overrideData = false;
const teacher = byPath.run(() => toyModule.toyFunc());
byPath.overrideData = true;
const student = byPath.run(() => toyModule.toyFunc());

console.log(`string form: teacher output === student output: ${teacher === student}`);
console.log(`string form: toyFunc really ran ${toyModule.toyFuncCalls()} time(s)`);

// An ES module's exports live on a sealed namespace object: they cannot be patched.
try {
  new FunctionOutputsDelivery({ funcPath: { owner: toyEsm, name: 'toyFunc' } });
  console.log('ES module namespace: patched (unexpected)');
} catch (error) {
  if (!(error instanceof DistillError)) throw error;
  console.log(`ES module namespace: cannot be patched (${error.code})`);
}
