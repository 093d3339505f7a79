/**
 * The browser RunStore on IndexedDB (dexie). Writes are group-committed: every createRun/commit
 * issued while a transaction is in flight joins the next one, so many steps (of many runs) share
 * one strict-durability transaction; each caller's promise settles only once that transaction
 * has committed. A write that does not continue its run's chain is refused on its own
 * (StoreConflictError) without affecting the others; a failed transaction (quota, abort) rejects
 * every write in it and leaves nothing of them behind.
 *
 * The same transaction keeps the analytics aggregates (aggregateTables): a run that finishes in it
 * has its whole chain folded into its diagram version's rows, so dashboards never fold records.
 */
import { z } from 'zod';
import type { TokenRecord } from '../../engine/chain/record.js';
import {
  StoreConflictError,
  type RunFilter,
  type RunStatus,
  type RunMeta,
  type RunStore,
  type RunUpdate,
  type Snapshot
} from '../../runtime/ports.js';
import { applyRunDeltas, isFinished, rebuildVersions, type RunDelta } from './aggregateTables.js';
import { openTesseraDb, type IdbDeps, type SegmentRow, type TesseraDb } from './db.js';
import { parseRunMeta, recordsOf, recordsOrNone } from './rowSchemas.js';

/** How the chain writes were shaped: per transaction, [segment rows added, run rows put]. */
export interface WriteStats {
  transactions: number;
  records: number;
  batches: [number, number][];
}

/** Chain transactions in flight at once: the next batch is queued in IndexedDB while one commits. */
const MAX_IN_FLIGHT = 2;
/**
 * Writes a transaction takes at most; the rest wait for the next. Smaller batches keep two
 * transactions in flight (and the steps of the first one's runs computing while the second
 * commits) instead of one batch holding everyone.
 */
const MAX_BATCH = 128;

interface PendingWrite {
  runId: string;
  /** Set for createRun: the run must not exist yet. */
  create?: Omit<RunMeta, 'count' | 'head'>;
  records: readonly TokenRecord[];
  update: RunUpdate;
  resolve(meta: RunMeta): void;
  reject(error: unknown): void;
}

export interface DexieRunStoreOptions {
  name?: string;
  deps?: IdbDeps;
}

export class DexieRunStore implements RunStore {
  readonly #db: TesseraDb;
  #queue: PendingWrite[] = [];
  #scheduled = false;
  #inFlight = 0;
  #failNext: { error: () => Error; skip: number } | undefined;
  #stats: WriteStats = { transactions: 0, records: 0, batches: [] };

  constructor(options: DexieRunStoreOptions = {}) {
    this.#db = openTesseraDb(options.name, options.deps);
  }

  async putXml(sha256: string, xml: string): Promise<void> {
    await this.#db.transaction('rw', this.#db.xml, async () => {
      if (!(await this.#db.xml.get(sha256))) await this.#db.xml.add({ sha256, xml });
    });
  }

  async getXml(sha256: string): Promise<string | undefined> {
    const row = await this.#db.xml.get(sha256);
    return row === undefined ? undefined : z.string().parse(row.xml);
  }

  createRun(meta: Omit<RunMeta, 'count' | 'head'>, records: readonly TokenRecord[]): Promise<RunMeta> {
    return this.#write({ runId: meta.runId, create: meta, records, update: { status: meta.status, updatedAt: meta.updatedAt } });
  }

  commit(runId: string, records: readonly TokenRecord[], update: RunUpdate): Promise<RunMeta> {
    return this.#write({ runId, records, update });
  }

  async records(runId: string, fromSeq = 0): Promise<TokenRecord[]> {
    const rows = await this.#db.transaction('r', this.#db.segments, () => this.#segmentsFrom(runId, fromSeq));
    return recordsOf(rows, fromSeq);
  }

  /** A run's meta and all its records read in one transaction, so they agree (to verify or export while it runs). */
  async chain(runId: string): Promise<{ run: RunMeta | undefined; records: TokenRecord[] }> {
    const [row, rows] = await this.#db.transaction('r', this.#db.runs, this.#db.segments, () =>
      Promise.all([this.#db.runs.get(runId), this.#segmentsFrom(runId, 0)])
    );
    return { run: row === undefined ? undefined : parseRunMeta(row), records: recordsOf(rows, 0) };
  }

  /** Inside a transaction: the segments holding seq `fromSeq` and later. */
  async #segmentsFrom(runId: string, fromSeq: number): Promise<SegmentRow[]> {
    const segments = this.#db.segments;
    // The segment holding fromSeq starts at or before it.
    const startKey = await segments.where('[runId+seq]').between([runId, 0], [runId, fromSeq], true, true).lastKey();
    const from: [string, number] = Array.isArray(startKey) ? (startKey as unknown as [string, number]) : [runId, fromSeq];
    return segments.where('[runId+seq]').between(from, [runId, Infinity], true, true).toArray();
  }


  /** The stored rows of these runs (chain segments and run meta), for the raw-write benchmark. */
  async rowsOf(runIds: readonly string[]): Promise<{ segments: SegmentRow[]; runs: RunMeta[] }> {
    const segments = await Promise.all(
      runIds.map((id) => this.#db.segments.where('[runId+seq]').between([id, 0], [id, Infinity], true, true).toArray())
    );
    const runs = await this.#db.runs.bulkGet([...runIds]);
    return { segments: segments.flat(), runs: runs.filter((run): run is RunMeta => run !== undefined) };
  }

  async getRun(runId: string): Promise<RunMeta | undefined> {
    const row = await this.#db.runs.get(runId);
    return row === undefined ? undefined : parseRunMeta(row);
  }

  async listRuns(filter: RunFilter = {}): Promise<RunMeta[]> {
    const statuses = filter.status === undefined ? undefined : ([] as RunStatus[]).concat(filter.status);
    const rows = await this.#db.runs.orderBy('startedAt').toArray();
    return rows
      .map(parseRunMeta)
      .filter((run) => (statuses ? statuses.includes(run.status) : true))
      .filter((run) => (filter.processId === undefined ? true : run.processId === filter.processId))
      .sort((a, b) => a.startedAt - b.startedAt || (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0));
  }

  async saveSnapshot(runId: string, snapshot: Snapshot): Promise<void> {
    await this.#db.snapshots.put({ runId, seq: snapshot.seq, state: snapshot.state });
  }

  async loadSnapshot(runId: string): Promise<Snapshot | undefined> {
    const row = await this.#db.snapshots.get(runId);
    return row === undefined ? undefined : { seq: z.number().int().parse(row.seq), state: row.state };
  }

  async close(): Promise<void> {
    while (this.#inFlight > 0 || this.#queue.length > 0) await new Promise((resolve) => setTimeout(resolve, 1));
    this.#db.close();
  }

  /** The shape of the chain transactions since the last reset (for benchmarks). */
  writeStats(reset = false): WriteStats {
    const stats = this.#stats;
    if (reset) this.#stats = { transactions: 0, records: 0, batches: [] };
    return stats;
  }

  /**
   * Test hook: the chain transaction after the next `skip` ones throws `error()` inside
   * IndexedDB (so it really aborts), e.g. a `QuotaExceededError` DOMException.
   */
  failNextWrite(error: () => Error, skip = 0): void {
    this.#failNext = { error, skip };
  }

  #write(pending: Omit<PendingWrite, 'resolve' | 'reject'>): Promise<RunMeta> {
    return new Promise<RunMeta>((resolve, reject) => {
      this.#queue.push({ ...pending, resolve, reject });
      this.#schedule();
    });
  }

  /** Starts a transaction for the queued writes unless enough are in flight already. */
  #schedule(): void {
    if (this.#scheduled || this.#inFlight >= MAX_IN_FLIGHT || this.#queue.length === 0) return;
    this.#scheduled = true;
    // Let the writes issued in this same task join the transaction too.
    queueMicrotask(() => {
      this.#scheduled = false;
      const batch = this.#queue.splice(0, MAX_BATCH);
      if (batch.length === 0) return;
      this.#inFlight += 1;
      void this.#flush(batch).finally(() => {
        this.#inFlight -= 1;
        this.#schedule();
      });
      this.#schedule(); // what did not fit goes into a second transaction
    });
  }

  /**
   * Commits one batch in one transaction. IndexedDB runs overlapping readwrite transactions in
   * the order they were created, so a second one in flight reads what the first wrote; a run never
   * has writes in both (its executor awaits each commit).
   */
  async #flush(batch: PendingWrite[]): Promise<void> {
    const outcomes = new Map<PendingWrite, RunMeta | StoreConflictError>();
    let runRows = 0;
    try {
      const db = this.#db;
      await db.transaction('rw', [db.runs, db.segments, db.elementAgg, db.versionAgg], async () => {
        const fail = this.#failNext;
        if (fail && fail.skip-- <= 0) {
          this.#failNext = undefined;
          throw fail.error();
        }
        runRows = await this.#apply(batch, outcomes);
      });
      const written = batch.filter((write) => !(outcomes.get(write) instanceof StoreConflictError) && write.records.length > 0);
      this.#stats.transactions += 1;
      this.#stats.records += written.reduce((sum, write) => sum + write.records.length, 0);
      if (this.#stats.batches.length < 100_000) this.#stats.batches.push([written.length, runRows]);
    } catch (error) {
      for (const write of batch) write.reject(error);
      return;
    }
    for (const write of batch) {
      const outcome = outcomes.get(write);
      if (outcome instanceof StoreConflictError || outcome === undefined) write.reject(outcome ?? new Error('write lost'));
      else write.resolve(outcome);
    }
  }

  /** Inside the transaction: checks each write against the stored chain and writes the ones that continue it. */
  async #apply(batch: readonly PendingWrite[], outcomes: Map<PendingWrite, RunMeta | StoreConflictError>): Promise<number> {
    const runIds = [...new Set(batch.map((write) => write.runId))];
    const stored = await this.#db.runs.bulkGet(runIds);
    const current = new Map<string, RunMeta | undefined>(runIds.map((id, i) => [id, stored[i]]));
    const rows: SegmentRow[] = [];
    const touched = new Set<string>();
    for (const write of batch) {
      const result = continueChain(current.get(write.runId), write);
      outcomes.set(write, result);
      if (result instanceof StoreConflictError) continue;
      current.set(write.runId, result);
      touched.add(write.runId);
      if (write.records.length > 0) rows.push({ runId: write.runId, seq: write.records[0]!.seq, records: [...write.records] });
    }
    const finishing = this.#finishing(runIds, stored, current, batch, outcomes);
    const writes: Promise<unknown>[] = [];
    if (rows.length > 0) writes.push(this.#db.segments.bulkAdd(rows));
    if (touched.size > 0) writes.push(this.#db.runs.bulkPut([...touched].map((id) => current.get(id)!)));
    if (finishing.length > 0) writes.push(this.#aggregate(finishing));
    await Promise.all(writes);
    return touched.size;
  }

  /**
   * Runs whose analytics change in this batch: they finish (their contribution is added), or a
   * finished run got more records or left the finished state (the old contribution is replaced).
   */
  #finishing(
    runIds: readonly string[],
    stored: readonly (RunMeta | undefined)[],
    current: ReadonlyMap<string, RunMeta | undefined>,
    batch: readonly PendingWrite[],
    outcomes: ReadonlyMap<PendingWrite, RunMeta | StoreConflictError>
  ): Finishing[] {
    const out: Finishing[] = [];
    runIds.forEach((runId, i) => {
      const before = stored[i];
      const after = current.get(runId);
      const was = isFinished(before?.status);
      const is = isFinished(after?.status);
      if (!after || (!was && !is)) return;
      const added = batch.filter((w) => w.runId === runId && !(outcomes.get(w) instanceof StoreConflictError)).flatMap((w) => w.records);
      if (was && is && added.length === 0) return;
      out.push({ run: after, storedCount: before?.count ?? 0, added, was, is });
    });
    return out;
  }

  /** Inside the transaction: reads the finishing runs' earlier records and applies their deltas to the aggregates. */
  async #aggregate(finishing: readonly Finishing[]): Promise<void> {
    // A run created in this batch has no earlier records: most short runs need no read at all.
    const earlier = await Promise.all(
      finishing.map(({ run, storedCount }) =>
        storedCount === 0
          ? []
          : this.#db.segments.where('[runId+seq]').between([run.runId, 0], [run.runId, storedCount], true, false).toArray()
      )
    );
    const deltas: RunDelta[] = [];
    finishing.forEach((f, i) => {
      const before = recordsOrNone(earlier[i]!);
      if (f.was) deltas.push({ xmlSha256: f.run.xmlSha256, records: before, sign: -1 });
      // A damaged earlier chain counts the run with no element rows, as a rebuild would.
      const damaged = f.storedCount > 0 && before.length === 0;
      if (f.is) deltas.push({ xmlSha256: f.run.xmlSha256, records: damaged ? [] : before.concat(f.added), sign: 1 });
    });
    const stale = await applyRunDeltas(this.#db, deltas);
    if (stale.length > 0) await rebuildVersions(this.#db, stale);
  }
}

/** A run whose analytics contribution changes in a batch. */
interface Finishing {
  run: RunMeta;
  /** Records stored before this batch. */
  storedCount: number;
  /** Its records written in this batch, in order. */
  added: readonly TokenRecord[];
  was: boolean;
  is: boolean;
}

/** The run's meta after `write`, or why `write` does not continue the stored chain. */
function continueChain(run: RunMeta | undefined, write: PendingWrite): RunMeta | StoreConflictError {
  const { runId } = write;
  if (write.create && run) return new StoreConflictError(runId, `run ${runId} already exists`);
  const base: RunMeta | undefined = write.create ? { ...write.create, count: 0, head: '' } : run;
  if (!base) return new StoreConflictError(runId, `no run ${runId} in the store`);
  let { count, head } = base;
  for (const record of write.records) {
    if (record.runId !== runId) return new StoreConflictError(runId, `record of run ${record.runId} committed to ${runId}`);
    if (record.seq !== count || record.prevHash !== head) {
      return new StoreConflictError(
        runId,
        `record seq ${record.seq} does not continue run ${runId} at seq ${count} (another executor wrote first?)`
      );
    }
    count += 1;
    head = record.hash;
  }
  return { ...base, status: write.update.status, updatedAt: write.update.updatedAt, count, head };
}
