/**
 * Property-based fuzzing of the patch layer: random programs over deliveries, recorders and
 * managers that share targets, run in lockstep with a reference model.
 *
 * Reproduce or extend a run with `FUZZ_SEED=<seed> FUZZ_RUNS=<n> node scripts/test.mjs fuzz`;
 * add `FUZZ_PATH=<path>` (printed with a failure) to replay just the shrunk counterexample.
 */
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { Interpreter } from './interpreter.js';
import { programArb, type Program } from './program.js';
import { Tally } from './tally.js';

const DEFAULT_SEED = 20240917;
const DEFAULT_RUNS = 5000;

function envInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) {
    throw new Error(`${name} must be an integer, but got "${raw}".`);
  }
  return value;
}

const seed = envInteger('FUZZ_SEED', DEFAULT_SEED);
const numRuns = envInteger('FUZZ_RUNS', DEFAULT_RUNS);
const path = process.env.FUZZ_PATH || undefined;

describe('the patch layer under random programs', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('keeps deliveries, recorders and targets in agreement with the model', async (t) => {
    t.diagnostic(`fuzz seed ${seed}, ${numRuns} runs (override with FUZZ_SEED, FUZZ_RUNS)`);
    const tally = new Tally();
    await fc.assert(
      fc.asyncProperty(programArb(12), async (program: Program) => {
        await new Interpreter(program, tally).run();
      }),
      { seed, numRuns, path },
    );
    t.diagnostic(`exercised: ${tally.summary()}`);
  });
});
