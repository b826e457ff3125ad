import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { processWideScopeStore, scopeStore } from '../../src/patch/scope.js';

describe('scopeStore', () => {
  it('scopeStore follows async context in Node.js', () => {
    assert.equal(scopeStore.isolated, true);
  });
});

describe('processWideScopeStore (the fallback where AsyncLocalStorage is missing)', () => {
  it('processWideScopeStore reports that it is not isolated and starts empty', () => {
    const store = processWideScopeStore();
    assert.equal(store.isolated, false);
    assert.equal(store.current().size, 0);
  });

  it('processWideScopeStore makes an entered token visible to code outside the scope', async () => {
    const store = processWideScopeStore();
    const token = {};
    const outside = (async () => {
      await sleep(1);
      return store.current().has(token);
    })();
    store.enter(token);
    assert.equal(await outside, true);
    store.leave(token);
    assert.equal(store.current().has(token), false);
  });

  it('processWideScopeStore.run keeps the token active after fn returns, until leave', () => {
    const store = processWideScopeStore();
    const token = {};
    const seen = store.run(token, () => store.current().has(token));
    assert.equal(seen, true);
    assert.equal(store.current().has(token), true);
    store.leave(token);
    assert.equal(store.current().size, 0);
  });

  it('processWideScopeStore tracks several tokens independently', () => {
    const store = processWideScopeStore();
    const a = {};
    const b = {};
    store.enter(a);
    store.enter(b);
    store.leave(a);
    assert.deepEqual([...store.current()], [b]);
    store.leave(a); // leaving twice is harmless
    store.leave(b);
    assert.equal(store.current().size, 0);
  });
});
