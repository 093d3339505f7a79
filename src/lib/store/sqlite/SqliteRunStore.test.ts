import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONTRACT_SHA, createRun, makeChain, runStoreContract } from '../../runtime/testing/runStoreContract.js';
import { SqliteRunStore } from './SqliteRunStore.js';

let contractDir: string | undefined;
runStoreContract('store/sqlite/SqliteRunStore', {
  async open() {
    contractDir = mkdtempSync(join(tmpdir(), 'tessera-store-'));
    return new SqliteRunStore(join(contractDir, 'runs.db'));
  },
  async openAgain() {
    return new SqliteRunStore(join(contractDir!, 'runs.db'));
  },
  async dispose() {
    if (contractDir) rmSync(contractDir, { recursive: true, force: true });
  }
});

describe('store/sqlite/SqliteRunStore', () => {
  let dir: string;
  let file: string;
  let store: SqliteRunStore;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-store-'));
    file = join(dir, 'runs.db');
    store = new SqliteRunStore(file);
    await store.putXml(CONTRACT_SHA, '<definitions/>');
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('persists across reopening and migrates once', async () => {
    const chain = makeChain('r1', 3);
    await createRun(store, 'r1', chain);
    await store.close();
    store = new SqliteRunStore(file);
    expect(await store.records('r1')).toEqual(chain);
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT version FROM schema_version').pluck().all()).toEqual([1]);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('rejects a row that is not a record when reading it back', async () => {
    await createRun(store, 'r1', makeChain('r1', 2));
    const db = new Database(file);
    db.prepare("UPDATE records SET record = '{\"seq\":1}' WHERE seq = 1").run();
    db.close();
    await expect(store.records('r1')).rejects.toThrow();
  });
});
