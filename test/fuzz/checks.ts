/**
 * Assertions that compare the real deliveries, recorders and targets with the model.
 */
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { DistillError, isPatched } from '../../src/index.js';
import type { RealActor } from './actors.js';
import { isMember, type Model, type Settled } from './model.js';
import { OriginalFailure, TARGETS, siteOf, type Site, type World } from './world.js';

/**
 * Asserts that `error` is what the model expects: `ORIGINAL` (the original's failure) or a
 * `DistillError` code. Any other `expected` text (say, `no error`) fails with `error` shown.
 */
export function assertError(error: unknown, expected: string, what: string): void {
  if (expected === 'ORIGINAL') {
    if (error instanceof OriginalFailure) return;
  } else if (error instanceof DistillError && error.code === expected) {
    return;
  }
  const got = error instanceof DistillError ? `${error.code}: ${error.message}` : String(error);
  assert.fail(`${what}: expected ${expected}, got ${got}`);
}

/** Asserts how a promise received from `site` settled. */
export function assertSettled(
  world: World,
  site: Site,
  expected: Settled,
  got: { ok: true; value: unknown } | { ok: false; error: unknown },
  what: string,
): void {
  if (expected.ok) {
    if (!got.ok) assertError(got.error, `output #${expected.id}`, what);
    else world.assertOutput(site, got.value, expected.id, what);
  } else if (got.ok) {
    assert.fail(`${what}: expected a rejection with ${expected.error}, got a value`);
  } else {
    assertError(got.error, expected.error, what);
  }
}

/**
 * Every target is patched exactly while an interceptor is attached, and otherwise is the
 * original with its original own descriptor (or no own property, when inherited).
 */
export function assertTargets(world: World, model: Model, when: string): void {
  for (const t of TARGETS) {
    const { owner, key, original, descriptor } = world.targets[t];
    const attached = model.isAttached(t);
    assert.equal(isPatched(owner, key), attached, `${when}: isPatched(${t}) should be ${attached}`);
    const own = Object.getOwnPropertyDescriptor(owner, key);
    if (!attached) {
      // The same value and attributes; for the inherited method, still no own property.
      assert.deepEqual(own, descriptor, `${when}: ${t} is not restored exactly`);
      continue;
    }
    const wrapper = own?.value as typeof original | undefined;
    assert.ok(
      typeof wrapper === 'function' && wrapper !== original,
      `${when}: ${t} has no wrapper`,
    );
    assert.equal(wrapper.name, original.name, `${when}: the wrapper of ${t} has another name`);
    assert.equal(
      wrapper.length,
      original.length,
      `${when}: the wrapper of ${t} has another length`,
    );
  }
}

/** Cheap state: scopes, queue and buffer sizes, original calls, tensors held. */
export function assertState(
  world: World,
  model: Model,
  actors: readonly (RealActor | undefined)[],
  baseline: number,
  when: string,
): void {
  model.actors.forEach((m, i) => {
    const a = actors[i];
    if (a === undefined) return;
    assert.equal(a.real.isEntered, model.isEntered(m), `${when}: actor ${i} isEntered`);
    if (a.kind === 'delivery' && isMember(m) && 'queue' in m) {
      assert.equal(a.real.size, m.queue.length, `${when}: size of delivery ${i}`);
    }
    if (a.kind === 'deliveryManager' && !isMember(m)) {
      const all = m.members.length > 0 && m.members.every((d) => 'queue' in d && d.overrideData);
      assert.equal(a.real.overrideData, all, `${when}: overrideData of the delivery manager`);
    }
    if (a.kind === 'recorder' && isMember(m) && 'buffer' in m) {
      assert.equal(a.real.dataBuffer.length, m.buffer.length, `${when}: records of recorder ${i}`);
    }
  });
  assert.deepEqual(world.calls, model.calls, `${when}: calls of the originals`);
  assert.equal(world.nextId, model.nextId, `${when}: outputs made`);
  const expected = baseline + 2 * model.heldTensorOutputs();
  assert.equal(tf.memory().numTensors, expected, `${when}: tensors alive`);
  assertTargets(world, model, when);
}

/** Every recorder holds exactly the modelled records (once every async call settled). */
export function assertRecords(
  world: World,
  model: Model,
  actors: readonly (RealActor | undefined)[],
  when: string,
): void {
  model.actors.forEach((m, i) => {
    const a = actors[i];
    if (a === undefined || a.kind !== 'recorder' || !isMember(m) || !('buffer' in m)) return;
    const site = siteOf(m.spec.target);
    m.buffer.forEach((item, j) => {
      const got = a.real.getRecordData(j);
      const what = `${when}: record ${j} of recorder ${i}`;
      if (item.kind === 'input') assert.deepEqual(got, [item.x], what);
      else if (item.kind === 'rejected') assert.equal(got, undefined, what);
      else world.assertOutput(site, got, item.id, what);
    });
  });
}
