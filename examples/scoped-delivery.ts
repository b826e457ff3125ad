/**
 * Scopes: `using` declarations, async functions and async isolation.
 */
import { FunctionOutputsDelivery, scopeStore } from 'tfjs-distill';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const toy = {
  toyFunc(): number {
    return Math.floor(Math.random() * 1_000_000);
  },
  async fetchScore(): Promise<number> {
    await sleep(5);
    return Math.random();
  },
};

// 1. enter() returns a Disposable scope: `using` exits it at the end of the block.
const delivery = new FunctionOutputsDelivery({ funcPath: { owner: toy, name: 'toyFunc' } });
let teacher: number;
{
  using scope = delivery.enter();
  teacher = toy.toyFunc();
  console.log(`using: inside the block, entered: ${delivery.isEntered}`);
}
delivery.overrideData = true;
let student: number;
{
  using scope = delivery.enter();
  student = toy.toyFunc();
}
console.log(`using: teacher output === student output: ${teacher === student}`);
console.log(`using: after the block, entered: ${delivery.isEntered}`);

// 2. An async function: the resolved value is queued; the replayed call returns a promise.
const scores = new FunctionOutputsDelivery({ funcPath: { owner: toy, name: 'fetchScore' } });
const teacherScore = await scores.run(() => toy.fetchScore());
scores.overrideData = true;
const studentScore = await scores.run(() => toy.fetchScore());
console.log(`async run: teacher score === student score: ${teacherScore === studentScore}`);

// 3. Async isolation: a scope covers the calls made inside it, also after an await, and no
//    concurrent call made outside it.
console.log(`scopes follow async context (AsyncLocalStorage): ${scopeStore.isolated}`);
const isolated = new FunctionOutputsDelivery({ funcPath: { owner: toy, name: 'toyFunc' } });
const teacherStep = isolated.run(async () => {
  await sleep(5);
  return toy.toyFunc(); // inside the scope, after an await: recorded
});
toy.toyFunc(); // outside the scope while it is open: the original, not recorded
console.log(`call outside the open scope: not recorded (${isolated.queueState})`);
await teacherStep;
console.log(`call inside the scope after an await: recorded (${isolated.queueState})`);
