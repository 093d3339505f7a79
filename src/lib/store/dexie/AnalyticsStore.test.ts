import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TokenRecord } from '../../engine/chain/record.js';
import { flows, processXml } from '../../engine/testing/bpmnXml.js';
import { runModel, type Harness } from '../../engine/testing/harness.js';
import { emptyAggregate, histogramStats, mergeAggregate, runContribution, type ElementAggregate } from '../../monitor/aggregate.js';
import type { RunStatus } from '../../runtime/ports.js';
import { AnalyticsStore } from './AnalyticsStore.js';
import { DexieRunStore } from './DexieRunStore.js';
import { MonitorStore } from './MonitorStore.js';
import { openTesseraDb } from './db.js';

const deps = { indexedDB, IDBKeyRange };
const xml = processXml(`<bpmn:startEvent id="s"/><bpmn:userTask id="a"/><bpmn:endEvent id="e"/>${flows('s>a', 'a>e')}`);
/** A user task, then a job that may complete, fail into an incident, or throw an unhandled error. */
const jobXml = processXml(
  `<bpmn:startEvent id="s"/><bpmn:userTask id="a"/>
   <bpmn:serviceTask id="j"><bpmn:extensionElements><zeebe:taskDefinition type="work" retries="1"/></bpmn:extensionElements></bpmn:serviceTask>
   <bpmn:endEvent id="e"/>${flows('s>a', 'a>j', 'j>e')}`
);

let dbCount = 0;
const freshName = () => `analytics-${++dbCount}-${Date.now()}`;

async function storedRun(store: DexieRunStore, runId: string, waitMs: number, finish = true) {
  const h = await runModel(xml);
  const records = h.records.map((r) => ({ ...r, runId }));
  const first = records[0]!;
  await store.createRun({ runId, processId: 'P', xmlSha256: 'sha', status: 'running', startedAt: first.at, updatedAt: first.at }, records);
  if (!finish) return;
  h.clock.now += waitMs;
  const before = h.records.length;
  h.send({ type: 'userTask.completed', instance: h.userTasks()[0]!.instance });
  await store.commit(runId, h.records.slice(before).map((r) => ({ ...r, runId })), { status: 'completed', updatedAt: h.clock.now });
}

/** What a random run does after it starts. */
interface Plan {
  sha: 'v1' | 'v2';
  waitMs: number;
  jobMs: number;
  /** complete the job, fail it (incident, then cancel), throw an unhandled error, cancel at the task, or stay running. */
  end: 'complete' | 'incident' | 'error' | 'cancel' | 'running';
}

const planArb: fc.Arbitrary<Plan> = fc.record({
  sha: fc.constantFrom('v1' as const, 'v2' as const),
  waitMs: fc.integer({ min: 0, max: 100_000 }),
  jobMs: fc.integer({ min: 0, max: 5_000 }),
  end: fc.constantFrom('complete' as const, 'incident' as const, 'error' as const, 'cancel' as const, 'running' as const)
});

/** The plan's steps: each returns the records it added (the run's own id) for one commit. */
function steps(h: Harness, plan: Plan): (() => void)[] {
  const job = () => h.jobs()[0]!;
  const out: (() => void)[] = [];
  if (plan.end === 'running') return out;
  if (plan.end === 'cancel') return [() => ((h.clock.now += plan.waitMs), h.send({ type: 'run.cancelled' }))];
  out.push(() => {
    h.clock.now += plan.waitMs;
    h.send({ type: 'userTask.completed', instance: h.userTasks()[0]!.instance });
  });
  out.push(() => {
    h.clock.now += plan.jobMs;
    const { instance } = job();
    if (plan.end === 'complete') h.send({ type: 'job.completed', instance });
    else if (plan.end === 'incident') h.send({ type: 'job.failed', instance, error: { message: 'boom' } });
    else h.send({ type: 'job.errorThrown', instance, error: { code: 'NOPE', message: 'unhandled' } });
  });
  if (plan.end === 'incident') out.push(() => ((h.clock.now += 10), h.send({ type: 'run.cancelled' })));
  return out;
}

/** Runs every plan through the store, steps of different runs committed concurrently (so batches mix runs). */
async function commitAll(store: DexieRunStore, plans: readonly Plan[]): Promise<Map<string, { plan: Plan; records: TokenRecord[]; status: RunStatus }>> {
  const runs = await Promise.all(
    plans.map(async (plan, i) => {
      const runId = `run-${i}`;
      const h = await runModel(jobXml);
      return { runId, plan, h, seen: 0, todo: steps(h, plan) };
    })
  );
  const emit = (run: (typeof runs)[number]) => {
    const records = run.h.records.slice(run.seen).map((r) => ({ ...r, runId: run.runId }));
    run.seen = run.h.records.length;
    return records;
  };
  await Promise.all(
    runs.map(async (run) => {
      const first = emit(run);
      const at = first[0]!.at;
      await store.createRun({ runId: run.runId, processId: 'P', xmlSha256: run.plan.sha, status: 'running', startedAt: at, updatedAt: at }, first);
      for (const step of run.todo) {
        step();
        await store.commit(run.runId, emit(run), { status: run.h.state.status, updatedAt: run.h.clock.now });
      }
    })
  );
  return new Map(
    runs.map((run) => [run.runId, { plan: run.plan, records: run.h.records.map((r) => ({ ...r, runId: run.runId })), status: run.h.state.status }])
  );
}

/** The aggregates a full recomputation gives: every finished run's records folded from scratch. */
function recompute(runs: Iterable<{ plan: Plan; records: TokenRecord[]; status: RunStatus }>): Map<string, ElementAggregate> {
  const rows = new Map<string, ElementAggregate>();
  for (const run of runs) {
    if (run.status === 'running') continue;
    for (const [node, row] of runContribution(run.plan.sha, run.records)) {
      const key = `${run.plan.sha}/${node}`;
      const into = rows.get(key) ?? emptyAggregate(run.plan.sha, node);
      mergeAggregate(into, row);
      rows.set(key, into);
    }
  }
  return rows;
}

/** Rows as comparable data: exact counts, sums, buckets and max; empty rows (all runs deleted) left out. */
function comparable(rows: Iterable<ElementAggregate>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const r of rows) {
    if (r.tokens === 0 && r.failures === 0 && r.duration.count === 0 && r.wait.count === 0) continue;
    const h = (x: ElementAggregate['duration']) => ({ count: x.count, sum: x.sum, max: x.count ? x.max : 0, buckets: x.buckets });
    out[`${r.xmlSha256}/${r.node}`] = { tokens: r.tokens, failures: r.failures, cancelled: r.cancelled, duration: h(r.duration), wait: h(r.wait) };
  }
  return out;
}

async function storedAggregates(name: string): Promise<{ rows: ElementAggregate[]; versions: Record<string, number> }> {
  const db = openTesseraDb(name, deps);
  const [rows, versions] = await Promise.all([db.elementAgg.toArray(), db.versionAgg.toArray()]);
  db.close();
  return { rows, versions: Object.fromEntries(versions.filter((v) => v.runs !== 0).map((v) => [v.xmlSha256, v.runs])) };
}

function finishedPerVersion(runs: Iterable<{ plan: Plan; status: RunStatus }>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const run of runs) if (run.status !== 'running') out[run.plan.sha] = (out[run.plan.sha] ?? 0) + 1;
  return out;
}

describe('store/dexie/AnalyticsStore', () => {
  it('aggregates are written by the commit that finishes a run; the dashboard only reads them', async () => {
    const name = freshName();
    const store = new DexieRunStore({ name, deps });
    const analytics = new AnalyticsStore({ name, deps });
    await storedRun(store, 'r1', 1000);
    await storedRun(store, 'r2', 3000);
    await storedRun(store, 'r3', 0, false);
    const first = await analytics.dashboard();
    expect(first.folded).toBe(0);
    expect(first.byStatus).toEqual({ completed: 2, running: 1 });
    expect(first.successRate).toBe(1);
    const a = first.elements.find((e) => e.node === 'a')!;
    expect(a.duration.count).toBe(2);
    expect(a.duration.max).toBe(3000);
    expect(a.wait.mean).toBe(2000);
    expect(first.timeline.reduce((n, slot) => n + slot.finished, 0)).toBe(2);
    // deleting a finished run takes it out of the counts and the element statistics
    await new MonitorStore({ name, deps }).deleteRun('r2');
    await expect(new MonitorStore({ name, deps }).deleteRun('r3')).rejects.toThrow(/still running/);
    const after = await analytics.dashboard(['sha']);
    expect(after.folded).toBe(0);
    expect(after.byStatus).toEqual({ completed: 1, running: 1 });
    const a2 = after.elements.find((e) => e.node === 'a')!;
    expect(a2.duration.count).toBe(1);
    expect(a2.duration.max).toBe(1000);
    expect(a2.wait.mean).toBe(1000);
  });

  it('property: after random runs commit, the aggregates equal a full recomputation from records, and again after deletions', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(planArb, { minLength: 1, maxLength: 14 }), fc.array(fc.nat(), { maxLength: 8 }), async (plans, deletions) => {
        const name = freshName();
        const store = new DexieRunStore({ name, deps });
        const runs = await commitAll(store, plans);
        await store.close();
        let stored = await storedAggregates(name);
        expect(comparable(stored.rows)).toEqual(comparable(recompute(runs.values()).values()));
        expect(stored.versions).toEqual(finishedPerVersion(runs.values()));

        // delete some finished runs (retention does the same, one run at a time)
        const monitor = new MonitorStore({ name, deps });
        const finished = [...runs.keys()].filter((id) => runs.get(id)!.status !== 'running');
        for (const n of deletions) {
          if (finished.length === 0) break;
          const [id] = finished.splice(n % finished.length, 1);
          await monitor.deleteRun(id!);
          runs.delete(id!);
        }
        stored = await storedAggregates(name);
        expect(comparable(stored.rows)).toEqual(comparable(recompute(runs.values()).values()));
        expect(stored.versions).toEqual(finishedPerVersion(runs.values()));
        // the dashboard needed no recomputation
        expect((await new AnalyticsStore({ name, deps }).dashboard()).folded).toBe(0);
      }),
      { numRuns: 12 }
    );
  }, 120_000);

  it('deleting the run that held the max recomputes that version, so the max stays exact', async () => {
    const name = freshName();
    const store = new DexieRunStore({ name, deps });
    // nine runs, r8 the slowest: its wait is the only one among the kept top values once r0..r7 are gone
    for (let i = 0; i < 9; i++) await storedRun(store, `r${i}`, 1000 * (i + 1));
    const monitor = new MonitorStore({ name, deps });
    for (let i = 8; i >= 1; i--) await monitor.deleteRun(`r${i}`);
    const a = (await new AnalyticsStore({ name, deps }).dashboard()).elements.find((e) => e.node === 'a')!;
    expect(a.wait).toMatchObject({ count: 1, max: 1000, mean: 1000 });
    expect(histogramStats({ count: 0, sum: 0, max: 0, buckets: {}, top: [] }).max).toBe(0);
  });

  it('upgrading a version-3 database recomputes the aggregates from the stored chains, dropping rows of deleted runs', async () => {
    const name = freshName();
    // given a version-3 database with two finished runs' chains and an element row still counting a deleted run
    const old = openTesseraDb(name, deps, 3);
    const h = await runModel(xml);
    h.clock.now += 500;
    h.send({ type: 'userTask.completed', instance: h.userTasks()[0]!.instance });
    const runs = ['x1', 'x2'].map((runId) => ({ runId, records: h.records.map((r) => ({ ...r, runId })) }));
    await old.transaction('rw', old.tables, async () => {
      for (const { runId, records } of runs) {
        await old.table('runs').put({ runId, processId: 'P', xmlSha256: 'sha', status: 'completed', count: records.length, head: records.at(-1)!.hash, startedAt: 0, updatedAt: h.clock.now });
        await old.table('segments').put({ runId, seq: 0, records });
      }
      await old.table('elementAgg').put({ ...emptyAggregate('sha', 'a'), tokens: 99 });
      await old.table('runAgg').put({ runId: 'gone', xmlSha256: 'sha', processId: 'P', status: 'completed', startedAt: 0, endedAt: 0, records: 1, failures: 0 });
    });
    old.close();
    // when it is opened at the latest version
    const stored = await storedAggregates(name);
    // then the rows are exactly the fold of the two chains
    expect(comparable(stored.rows)).toEqual(
      comparable(recompute(runs.map(({ records }) => ({ plan: { sha: 'sha' } as unknown as Plan, records, status: 'completed' as const }))).values())
    );
    expect(stored.versions).toEqual({ sha: 2 });
  });

  it('runs written without the run store are folded once by the dashboard (catch-up), then read', async () => {
    const name = freshName();
    const h = await runModel(xml);
    h.send({ type: 'userTask.completed', instance: h.userTasks()[0]!.instance });
    const db = openTesseraDb(name, deps);
    const records = h.records.map((r) => ({ ...r, runId: 'raw' }));
    await db.runs.put({ runId: 'raw', processId: 'P', xmlSha256: 'sha', status: 'completed', count: records.length, head: records.at(-1)!.hash, startedAt: 0, updatedAt: 1 });
    await db.segments.put({ runId: 'raw', seq: 0, records });
    db.close();
    const analytics = new AnalyticsStore({ name, deps });
    expect(await analytics.catchUp()).toBe(1);
    expect((await analytics.dashboard()).folded).toBe(0);
    expect((await analytics.dashboard()).elements.find((e) => e.node === 'a')?.tokens).toBe(1);
  });
});
