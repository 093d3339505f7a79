/**
 * Dashboard data from IndexedDB without loading records: finished runs are folded once each
 * (their segments read by the [runId+seq] key range) into per-element aggregate rows of their
 * diagram version (`elementAgg`) and a slim per-run row (`runAgg`), in one transaction with the
 * marker that they are folded, so two tabs never count a run twice. A dashboard query then
 * reads the runs table's metadata and the aggregate rows of the selected versions only.
 */
import { RunView } from '../../monitor/runView.js';
import { emptyAggregate, foldRun, histogramStats, mergeAggregate, type ElementAggregate, type RunAggregate } from '../../monitor/aggregate.js';
import type { DurationStats } from '../../monitor/stats.js';
import type { TokenRecord } from '../../engine/chain/record.js';
import { openTesseraDb, type IdbDeps, type SegmentRow, type TesseraDb } from './db.js';

const FINISHED = ['completed', 'failed', 'cancelled'];

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
  /** Runs folded by the catch-up this query did. */
  folded: number;
  ms: number;
}

export class AnalyticsStore {
  readonly #db: TesseraDb;

  constructor(options: { name?: string; deps?: IdbDeps } = {}) {
    this.#db = openTesseraDb(options.name, options.deps);
  }

  /** Folds finished runs not folded yet; returns how many (batches of `batch` runs a transaction). */
  async catchUp(batch = 50): Promise<number> {
    // Index counts first: when every finished run has its row, there is nothing to list.
    // (`equals` counts are native IDB counts; `anyOf` would walk a cursor.)
    const [counts, foldedCount] = await Promise.all([
      Promise.all(FINISHED.map((status) => this.#db.runs.where('status').equals(status).count())),
      this.#db.runAgg.count()
    ]);
    const finishedCount = counts.reduce((a, b) => a + b, 0);
    if (finishedCount === foldedCount) return 0;
    const finished = (await this.#db.runs.where('status').anyOf(FINISHED).primaryKeys()) as string[];
    const done = new Set((await this.#db.runAgg.toCollection().primaryKeys()) as string[]);
    const todo = finished.filter((id) => !done.has(id));
    for (let i = 0; i < todo.length; i += batch) await this.#fold(todo.slice(i, i + batch));
    return todo.length;
  }

  async #fold(runIds: string[]): Promise<void> {
    const db = this.#db;
    await db.transaction('rw', [db.runs, db.segments, db.runAgg, db.elementAgg], async () => {
      const metas = await db.runs.bulkGet(runIds);
      const already = await db.runAgg.bulkGet(runIds);
      const rows = new Map<string, Map<string, ElementAggregate>>(); // sha → node → delta
      const runRows: RunAggregate[] = [];
      const segments = await Promise.all(
        runIds.map((id) => db.segments.where('[runId+seq]').between([id, 0], [id, Infinity], true, true).toArray())
      );
      runIds.forEach((runId, i) => {
        const meta = metas[i];
        if (!meta || already[i] || !FINISHED.includes(meta.status)) return;
        const records = (segments[i] as SegmentRow[]).flatMap((s) => s.records as TokenRecord[]);
        const view = new RunView();
        view.apply(records);
        let perNode = rows.get(meta.xmlSha256);
        if (!perNode) rows.set(meta.xmlSha256, (perNode = new Map()));
        foldRun(perNode, meta.xmlSha256, view.intervals, view.failures);
        let failures = 0;
        for (const n of view.failures.values()) failures += n;
        runRows.push({
          runId,
          xmlSha256: meta.xmlSha256,
          processId: meta.processId,
          status: meta.status,
          startedAt: meta.startedAt,
          endedAt: records.at(-1)?.at ?? meta.updatedAt,
          records: records.length,
          failures
        });
      });
      const keys: [string, string][] = [];
      for (const [sha, perNode] of rows) for (const node of perNode.keys()) keys.push([sha, node]);
      const stored = await db.elementAgg.bulkGet(keys);
      const out = keys.map(([sha, node], i) => {
        const row = stored[i] ?? emptyAggregate(sha, node);
        mergeAggregate(row, rows.get(sha)!.get(node)!);
        return row;
      });
      if (out.length) await db.elementAgg.bulkPut(out);
      if (runRows.length) await db.runAgg.bulkAdd(runRows);
    });
  }

  /**
   * The dashboard for these diagram versions (all runs when `xmlSha256s` is undefined), runs
   * bucketed by `bucketMs` (default: the span / 24).
   */
  async dashboard(xmlSha256s?: string[], bucketMs?: number): Promise<Dashboard> {
    const started = performance.now();
    const folded = await this.catchUp();
    const db = this.#db;
    const shas = xmlSha256s;
    // getAll over key ranges (one `equals` per version): index cursors (anyOf, keys()) step one
    // key at a time and measured ten times slower at 10,000 runs.
    const inShas = async <T>(all: () => Promise<T[]>, one: (sha: string) => Promise<T[]>): Promise<T[]> =>
      shas ? (await Promise.all(shas.map(one))).flat() : all();
    const [runs, aggs, ended] = await db.transaction('r', [db.runs, db.elementAgg, db.runAgg], () =>
      Promise.all([
        inShas(() => db.runs.toArray(), (sha) => db.runs.where('xmlSha256').equals(sha).toArray()),
        inShas(() => db.elementAgg.toArray(), (sha) => db.elementAgg.where('xmlSha256').equals(sha).toArray()),
        inShas(() => db.runAgg.toArray(), (sha) => db.runAgg.where('xmlSha256').equals(sha).toArray())
      ])
    );
    const byStatus: Record<string, number> = {};
    let min = Infinity;
    let max = -Infinity;
    for (const run of runs) {
      byStatus[run.status] = (byStatus[run.status] ?? 0) + 1;
      if (run.startedAt < min) min = run.startedAt;
      if (run.startedAt > max) max = run.startedAt;
    }
    for (const r of ended) if (r.endedAt > max) max = r.endedAt;
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
      const slot = timeline[Math.floor((r.endedAt - from) / bucket)];
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

  /** Removes a deleted run's slim row (its element contributions stay: aggregates are sums). */
  async forgetRun(runId: string): Promise<void> {
    await this.#db.runAgg.delete(runId);
  }
}

const STEPS = [1000, 5000, 15_000, 60_000, 300_000, 900_000, 3_600_000, 6 * 3_600_000, 86_400_000, 7 * 86_400_000];

function niceBucket(ms: number): number {
  return STEPS.find((s) => s >= ms) ?? STEPS[STEPS.length - 1]!;
}
