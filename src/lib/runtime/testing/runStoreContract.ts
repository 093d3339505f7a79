/**
 * The RunStore port's contract as a vitest suite: every store implementation (SQLite, dexie)
 * runs it against itself, so the two behave alike.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TokenRecord, UnsealedRecord } from '../../engine/chain/record.js';
import { sealRecord } from '../../engine/chain/sealRecord.js';
import { verifyChain } from '../../engine/chain/verifyChain.js';
import { StoreConflictError, type RunStore } from '../ports.js';

export const CONTRACT_SHA = 'ab'.repeat(32);

export interface StoreFactory {
  /** A fresh, empty store. */
  open(): Promise<RunStore>;
  /** A second store over the same data as the last `open` (another process, tab or connection). */
  openAgain(): Promise<RunStore>;
  /** Frees whatever `open` created. */
  dispose?(): Promise<void>;
}

export function runStoreContract(title: string, factory: StoreFactory): void {
  describe(`${title}: RunStore contract`, () => {
    let store: RunStore;

    beforeEach(async () => {
      store = await factory.open();
      await store.putXml(CONTRACT_SHA, '<definitions/>');
    });
    afterEach(async () => {
      await store.close();
      await factory.dispose?.();
    });

    it('creates a run with its first records and reads them back', async () => {
      // given a run started with two records
      const chain = makeChain('r1', 2);
      // when it is created
      const meta = await createRun(store, 'r1', chain);
      // then meta anchors the chain and the records come back equal and verifying
      expect(meta).toMatchObject({ runId: 'r1', count: 2, head: chain[1]!.hash, status: 'running' });
      expect(await store.records('r1')).toEqual(chain);
      expect(verifyChain(await store.records('r1'), meta).ok).toBe(true);
      expect(await store.getXml(CONTRACT_SHA)).toBe('<definitions/>');
      expect(await store.getXml('00')).toBeUndefined();
    });

    it('stores XML idempotently', async () => {
      await store.putXml(CONTRACT_SHA, '<definitions/>');
      expect(await store.getXml(CONTRACT_SHA)).toBe('<definitions/>');
    });

    it('appends commits and reads from a seq', async () => {
      const chain = makeChain('r1', 5);
      await createRun(store, 'r1', chain.slice(0, 2));
      const meta = await store.commit('r1', chain.slice(2), { status: 'completed', updatedAt: 2000 });
      expect(meta).toMatchObject({ count: 5, head: chain[4]!.hash, status: 'completed', updatedAt: 2000 });
      expect(await store.records('r1', 3)).toEqual(chain.slice(3));
      expect(await store.getRun('r1')).toEqual(meta);
    });

    it('keeps the chains of runs apart', async () => {
      const a = makeChain('a', 3);
      const b = makeChain('b', 2);
      await Promise.all([createRun(store, 'a', a), createRun(store, 'b', b)]);
      expect(await store.records('a')).toEqual(a);
      expect(await store.records('b')).toEqual(b);
      expect(await store.records('nobody')).toEqual([]);
    });

    it('fails the whole commit when one record duplicates a seq', async () => {
      // given a run with 3 records
      const chain = makeChain('r1', 5);
      await createRun(store, 'r1', chain.slice(0, 3));
      // when a commit holds a valid record followed by a duplicate of seq 1
      const commit = store.commit('r1', [chain[3]!, chain[1]!], { status: 'completed', updatedAt: 3 });
      // then it is refused and nothing of it is visible
      await expect(commit).rejects.toBeInstanceOf(StoreConflictError);
      expect(await store.records('r1')).toHaveLength(3);
      expect((await store.getRun('r1'))?.status).toBe('running');
    });

    it('refuses a commit that does not continue the stored chain (a second executor)', async () => {
      // given two stores over the same data, both appending after seq 1
      const chain = makeChain('r1', 3);
      await createRun(store, 'r1', chain.slice(0, 2));
      const other = await factory.openAgain();
      const forked = sealRecord(body('r1', 'fork'), 2, chain[1]!.hash);
      await other.commit('r1', [forked], { status: 'running', updatedAt: 5 });
      // when the first commits its own seq 2, then it conflicts
      await expect(store.commit('r1', [chain[2]!], { status: 'running', updatedAt: 6 })).rejects.toThrow(/does not continue/);
      expect(await store.records('r1')).toEqual([...chain.slice(0, 2), forked]);
      await other.close();
    });

    it('refuses a commit to a run it does not have', async () => {
      await expect(store.commit('ghost', makeChain('ghost', 1), { status: 'running', updatedAt: 1 })).rejects.toBeInstanceOf(
        StoreConflictError
      );
    });

    it('refuses to create a run twice', async () => {
      await createRun(store, 'r1', makeChain('r1', 1));
      await expect(createRun(store, 'r1', makeChain('r1', 1))).rejects.toThrow(/already exists/);
    });

    it('lists runs by status and process', async () => {
      await createRun(store, 'a', makeChain('a', 1));
      await createRun(store, 'b', makeChain('b', 1), 'Other', 2000);
      await store.commit('b', [], { status: 'completed', updatedAt: 9 });
      expect((await store.listRuns()).map((r) => r.runId)).toEqual(['a', 'b']);
      expect((await store.listRuns({ status: 'running' })).map((r) => r.runId)).toEqual(['a']);
      expect((await store.listRuns({ status: ['running', 'completed'], processId: 'Other' })).map((r) => r.runId)).toEqual(['b']);
    });

    it('keeps snapshots beside the records', async () => {
      await createRun(store, 'r1', makeChain('r1', 1));
      expect(await store.loadSnapshot?.('r1')).toBeUndefined();
      await store.saveSnapshot?.('r1', { seq: 0, state: { a: [1, 2] } });
      expect(await store.loadSnapshot?.('r1')).toEqual({ seq: 0, state: { a: [1, 2] } });
    });

    it('sees what another connection committed', async () => {
      const chain = makeChain('r1', 4);
      await createRun(store, 'r1', chain.slice(0, 2));
      const other = await factory.openAgain();
      await other.commit('r1', chain.slice(2), { status: 'completed', updatedAt: 7 });
      expect(await store.records('r1')).toEqual(chain);
      expect(await store.getRun('r1')).toMatchObject({ count: 4, status: 'completed' });
      await other.close();
    });
  });
}

export function createRun(store: RunStore, runId: string, records: TokenRecord[], processId = 'Process', startedAt = 1000) {
  return store.createRun(
    { runId, processId, xmlSha256: CONTRACT_SHA, status: 'running', startedAt, updatedAt: startedAt },
    records
  );
}

function body(runId: string, node: string): UnsealedRecord {
  return { v: 1, runId, id: `${runId}-${node}`, kind: 'token', token: 't1', previousToken: null, node, instance: `i-${node}`,
    status: 'completed', owner: 'engine', at: 1000, data: { x: 1 } };
}

/** A valid chain of `length` records: the run record, then token records. */
export function makeChain(runId: string, length: number): TokenRecord[] {
  const chain: TokenRecord[] = [];
  for (let seq = 0; seq < length; seq++) {
    const unsealed: UnsealedRecord = seq === 0
      ? { ...body(runId, 'Process'), kind: 'run', token: '', status: 'started', data: { processId: 'Process', xmlSha256: CONTRACT_SHA, variables: {} } }
      : body(runId, `N${seq}`);
    chain.push(sealRecord(unsealed, seq, chain.at(-1)?.hash ?? ''));
  }
  return chain;
}
