/**
 * Cost of the Delivery mechanism per call: a bare call, a recorded call and a replayed call,
 * at several queue bounds, and the cost of entering and leaving a scope. Every figure is a
 * median of repeated runs in this process; overheads are differences to the bare call measured
 * in the same run.
 */
import { FunctionOutputsDelivery } from 'tfjs-distill';
import { figureRows, measure, report, type Figure } from './harness.js';

const owner = {
  seed: 1,
  next(): number {
    // A cheap function with a result that depends on state, so nothing is constant-folded.
    owner.seed = (owner.seed * 1103515245 + 12345) & 0x7fffffff;
    return owner.seed;
  },
};

const CALLS = 2_000_000;
const figures: Figure[] = [];

const bare = measure((n) => {
  let s = 0;
  for (let i = 0; i < n; i++) s += owner.next();
  return s;
}, CALLS);
figures.push({ name: 'bare call', nsPerOp: bare });

{
  const outside = new FunctionOutputsDelivery({ funcPath: { owner, name: 'next' } });
  // Entered in a scope that the measuring code is not part of: the wrapper only forwards.
  let release!: () => void;
  const held = outside.run(() => new Promise<void>((r) => (release = r)));
  const t = measure((n) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += owner.next();
    return s;
  }, CALLS);
  figures.push({
    name: 'patched, called outside the scope',
    nsPerOp: t,
    note: `+${(t - bare).toFixed(1)} ns`,
  });
  release();
  await held;
}

for (const maxKeepData of [1, 1_000, 1_000_000]) {
  const delivery = new FunctionOutputsDelivery({ funcPath: { owner, name: 'next' }, maxKeepData });
  const scope = delivery.enter();
  if (maxKeepData === 1) {
    // With one slot, record and replay must alternate: time the pair and halve it.
    const pair = measure((n) => {
      let s = 0;
      for (let i = 0; i < n; i++) {
        delivery.overrideData = false;
        s += owner.next();
        delivery.overrideData = true;
        s += owner.next();
      }
      return s;
    }, CALLS / 2);
    figures.push({
      name: `record+replay, mean per call, maxKeepData=1`,
      nsPerOp: pair / 2,
      note: `+${(pair / 2 - bare).toFixed(1)} ns`,
    });
  } else {
    const rounds = Math.max(1, Math.floor(CALLS / maxKeepData));
    let recordNs = 0;
    let replayNs = 0;
    const samplesRecord: number[] = [];
    const samplesReplay: number[] = [];
    for (let rep = 0; rep < 7; rep++) {
      recordNs = 0;
      replayNs = 0;
      let s = 0;
      for (let r = 0; r < rounds; r++) {
        delivery.overrideData = false;
        let t0 = process.hrtime.bigint();
        for (let i = 0; i < maxKeepData; i++) s += owner.next();
        recordNs += Number(process.hrtime.bigint() - t0);
        delivery.overrideData = true;
        t0 = process.hrtime.bigint();
        for (let i = 0; i < maxKeepData; i++) s -= owner.next();
        replayNs += Number(process.hrtime.bigint() - t0);
      }
      if (s !== 0) throw new Error('replay did not return the recorded values');
      samplesRecord.push(recordNs / (rounds * maxKeepData));
      samplesReplay.push(replayNs / (rounds * maxKeepData));
    }
    const median = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const rec = median(samplesRecord);
    const rep = median(samplesReplay);
    figures.push({
      name: `recorded call, maxKeepData=${maxKeepData}`,
      nsPerOp: rec,
      note: `+${(rec - bare).toFixed(1)} ns`,
    });
    figures.push({
      name: `replayed call, maxKeepData=${maxKeepData}`,
      nsPerOp: rep,
      note: `+${(rep - bare).toFixed(1)} ns`,
    });
  }
  scope.exit();
}

{
  const delivery = new FunctionOutputsDelivery({ funcPath: { owner, name: 'next' } });
  const t = measure((n) => {
    for (let i = 0; i < n; i++) delivery.enter().exit();
    return n;
  }, 200_000);
  figures.push({ name: 'enter() + exit()', nsPerOp: t });
  const r = measure((n) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += delivery.run(() => i);
    return s;
  }, 200_000);
  figures.push({ name: 'run(() => value)', nsPerOp: r });
}

await report(figureRows('Delivery core: cost per call (median of 7 runs)', figures));
