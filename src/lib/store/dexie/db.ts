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
import type { ElementAggregate, RunAggregate } from '../../monitor/aggregate.js';

export const DB_NAME = 'tessera';
export const LATEST_VERSION = 3;

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

/**
 * The records one transaction appended to a run, in seq order, keyed by the first one's seq.
 * IndexedDB's cost is mostly per row (measured in Chromium: ~3.5k rows/s whether a row holds one
 * record or nothing, ~15k records/s when a row holds a step's 14), so a chain is stored as
 * segments. Keys are unique, and every write checks in its transaction that its records continue
 * the run's chain exactly (seq = count, prevHash = head), so no seq is ever stored twice.
 */
export interface SegmentRow {
  runId: string;
  seq: number;
  records: TokenRecord[];
}

export type TesseraDb = Dexie & {
  runs: EntityTable<RunMeta, 'runId'>;
  /** Primary key [runId+seq]: unique, and the order a chain is read in. */
  segments: Table<SegmentRow, [string, number]>;
  xml: EntityTable<XmlRow, 'sha256'>;
  snapshots: EntityTable<SnapshotRow, 'runId'>;
  diagrams: EntityTable<DiagramRow, 'id'>;
  /** Analytics (version 3): one row per finished run folded into `elementAgg` (AnalyticsStore). */
  runAgg: EntityTable<RunAggregate, 'runId'>;
  /** Analytics (version 3): per diagram version and element, mergeable duration/wait histograms. */
  elementAgg: Table<ElementAggregate, [string, string]>;
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
  // Later versions go here, never editing earlier ones.
  return db;
}
