/**
 * Dashboard data from IndexedDB without loading records: the aggregate tables (`elementAgg` per
 * diagram version and element, `versionAgg` per version) are kept up to date by the transactions
 * that finish and delete runs (aggregateTables), so a dashboard query reads the runs table's
 * metadata and the aggregate rows of the selected versions only. A version whose rows disagree
 * with the runs table (finished runs ≠ runs folded: data written by other means) is recomputed
 * from its records once, then read again.
 */
import { emptyAggregate, histogramStats, mergeAggregate, type ElementAggregate } from '../../monitor/aggregate.js';
import type { DurationStats } from '../../monitor/stats.js';
import type { RunMeta } from '../../runtime/ports.js';
import { isFinished, rebuildVersions } from './aggregateTables.js';
import { openTesseraDb, type IdbDeps, type TesseraDb, type VersionAggregate } from './db.js';

export interface ElementRow {
  node: string;
  duration: DurationStats;
  wait: DurationStats;
  failures: number;
  cancelled: number;
  tokens: number;
}

export interface Dashboard {
  /** Runs by status (all of them, running included). */
  byStatus: Record<string, number>;
  /** Time buckets (start of bucket, ms) with runs started per status and runs finished. */
  timeline: { at: number; started: Record<string, number>; finished: number }[];
  bucketMs: number;
  successRate: number;
  failureRate: number;
  elements: ElementRow[];
  hotSpots: { node: string; failures: number }[];
  runs: number;
  /** Runs folded from records by this query (0 unless aggregates had to be recomputed). */
  folded: number;
  ms: number;
}

export class AnalyticsStore {
  readonly #db: TesseraDb;

  constructor(options: { name?: string; deps?: IdbDeps } = {}) {
    this.#db = openTesseraDb(options.name, options.deps);
  }

  /**
   * Recomputes the aggregates of every diagram version whose rows disagree with the runs table
   * (after runs were written without the run store); returns the runs folded. `_batch` is kept
   * for callers of the earlier batched catch-up.
   */
  async catchUp(_batch?: number): Promise<number> {
    const [runs, , versions] = await this.#read(undefined);
    return this.#repair(staleVersions(runs, versions, undefined));
  }

  async #repair(stale: string[]): Promise<number> {
    if (stale.length === 0) return 0;
    const db = this.#db;
    return db.transaction('rw', [db.runs, db.segments, db.elementAgg, db.versionAgg], () => rebuildVersions(db, stale));
  }

  /** Run rows, aggregate rows and version rows of these versions (all when undefined), in one read transaction. */
  #read(shas: readonly string[] | undefined): Promise<[RunMeta[], ElementAggregate[], VersionAggregate[]]> {
    const db = this.#db;
    // getAll over key ranges (one `equals` per version): index cursors (anyOf, keys()) step one
    // key at a time and measured ten times slower at 10,000 runs.
    const inShas = async <T>(all: () => Promise<T[]>, one: (sha: string) => Promise<T[]>): Promise<T[]> =>
      shas ? (await Promise.all(shas.map(one))).flat() : all();
    return db.transaction('r', [db.runs, db.elementAgg, db.versionAgg], () =>
      Promise.all([
        inShas(() => db.runs.toArray(), (sha) => db.runs.where('xmlSha256').equals(sha).toArray()),
        inShas(() => db.elementAgg.toArray(), (sha) => db.elementAgg.where('xmlSha256').equals(sha).toArray()),
        shas ? db.versionAgg.bulkGet([...shas]).then((rows) => rows.filter((r): r is VersionAggregate => r !== undefined)) : db.versionAgg.toArray()
      ])
    );
  }

  /**
   * The dashboard for these diagram versions (all runs when `xmlSha256s` is undefined), runs
   * bucketed by `bucketMs` (default: the span / 24).
   */
  async dashboard(xmlSha256s?: string[], bucketMs?: number): Promise<Dashboard> {
    const started = performance.now();
    const first = await this.#read(xmlSha256s);
    const folded = await this.#repair(staleVersions(first[0], first[2], xmlSha256s));
    const [runs, aggs] = folded > 0 ? await this.#read(xmlSha256s) : first;
    const byStatus: Record<string, number> = {};
    let min = Infinity;
    let max = -Infinity;
    for (const run of runs) {
      byStatus[run.status] = (byStatus[run.status] ?? 0) + 1;
      if (run.startedAt < min) min = run.startedAt;
      if (run.startedAt > max) max = run.startedAt;
    }
    // A finished run's last update is when it ended.
    const ended = runs.filter((run) => isFinished(run.status));
    for (const r of ended) if (r.updatedAt > max) max = r.updatedAt;
    const total = runs.length;
    const span = total ? Math.max(1, max - min) : 1;
    const bucket = bucketMs ?? niceBucket(span / 24);
    const from = total ? Math.floor(min / bucket) * bucket : 0;
    const count = total ? Math.floor((max - from) / bucket) + 1 : 0;
    const timeline = Array.from({ length: Math.min(count, 500) }, (_, i) => ({ at: from + i * bucket, started: {} as Record<string, number>, finished: 0 }));
    for (const run of runs) {
      const slot = timeline[Math.floor((run.startedAt - from) / bucket)];
      if (slot) slot.started[run.status] = (slot.started[run.status] ?? 0) + 1;
    }
    for (const r of ended) {
      const slot = timeline[Math.floor((r.updatedAt - from) / bucket)];
      if (slot) slot.finished += 1;
    }
    const merged = new Map<string, ElementAggregate>();
    for (const row of aggs) {
      const into = merged.get(row.node) ?? emptyAggregate('', row.node);
      mergeAggregate(into, row);
      merged.set(row.node, into);
    }
    const elements = [...merged.values()]
      .map((a) => ({
        node: a.node,
        duration: histogramStats(a.duration),
        wait: histogramStats(a.wait),
        failures: a.failures,
        cancelled: a.cancelled,
        tokens: a.tokens
      }))
      .sort((a, b) => b.duration.p95 - a.duration.p95 || (a.node < b.node ? -1 : 1));
    const finishedRuns = (byStatus['completed'] ?? 0) + (byStatus['failed'] ?? 0) + (byStatus['cancelled'] ?? 0);
    return {
      byStatus,
      timeline,
      bucketMs: bucket,
      successRate: finishedRuns ? (byStatus['completed'] ?? 0) / finishedRuns : 0,
      failureRate: finishedRuns ? (byStatus['failed'] ?? 0) / finishedRuns : 0,
      elements,
      hotSpots: elements
        .filter((e) => e.failures > 0)
        .map((e) => ({ node: e.node, failures: e.failures }))
        .sort((a, b) => b.failures - a.failures)
        .slice(0, 10),
      runs: total,
      folded,
      ms: performance.now() - started
    };
  }

}

/** Versions whose folded-run count differs from their finished runs (only `shas` when given). */
function staleVersions(runs: readonly RunMeta[], versions: readonly VersionAggregate[], shas: readonly string[] | undefined): string[] {
  const finished = new Map<string, number>((shas ?? []).map((sha) => [sha, 0]));
  for (const run of runs) if (isFinished(run.status)) finished.set(run.xmlSha256, (finished.get(run.xmlSha256) ?? 0) + 1);
  const folded = new Map(versions.map((v) => [v.xmlSha256, v.runs]));
  const all = new Set([...finished.keys(), ...folded.keys()]);
  return [...all].filter((sha) => (finished.get(sha) ?? 0) !== (folded.get(sha) ?? 0));
}

const STEPS = [1000, 5000, 15_000, 60_000, 300_000, 900_000, 3_600_000, 6 * 3_600_000, 86_400_000, 7 * 86_400_000];

function niceBucket(ms: number): number {
  return STEPS.find((s) => s >= ms) ?? STEPS[STEPS.length - 1]!;
}
