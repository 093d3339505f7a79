/**
 * What the monitoring pages read besides the worker's API: a run's own XML by hash, the diagrams
 * a version belongs to (to tell a run whose diagram changed since it started), and deleting a
 * finished run (its owner may discard a whole chain; chains are never edited) with its share of
 * the analytics aggregates.
 */
import { z } from 'zod';
import { applyRunDeltas, isFinished, rebuildVersions } from './aggregateTables.js';
import { openTesseraDb, type IdbDeps, type TesseraDb } from './db.js';
import { recordsOrNone } from './rowSchemas.js';

export interface DiagramOfRun {
  id: string;
  name: string;
  /** The diagram's current XML hash. */
  currentSha256: string;
  /** The version number the run's XML is, in that diagram. */
  version: number;
  latestVersion: number;
}

export class MonitorStore {
  readonly #db: TesseraDb;

  constructor(options: { name?: string; deps?: IdbDeps } = {}) {
    this.#db = openTesseraDb(options.name, options.deps);
  }

  async xml(sha256: string): Promise<string | undefined> {
    const row = await this.#db.xml.get(sha256);
    return row === undefined ? undefined : z.string().parse(row.xml);
  }

  /** Diagrams having this XML as one of their versions (usually one). */
  async diagramsOf(sha256: string): Promise<DiagramOfRun[]> {
    const rows = await this.#db.diagrams.toArray();
    const found: DiagramOfRun[] = [];
    for (const row of rows) {
      const version = row.versions.find((v) => v.xmlSha256 === sha256);
      if (!version) continue;
      found.push({
        id: row.id,
        name: row.name,
        currentSha256: row.xmlSha256,
        version: version.version,
        latestVersion: Math.max(...row.versions.map((v) => v.version))
      });
    }
    return found;
  }

  /** Every diagram with its version hashes (newest first) and current XML, for the dashboard's selector and heatmap. */
  async diagramVersions(): Promise<{ id: string; name: string; currentSha256: string; hashes: string[] }[]> {
    const rows = await this.#db.diagrams.orderBy('updatedAt').reverse().toArray();
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      currentSha256: row.xmlSha256,
      hashes: [...new Set(row.versions.map((v) => v.xmlSha256))]
    }));
  }

  /**
   * Deletes a run's meta, chain segments and snapshot, and takes a finished run out of the
   * analytics aggregates in the same transaction; refuses a running run.
   */
  async deleteRun(runId: string): Promise<void> {
    const db = this.#db;
    await db.transaction('rw', [db.runs, db.segments, db.snapshots, db.elementAgg, db.versionAgg], async () => {
      const run = await db.runs.get(runId);
      if (run && run.status === 'running') throw new Error(`run ${runId} is still running: cancel it first`);
      const chain = db.segments.where('[runId+seq]').between([runId, 0], [runId, Infinity], true, true);
      const records = run && isFinished(run.status) ? recordsOrNone(await chain.toArray()) : undefined;
      await Promise.all([chain.delete(), db.snapshots.delete(runId), db.runs.delete(runId)]);
      if (!run || !records) return;
      const stale = await applyRunDeltas(db, [{ xmlSha256: run.xmlSha256, records, sign: -1 }]);
      // The deleted run held every kept top value: recompute that version (it no longer has this run).
      if (stale.length > 0) await rebuildVersions(db, stale);
    });
  }

  /** Deletes finished runs that ended before `before` (ms since epoch); returns how many. */
  async deleteFinishedBefore(before: number): Promise<number> {
    const old = await this.#db.runs.where('startedAt').below(before).toArray();
    const ids = old.filter((run) => run.status !== 'running' && run.updatedAt < before).map((run) => run.runId);
    for (const id of ids) await this.deleteRun(id);
    return ids.length;
  }
}
