/**
 * The Node RunStore on SQLite (better-sqlite3 12): WAL with synchronous=FULL so a committed step
 * survives power loss, one IMMEDIATE transaction per write, rows validated with zod on the way out.
 */
import Database from 'better-sqlite3';
import { z } from 'zod';
import type { TokenRecord } from '../../engine/chain/record.js';
import {
  RunStatus,
  StoreConflictError,
  type RunFilter,
  type RunMeta,
  type RunStore,
  type RunUpdate,
  type Snapshot
} from '../../runtime/ports.js';
import { parseRecord } from '../recordSchema.js';
import { migrations } from './migrations.js';

const runRow = z.object({
  run_id: z.string(),
  process_id: z.string(),
  xml_sha256: z.string(),
  status: z.enum(Object.values(RunStatus) as [RunStatus, ...RunStatus[]]),
  count: z.number().int().nonnegative(),
  head: z.string(),
  started_at: z.number(),
  updated_at: z.number(),
  file: z.string().nullable()
});
type RunRow = z.infer<typeof runRow>;

const snapshotRow = z.object({ seq: z.number().int(), state: z.string() });

export class SqliteRunStore implements RunStore {
  readonly #db: Database.Database;
  readonly #stmt;

  /** Opens (creating and migrating if needed) the store at `file`; ':memory:' for a throwaway one. */
  constructor(file: string) {
    this.#db = new Database(file);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = FULL');
    this.#db.pragma('foreign_keys = ON');
    // Several CLI processes may share one store: wait for a writer rather than fail at once.
    this.#db.pragma('busy_timeout = 5000');
    migrate(this.#db);
    const db = this.#db;
    this.#stmt = {
      putXml: db.prepare('INSERT OR IGNORE INTO xml (sha256, xml) VALUES (?, ?)'),
      getXml: db.prepare('SELECT xml FROM xml WHERE sha256 = ?').pluck(),
      insertRun: db.prepare(
        `INSERT INTO runs (run_id, process_id, xml_sha256, status, count, head, started_at, updated_at, file)
         VALUES (@run_id, @process_id, @xml_sha256, @status, @count, @head, @started_at, @updated_at, @file)`
      ),
      updateRun: db.prepare('UPDATE runs SET status = ?, count = ?, head = ?, updated_at = ? WHERE run_id = ?'),
      getRun: db.prepare('SELECT * FROM runs WHERE run_id = ?'),
      allRuns: db.prepare('SELECT * FROM runs ORDER BY started_at, run_id'),
      insertRecord: db.prepare('INSERT INTO records (run_id, seq, hash, record) VALUES (?, ?, ?, ?)'),
      records: db.prepare('SELECT record FROM records WHERE run_id = ? AND seq >= ? ORDER BY seq').pluck(),
      saveSnapshot: db.prepare('INSERT OR REPLACE INTO snapshots (run_id, seq, state) VALUES (?, ?, ?)'),
      loadSnapshot: db.prepare('SELECT seq, state FROM snapshots WHERE run_id = ?')
    };
  }

  async putXml(sha256: string, xml: string): Promise<void> {
    this.#stmt.putXml.run(sha256, xml);
  }

  async getXml(sha256: string): Promise<string | undefined> {
    const xml: unknown = this.#stmt.getXml.get(sha256);
    return xml === undefined ? undefined : z.string().parse(xml);
  }

  async createRun(meta: Omit<RunMeta, 'count' | 'head'>, records: readonly TokenRecord[]): Promise<RunMeta> {
    return this.#db
      .transaction(() => {
        if (this.#stmt.getRun.get(meta.runId)) throw new StoreConflictError(meta.runId, `run ${meta.runId} already exists`);
        this.#stmt.insertRun.run({
          run_id: meta.runId,
          process_id: meta.processId,
          xml_sha256: meta.xmlSha256,
          status: meta.status,
          count: 0,
          head: '',
          started_at: meta.startedAt,
          updated_at: meta.updatedAt,
          file: meta.file ?? null
        });
        return this.#append(meta.runId, records, { status: meta.status, updatedAt: meta.updatedAt });
      })
      .immediate();
  }

  async commit(runId: string, records: readonly TokenRecord[], update: RunUpdate): Promise<RunMeta> {
    return this.#db.transaction(() => this.#append(runId, records, update)).immediate();
  }

  async records(runId: string, fromSeq = 0): Promise<TokenRecord[]> {
    const rows = this.#stmt.records.all(runId, fromSeq) as unknown[];
    return rows.map((row) => parseRecord(JSON.parse(z.string().parse(row))));
  }

  async getRun(runId: string): Promise<RunMeta | undefined> {
    const row: unknown = this.#stmt.getRun.get(runId);
    return row === undefined ? undefined : toMeta(runRow.parse(row));
  }

  async listRuns(filter: RunFilter = {}): Promise<RunMeta[]> {
    const statuses = filter.status === undefined ? undefined : ([] as RunStatus[]).concat(filter.status);
    return (this.#stmt.allRuns.all() as unknown[])
      .map((row) => toMeta(runRow.parse(row)))
      .filter((run) => (statuses ? statuses.includes(run.status) : true))
      .filter((run) => (filter.processId === undefined ? true : run.processId === filter.processId));
  }

  async saveSnapshot(runId: string, snapshot: Snapshot): Promise<void> {
    this.#stmt.saveSnapshot.run(runId, snapshot.seq, JSON.stringify(snapshot.state));
  }

  async loadSnapshot(runId: string): Promise<Snapshot | undefined> {
    const row: unknown = this.#stmt.loadSnapshot.get(runId);
    if (row === undefined) return undefined;
    const { seq, state } = snapshotRow.parse(row);
    return { seq, state: JSON.parse(state) as unknown };
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }

  /** Appends inside the caller's transaction: the records must continue the stored chain. */
  #append(runId: string, records: readonly TokenRecord[], update: RunUpdate): RunMeta {
    const row: unknown = this.#stmt.getRun.get(runId);
    if (row === undefined) throw new StoreConflictError(runId, `no run ${runId} in the store`);
    const run = toMeta(runRow.parse(row));
    let { count, head } = run;
    for (const record of records) {
      if (record.runId !== runId) throw new StoreConflictError(runId, `record of run ${record.runId} committed to ${runId}`);
      if (record.seq !== count || record.prevHash !== head) {
        throw new StoreConflictError(
          runId,
          `record seq ${record.seq} does not continue run ${runId} at seq ${count} (another executor wrote first?)`
        );
      }
      this.#stmt.insertRecord.run(runId, record.seq, record.hash, JSON.stringify(record));
      count += 1;
      head = record.hash;
    }
    this.#stmt.updateRun.run(update.status, count, head, update.updatedAt, runId);
    return { ...run, status: update.status, count, head, updatedAt: update.updatedAt };
  }
}

function toMeta(row: RunRow): RunMeta {
  const meta: RunMeta = {
    runId: row.run_id,
    processId: row.process_id,
    xmlSha256: row.xml_sha256,
    status: row.status,
    count: row.count,
    head: row.head,
    startedAt: row.started_at,
    updatedAt: row.updated_at
  };
  if (row.file !== null) meta.file = row.file;
  return meta;
}

function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  db.transaction(() => {
    const current = z.number().int().optional().parse(db.prepare('SELECT max(version) FROM schema_version').pluck().get() ?? undefined) ?? 0;
    if (current > migrations.length) {
      throw new Error(`store schema version ${current} is newer than this tessera (${migrations.length})`);
    }
    for (let version = current; version < migrations.length; version++) {
      db.exec(migrations[version]!);
      db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(version + 1);
    }
  }).immediate();
}
