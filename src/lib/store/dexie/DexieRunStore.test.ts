import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { StoreConflictError } from '../../runtime/ports.js';
import { CONTRACT_SHA, createRun, makeChain, runStoreContract } from '../../runtime/testing/runStoreContract.js';
import { openTesseraDb } from './db.js';
import { DexieRunStore } from './DexieRunStore.js';

const deps = { indexedDB, IDBKeyRange };
let counter = 0;
let name = '';

runStoreContract('store/dexie/DexieRunStore', {
  async open() {
    name = `contract-${++counter}`;
    return new DexieRunStore({ name, deps });
  },
  async openAgain() {
    return new DexieRunStore({ name, deps });
  }
});

describe('store/dexie/DexieRunStore', () => {
  const open = () => new DexieRunStore({ name: `dexie-${++counter}`, deps });

  it('group-commits writes of many runs and still refuses the one that conflicts', async () => {
    // given runs created together in one tick
    const store = open();
    const chains = Array.from({ length: 20 }, (_, i) => makeChain(`r${i}`, 3));
    await Promise.all(chains.map((chain, i) => createRun(store, `r${i}`, chain)));
    // when commits of all of them, one of which duplicates a seq, are issued together
    const more = Array.from({ length: 20 }, (_, i) => makeChain(`r${i}`, 5).slice(3));
    const writes = more.map((records, i) =>
      store.commit(`r${i}`, i === 7 ? [chains[7]![1]!] : records, { status: 'completed', updatedAt: 9 })
    );
    const outcomes = await Promise.allSettled(writes);
    // then only that one is refused; the others are all there
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(1);
    expect((outcomes[7] as PromiseRejectedResult).reason).toBeInstanceOf(StoreConflictError);
    expect(await store.records('r3')).toHaveLength(5);
    expect(await store.records('r7')).toHaveLength(3);
    await store.close();
  });

  it('a failed transaction rejects its writes and leaves nothing behind; the next one succeeds', async () => {
    // given a run and an injected quota failure
    const store = open();
    const chain = makeChain('r1', 4);
    await createRun(store, 'r1', chain.slice(0, 2));
    store.failNextWrite(() => new DOMException('quota', 'QuotaExceededError'));
    // when a commit meets it
    const failed = store.commit('r1', chain.slice(2), { status: 'completed', updatedAt: 5 });
    await expect(failed).rejects.toMatchObject({ name: 'QuotaExceededError' });
    // then nothing of it is visible, and the same commit goes through afterwards
    expect(await store.records('r1')).toHaveLength(2);
    expect(await store.getRun('r1')).toMatchObject({ count: 2, status: 'running' });
    await store.commit('r1', chain.slice(2), { status: 'completed', updatedAt: 6 });
    expect(await store.records('r1')).toEqual(chain);
    await store.close();
  });
});

describe('store/dexie/db upgrades', () => {
  it('version 2 turns each version-1 record into a segment, and the chain reads back the same', async () => {
    // given a version-1 database holding a run's records one per row
    const name = `upgrade-${++counter}`;
    const chain = makeChain('r1', 3);
    const v1 = openTesseraDb(name, deps, 1);
    await v1.table('runs').add({ runId: 'r1', processId: 'Process', xmlSha256: CONTRACT_SHA, status: 'running', count: 3,
      head: chain[2]!.hash, startedAt: 1, updatedAt: 1 });
    await v1.table('records').bulkAdd(chain);
    v1.close();
    // when the store opens it at the latest version
    const store = new DexieRunStore({ name, deps });
    // then the records are all there, in order, and the run continues
    expect(await store.records('r1')).toEqual(chain);
    expect(await store.records('r1', 2)).toEqual(chain.slice(2));
    const more = makeChain('r1', 5).slice(3);
    await store.commit('r1', more, { status: 'completed', updatedAt: 2 });
    expect(await store.records('r1', 1)).toEqual(makeChain('r1', 5).slice(1));
    await store.close();
  });
});
