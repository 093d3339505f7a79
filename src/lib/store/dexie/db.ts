/**
 * The browser's IndexedDB schema (dexie 4): every table, every version and its upgrade. Only the
 * stores in this folder open it; the rest of the app uses their intent-level functions.
 *
 * Readwrite transactions use `strict` durability (Chrome defaults to `relaxed`, which may lose a
 * committed transaction on power loss): a committed chain record must survive.
 */
import { Dexie, type EntityTable, type Table } from 'dexie';
import type { TokenRecord } from '../../engine/chain/record.js';
import type { RunMeta } from '../../runtime/ports.js';
import type { ElementAggregate } from '../../monitor/aggregate.js';
import { rebuildVersions, type ChainTables } from './aggregateTables.js';
import type { SegmentRow, VersionAggregate } from './rowSchemas.js';

export const DB_NAME = 'tessera';
export const LATEST_VERSION = 4;

/** A BPMN document kept by its SHA-256: runs are pinned to the exact XML they started from. */
export interface XmlRow {
  sha256: string;
  xml: string;
}

export interface SnapshotRow {
  runId: string;
  seq: number;
  state: unknown;
}

/** One saved version of a diagram; its XML lives in `xml` by hash. */
export interface DiagramVersion {
  version: number;
  xmlSha256: string;
  savedAt: number;
}

export interface DiagramRow {
  id: string;
  name: string;
  /** The latest version's XML hash. */
  xmlSha256: string;
  updatedAt: number;
  versions: DiagramVersion[];
}

export type { SegmentRow, VersionAggregate } from './rowSchemas.js';

export type TesseraDb = Dexie & {
  runs: EntityTable<RunMeta, 'runId'>;
  /** Primary key [runId+seq]: unique, and the order a chain is read in. */
  segments: Table<SegmentRow, [string, number]>;
  xml: EntityTable<XmlRow, 'sha256'>;
  snapshots: EntityTable<SnapshotRow, 'runId'>;
  diagrams: EntityTable<DiagramRow, 'id'>;
  /**
   * Analytics: per diagram version and element, mergeable duration/wait histograms of every
   * finished run, kept up to date in the transaction that finishes or deletes a run (aggregateTables).
   */
  elementAgg: Table<ElementAggregate, [string, string]>;
  /** Analytics (version 4): finished runs folded per diagram version. */
  versionAgg: Table<VersionAggregate, string>;
};

/** IndexedDB factories, for tests on fake-indexeddb (the browser's own by default). */
export interface IdbDeps {
  indexedDB: IDBFactory;
  IDBKeyRange: typeof IDBKeyRange;
}

/** Opens (creating or upgrading) the database; `deps` replaces the browser's IndexedDB in tests. */
export function openTesseraDb(name = DB_NAME, deps?: IdbDeps, upTo = LATEST_VERSION): TesseraDb {
  const db = new Dexie(name, { chromeTransactionDurability: 'strict', ...(deps ?? {}) }) as TesseraDb;
  // Version 1: runs, chains, XML by hash, snapshots, diagrams with their versions.
  db.version(1).stores({
    runs: 'runId, processId, status, startedAt, xmlSha256',
    records: '[runId+seq]',
    xml: 'sha256',
    snapshots: 'runId',
    diagrams: 'id, updatedAt, xmlSha256'
  });
  if (upTo < 2) return db;
  // Version 2: a chain is stored as segments (one row per committed transaction), see SegmentRow.
  // Each version-1 record becomes a segment of one; the records table goes.
  db.version(2)
    .stores({ records: null, segments: '[runId+seq]' })
    .upgrade(async (tx) => {
      const old = (await tx.table('records').toArray()) as TokenRecord[];
      await tx.table('segments').bulkAdd(old.map((record) => ({ runId: record.runId, seq: record.seq, records: [record] })));
    });
  if (upTo < 3) return db;
  // Version 3: analytics aggregates, filled incrementally from finished runs (AnalyticsStore.catchUp);
  // nothing to migrate: existing finished runs are folded on the first catch-up.
  db.version(3).stores({
    runAgg: 'runId, xmlSha256, startedAt, endedAt',
    elementAgg: '[xmlSha256+node], xmlSha256'
  });
  if (upTo < 4) return db;
  // Version 4: aggregates are updated as runs finish (no per-run rows: a commit writes a few
  // aggregate rows, not one more row per run) and subtracted on deletion; version 3's rows may
  // still count deleted runs, so every version's rows are recomputed from the (zod-checked) chains.
  db.version(4)
    .stores({ runAgg: null, versionAgg: 'xmlSha256' })
    .upgrade(async (tx) => {
      const tables = {
        runs: tx.table('runs'),
        segments: tx.table('segments'),
        elementAgg: tx.table('elementAgg'),
        versionAgg: tx.table('versionAgg')
      } as ChainTables;
      await rebuildVersions(tables);
    });
  // Later versions go here, never editing earlier ones.
  return db;
}
