import Database from 'better-sqlite3';
import type { JobResult, JobSpec } from '../../src/lib/protocol/jobs.js';
import type { JobQueueStore, JobState } from '../../src/lib/runtime/jobs/JobQueue.js';

/** Finished jobs kept for idempotence across restarts (older ones are pruned). */
const KEEP_FINISHED = 10_000;

/**
 * The relay's job queue on disk (`<data>/jobs.sqlite`): queued and leased jobs survive a relay
 * restart (leases do not: after a restart every open job waits for a runner again).
 */
export class SqliteJobStore implements JobQueueStore {
  readonly #db: Database.Database;
  readonly #insert: Database.Statement;
  readonly #finish: Database.Statement;
  #finishedSincePrune = 0;

  constructor(file: string) {
    this.#db = new Database(file);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = NORMAL');
    this.#db.exec(`CREATE TABLE IF NOT EXISTS jobs (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      key TEXT NOT NULL UNIQUE,
      spec TEXT NOT NULL,
      state TEXT NOT NULL,
      result TEXT
    )`);
    this.#insert = this.#db.prepare(`INSERT OR IGNORE INTO jobs (key, spec, state) VALUES (?, ?, 'queued')`);
    this.#finish = this.#db.prepare(`UPDATE jobs SET state = ?, result = ? WHERE key = ?`);
  }

  load(): { job: JobSpec; state: JobState; result?: JobResult }[] {
    const rows = this.#db
      .prepare(`SELECT spec, state, result FROM jobs ORDER BY seq`)
      .all() as { spec: string; state: JobState; result: string | null }[];
    return rows.map((row) => ({
      job: JSON.parse(row.spec) as JobSpec,
      state: row.state,
      ...(row.result === null ? {} : { result: JSON.parse(row.result) as JobResult })
    }));
  }

  save(job: JobSpec): void {
    this.#insert.run(job.key, JSON.stringify(job));
  }

  finish(key: string, state: JobState, result?: JobResult): void {
    this.#finish.run(state, result === undefined ? null : JSON.stringify(result), key);
    if (++this.#finishedSincePrune >= 1000) this.#prune();
  }

  close(): void {
    this.#db.close();
  }

  #prune(): void {
    this.#finishedSincePrune = 0;
    this.#db
      .prepare(
        `DELETE FROM jobs WHERE state NOT IN ('queued', 'leased') AND seq <= (
           SELECT seq FROM jobs WHERE state NOT IN ('queued', 'leased') ORDER BY seq DESC LIMIT 1 OFFSET ?)`
      )
      .run(KEEP_FINISHED);
  }
}
