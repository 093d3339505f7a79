import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TokenRecord, UnsealedRecord } from '../../engine/chain/record.js';
import { sealRecord } from '../../engine/chain/sealRecord.js';
import { verifyChain } from '../../engine/chain/verifyChain.js';
import { StoreConflictError } from '../../runtime/ports.js';
import { SqliteRunStore } from './SqliteRunStore.js';

const SHA = 'ab'.repeat(32);

describe('store/sqlite/SqliteRunStore', () => {
  let dir: string;
  let file: string;
  let store: SqliteRunStore;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-store-'));
    file = join(dir, 'runs.db');
    store = new SqliteRunStore(file);
    await store.putXml(SHA, '<definitions/>');
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates a run with its first records and reads them back', async () => {
    // given a run started with two records
    const chain = makeChain('r1', 2);
    // when it is created
    const meta = await create(store, 'r1', chain);
    // then meta anchors the chain and the records come back equal and verifying
    expect(meta).toMatchObject({ runId: 'r1', count: 2, head: chain[1]!.hash, status: 'running' });
    expect(await store.records('r1')).toEqual(chain);
    expect(verifyChain(await store.records('r1'), meta).ok).toBe(true);
    expect(await store.getXml(SHA)).toBe('<definitions/>');
    expect(await store.getXml('00')).toBeUndefined();
  });

  it('appends commits and reads from a seq', async () => {
    const chain = makeChain('r1', 5);
    await create(store, 'r1', chain.slice(0, 2));
    const meta = await store.commit('r1', chain.slice(2), { status: 'completed', updatedAt: 2000 });
    expect(meta).toMatchObject({ count: 5, head: chain[4]!.hash, status: 'completed', updatedAt: 2000 });
    expect(await store.records('r1', 3)).toEqual(chain.slice(3));
    expect(await store.getRun('r1')).toEqual(meta);
  });

  it('fails the whole commit when one record duplicates a seq', async () => {
    // given a run with 3 records
    const chain = makeChain('r1', 5);
    await create(store, 'r1', chain.slice(0, 3));
    // when a commit holds a valid record followed by a duplicate of seq 1
    const commit = store.commit('r1', [chain[3]!, chain[1]!], { status: 'completed', updatedAt: 3 });
    // then it is refused and nothing of it is visible
    await expect(commit).rejects.toBeInstanceOf(StoreConflictError);
    expect(await store.records('r1')).toHaveLength(3);
    expect((await store.getRun('r1'))?.status).toBe('running');
  });

  it('refuses a commit that does not continue the stored chain (a second executor)', async () => {
    // given two stores on the same file, both appending after seq 1
    const chain = makeChain('r1', 3);
    await create(store, 'r1', chain.slice(0, 2));
    const other = new SqliteRunStore(file);
    const forked = sealRecord(body('r1', 'fork'), 2, chain[1]!.hash);
    await other.commit('r1', [forked], { status: 'running', updatedAt: 5 });
    // when the first commits its own seq 2, then it conflicts
    await expect(store.commit('r1', [chain[2]!], { status: 'running', updatedAt: 6 })).rejects.toThrow(/does not continue/);
    expect(await store.records('r1')).toEqual([...chain.slice(0, 2), forked]);
    await other.close();
  });

  it('refuses to create a run twice', async () => {
    await create(store, 'r1', makeChain('r1', 1));
    await expect(create(store, 'r1', makeChain('r1', 1))).rejects.toThrow(/already exists/);
  });

  it('lists runs by status and process', async () => {
    await create(store, 'a', makeChain('a', 1));
    await create(store, 'b', makeChain('b', 1), 'Other');
    await store.commit('b', [], { status: 'completed', updatedAt: 9 });
    expect((await store.listRuns()).map((r) => r.runId)).toEqual(['a', 'b']);
    expect((await store.listRuns({ status: 'running' })).map((r) => r.runId)).toEqual(['a']);
    expect((await store.listRuns({ status: ['running', 'completed'], processId: 'Other' })).map((r) => r.runId)).toEqual(['b']);
  });

  it('keeps snapshots beside the records', async () => {
    await create(store, 'r1', makeChain('r1', 1));
    expect(await store.loadSnapshot('r1')).toBeUndefined();
    await store.saveSnapshot('r1', { seq: 0, state: { a: [1, 2] } });
    expect(await store.loadSnapshot('r1')).toEqual({ seq: 0, state: { a: [1, 2] } });
  });

  it('persists across reopening and migrates once', async () => {
    const chain = makeChain('r1', 3);
    await create(store, 'r1', chain);
    await store.close();
    store = new SqliteRunStore(file);
    expect(await store.records('r1')).toEqual(chain);
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT version FROM schema_version').pluck().all()).toEqual([1]);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('rejects a row that is not a record when reading it back', async () => {
    await create(store, 'r1', makeChain('r1', 2));
    const db = new Database(file);
    db.prepare("UPDATE records SET record = '{\"seq\":1}' WHERE seq = 1").run();
    db.close();
    await expect(store.records('r1')).rejects.toThrow();
  });
});

function create(store: SqliteRunStore, runId: string, records: TokenRecord[], processId = 'Process') {
  return store.createRun(
    { runId, processId, xmlSha256: SHA, status: 'running', startedAt: 1000, updatedAt: 1000 },
    records
  );
}

function body(runId: string, node: string): UnsealedRecord {
  return { v: 1, runId, id: `${runId}-${node}`, kind: 'token', token: 't1', previousToken: null, node, instance: `i-${node}`,
    status: 'completed', owner: 'engine', at: 1000, data: { x: 1 } };
}

function makeChain(runId: string, length: number): TokenRecord[] {
  const chain: TokenRecord[] = [];
  for (let seq = 0; seq < length; seq++) {
    const unsealed: UnsealedRecord = seq === 0
      ? { ...body(runId, 'Process'), kind: 'run', token: '', status: 'started', data: { processId: 'Process', xmlSha256: SHA, variables: {} } }
      : body(runId, `N${seq}`);
    chain.push(sealRecord(unsealed, seq, chain.at(-1)?.hash ?? ''));
  }
  return chain;
}
