import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProgressReporter, formatCount, formatDuration } from '../../src/cli/index.js';
import { distillError } from '../helpers/errors.js';

/** A stream that records what is written, and a clock the test moves by hand. */
function fakes(isTTY: boolean): {
  out: string[];
  clock: { t: number };
  progress: (options?: { intervalSeconds?: number; label?: string }) => ProgressReporter;
} {
  const out: string[] = [];
  const clock = { t: 1_000_000 };
  const stream = { isTTY, write: (text: string) => out.push(text) };
  return {
    out,
    clock,
    progress: (options = {}) => new ProgressReporter({ stream, now: () => clock.t, ...options }),
  };
}

describe('ProgressReporter', () => {
  it('ProgressReporter redraws one line on a TTY with the run, bar, loss, throughput and time left', () => {
    const { out, clock, progress } = fakes(true);
    const p = progress({ label: 'distilled' });
    p.startEpoch(1, 5, 469);
    clock.t += 10_000;
    p.update(120, { loss: 0.23114, examples: 12_340 });
    // Time left: 0:29 for this epoch, then 3 more epochs at this pace (0:39 each).
    assert.equal(
      out.at(-1),
      '\rdistilled epoch 2/5 [##--------] 120/469 loss 0.2311 1,234 ex/s ETA 2:26\x1b[K',
    );
    assert.ok(
      out.every((text) => !text.includes('\n')),
      'no newline within an epoch',
    );
  });

  it('ProgressReporter ends the epoch on a TTY with a full bar, the accuracy, the time taken, the time left and extra metrics, text as given', () => {
    const { out, clock, progress } = fakes(true);
    const p = progress();
    p.startEpoch(0, 2, 4);
    clock.t += 2_000;
    p.update(4, { loss: 0.5, examples: 400 });
    p.endEpoch(
      { 'test errors': 12, val_loss: 0.12345, agree: '97.1%' },
      { accuracy: { name: 'val acc', value: 0.98123 } },
    );
    assert.equal(
      out.at(-1),
      '\repoch 1/2 [##########] 4/4 loss 0.5000 val acc 98.12% 200 ex/s 0:02 ETA 0:02 test errors 12 val_loss 0.1235 agree 97.1%\x1b[K\n',
    );
  });

  it('ProgressReporter shows the last accuracy on the lines of the next epoch and estimates the time left from the epochs seen', () => {
    const { out, clock, progress } = fakes(false);
    const p = progress({ label: 'student alone', intervalSeconds: 1 });
    p.startEpoch(0, 3, 10);
    clock.t += 3_000;
    p.update(10, { loss: 0.9, examples: 100 });
    // The first epoch takes 4 s in all, evaluation included; its steps took 3 s (33 ex/s).
    clock.t += 1_000;
    p.endEpoch({}, { accuracy: { name: 'test acc', value: 0.5 } });
    assert.equal(
      out.at(-1),
      'student alone epoch 1/3 [##########] 10/10 loss 0.9000 test acc 50.00% 33 ex/s 0:04 ETA 0:08\n',
    );
    p.startEpoch(1, 3, 10);
    clock.t += 1_000;
    p.update(5, { loss: 0.4, examples: 50 });
    // Half of this epoch at 1 s, then one more epoch of 4 s, as the first one took.
    assert.equal(
      out.at(-1),
      'student alone epoch 2/3 [#####-----]  5/10 loss 0.4000 test acc 50.00% 50 ex/s ETA 0:05\n',
    );
  });

  it('ProgressReporter rejects a label that is not a string', () => {
    assert.throws(
      () => new ProgressReporter({ label: 7 as unknown as string }),
      distillError('INVALID_ARGUMENT', /label to be a string, but got 7/),
    );
  });

  it('ProgressReporter limits TTY redraws to one per 100 ms', () => {
    const { out, clock, progress } = fakes(true);
    const p = progress();
    p.startEpoch(0, 1, 100);
    const drawn = out.length;
    for (let step = 1; step <= 10; step++) {
      clock.t += 20;
      p.update(step);
    }
    assert.equal(out.length - drawn, 2);
  });

  it('ProgressReporter writes plain lines off a TTY at most every intervalSeconds and at epoch end', () => {
    const { out, clock, progress } = fakes(false);
    const p = progress({ intervalSeconds: 5 });
    p.startEpoch(0, 1, 10);
    assert.equal(out.length, 0);
    for (let step = 1; step <= 10; step++) {
      clock.t += 1_000;
      p.update(step, { loss: 1 / step });
    }
    p.endEpoch();
    assert.deepEqual(out, [
      'epoch 1/1 [#####-----]  5/10 loss 0.2000 ETA 0:05\n',
      'epoch 1/1 [##########] 10/10 loss 0.1000 ETA 0:00\n',
      'epoch 1/1 [##########] 10/10 loss 0.1000 0:10 ETA 0:00\n',
    ]);
    assert.ok(out.every((text) => !text.includes('\r') && !text.includes('\x1b')));
  });

  it('ProgressReporter.log keeps the redrawn line intact on a TTY', () => {
    const { out, clock, progress } = fakes(true);
    const p = progress();
    p.startEpoch(0, 1, 10);
    clock.t += 500;
    p.update(5);
    p.log('saved checkpoint');
    assert.equal(out.at(-2), '\r\x1b[Ksaved checkpoint\n');
    assert.match(out.at(-1)!, /^\repoch 1\/1 \[#####-----\] {2}5\/10/);
  });

  it('ProgressReporter starts a new line when a TTY epoch starts without endEpoch', () => {
    const { out, progress } = fakes(true);
    const p = progress();
    p.startEpoch(0, 2, 10);
    p.startEpoch(1, 2, 10);
    assert.equal(out[1], '\n');
  });
});

describe('formatCount and formatDuration', () => {
  it('formatCount groups thousands regardless of locale', () => {
    assert.equal(formatCount(0), '0');
    assert.equal(formatCount(999.6), '1,000');
    assert.equal(formatCount(1234567), '1,234,567');
  });

  it('formatDuration prints m:ss and h:mm:ss', () => {
    assert.equal(formatDuration(42), '0:42');
    assert.equal(formatDuration(61), '1:01');
    assert.equal(formatDuration(3725), '1:02:05');
    assert.equal(formatDuration(Number.NaN), '?:??');
  });
});
