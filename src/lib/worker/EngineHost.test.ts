import { readFileSync } from 'node:fs';
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../runtime/SystemClock.js';
import { DexieRunStore } from '../store/dexie/DexieRunStore.js';
import { DiagramStore } from '../store/dexie/DiagramStore.js';
import type { RunDetail } from './api.js';
import { BrowserJobs } from './BrowserJobs.js';
import { EngineHost } from './EngineHost.js';
import { MemoryLockManager } from './memoryLocks.js';
import { DexieStepHolds } from './stepHolds.js';
import { TabBus } from './TabBus.js';

const reviewXml = readFileSync(new URL('../../../tests/fixtures/browser-review.bpmn', import.meta.url), 'utf8');
const deps = { indexedDB, IDBKeyRange };
let counter = 0;
const opened: { host: EngineHost; bus: TabBus; store: DexieRunStore }[] = [];

/** A host as one tab's worker would have it, on a shared fake IndexedDB, lock manager and channel. */
function tab(db: string, channel: string, locks: MemoryLockManager, owner: string) {
  const store = new DexieRunStore({ name: db, deps });
  const bus = new TabBus(channel);
  const host = new EngineHost({
    store,
    diagrams: new DiagramStore({ name: db, deps }),
    locks: locks.client(owner),
    bus,
    clock: new SystemClock(),
    holds: new DexieStepHolds({ name: `${db}-step`, deps }),
    // The script in the fixture sums prices: a fake sandbox gives the same answer.
    jobs: new BrowserJobs(async (_source, variables) => ({
      ok: true,
      value: (variables.items as { price: number }[]).reduce((sum, item) => sum + item.price, 0),
      logs: []
    }))
  });
  opened.push({ host, bus, store });
  return host;
}

async function until(host: EngineHost, runId: string, done: (detail: RunDetail) => boolean): Promise<RunDetail> {
  for (let i = 0; i < 200; i++) {
    const detail = await host.getRun(runId);
    if (detail && done(detail)) return detail;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`run ${runId} did not get there`);
}

describe('worker/EngineHost', () => {
  afterEach(() => {
    for (const { host, bus } of opened.splice(0)) {
      host.close();
      bus.close();
    }
  });

  it('runs a model: user task, sandboxed script, then a job that waits for a runner', async () => {
    // given a host
    const locks = new MemoryLockManager();
    const host = tab(`host-${++counter}`, `bus-${counter}`, locks, 'A');
    // when a run starts and its user task is completed
    const { runId } = await host.startRun({ xml: reviewXml, variables: { items: [{ price: 2 }, { price: 40 }] } });
    const [task] = await host.listUserTasks(runId);
    expect(task).toMatchObject({ node: 'Approve', name: 'Approve order' });
    await host.completeUserTask(runId, task!.instance, { ok: true });
    // then the script's result is recorded and the service task waits, saying why
    const detail = await until(host, runId, (d) => d.jobs.some((j) => j.node === 'Ship'));
    expect(detail.summary.variables).toMatchObject({ total: 42, ok: true });
    expect(detail.jobs).toEqual([expect.objectContaining({ node: 'Ship', kind: 'type', note: 'needs a runner (relay)' })]);
    expect(detail.run.executing).toBe('here');
    expect(await host.verifyRun(runId)).toMatchObject({ ok: true, count: detail.run.count });
  });

  it('refuses invalid XML with its problems, and compiles valid XML', async () => {
    const host = tab(`host-${++counter}`, `bus-${counter}`, new MemoryLockManager(), 'A');
    await expect(host.startRun({ xml: '<nope' })).rejects.toThrow(/problems/);
    expect(await host.loadDiagram(reviewXml)).toMatchObject({ ok: true, processes: ['Review'] });
    expect((await host.loadDiagram('<x/>')).ok).toBe(false);
  });

  it('two tabs: one executes, the other forwards a completion, watches records, and takes over after a crash', async () => {
    // given tab A executing a run and tab B watching it
    const db = `host-${++counter}`;
    const channel = `bus-${counter}`;
    const locks = new MemoryLockManager();
    const a = tab(db, channel, locks, 'A');
    const b = tab(db, channel, locks, 'B');
    const { runId } = await a.startRun({ xml: reviewXml, variables: { items: [{ price: 1 }] } });
    const seen: number[] = [];
    await b.subscribeRecords(runId, 0, (records) => seen.push(...records.map((r) => r.seq)));
    expect((await b.getRun(runId))!.run.executing).toBe('elsewhere');
    // when B completes the user task
    const [task] = await b.listUserTasks(runId);
    await b.completeUserTask(runId, task!.instance);
    // then A recorded it, and B saw every record once, in order
    const detail = await until(a, runId, (d) => d.jobs.some((j) => j.node === 'Ship'));
    await until(b, runId, () => seen.length === detail.run.count);
    expect(seen).toEqual([...Array(detail.run.count).keys()]);
    expect(locks.holder(runId)).toBe('A');
    // when A's worker dies, B takes the run over and can cancel it
    a.close();
    locks.crash('A');
    await until(b, runId, (d) => d.run.executing === 'here');
    await b.cancelRun(runId);
    const cancelled = await until(b, runId, (d) => d.run.status === 'cancelled');
    expect(await b.verifyRun(runId)).toMatchObject({ ok: true, count: cancelled.run.count });
  });

  it('a failed write pauses the run without losing anything; resume continues from the records', async () => {
    const host = tab(`host-${++counter}`, `bus-${counter}`, new MemoryLockManager(), 'A');
    const { runId } = await host.startRun({ xml: reviewXml, variables: { items: [] } });
    const before = await host.records(runId);
    await host.simulateWriteFailure('QuotaExceededError');
    const [task] = await host.listUserTasks(runId);
    await expect(host.completeUserTask(runId, task!.instance)).rejects.toThrow();
    const paused = await host.getRun(runId);
    expect(paused!.run.paused).toMatch(/Storage is full/);
    expect(await host.records(runId)).toEqual(before);
    await host.resumeRun(runId);
    expect((await host.getRun(runId))!.run.paused).toBeUndefined();
    await host.completeUserTask(runId, task!.instance);
    expect((await until(host, runId, (d) => d.jobs.some((j) => j.node === 'Ship'))).summary.variables).toMatchObject({ total: 0 });
  });

  it('step mode: the detail shows the committed state and the pause; another tab steps it through the bus; a crash keeps it paused', async () => {
    // given tabs A and B, and a run A starts in step mode
    const db = `host-${++counter}`;
    const locks = new MemoryLockManager();
    const a = tab(db, `bus-${counter}`, locks, 'A');
    const b = tab(db, `bus-${counter}`, locks, 'B');
    const { runId } = await a.startRun({ xml: reviewXml, variables: { items: [{ price: 3 }] }, stepMode: true });
    // then it is paused before Start with only the run record committed, and no task open yet
    let detail = (await a.getRun(runId))!;
    expect(detail.step).toMatchObject({ stepMode: true, held: { node: 'Start' } });
    expect(detail.run.count).toBe(1);
    await a.stepRun(runId);
    detail = (await a.getRun(runId))!;
    expect(detail.step?.held).toMatchObject({ node: 'Approve', name: 'Approve order' });
    expect(detail.userTasks).toEqual([]);
    // and B, which does not execute it, sees the pause (from A's hold) and sets a breakpoint through A
    expect((await b.getRun(runId))!.step).toMatchObject({ stepMode: true, held: { node: 'Approve' } });
    await b.setBreakpoints(runId, ['Ship']);
    expect((await a.getRun(runId))!.step?.breakpoints).toEqual(['Ship']);
    // when A dies, B recovers it paused at the same element, with the breakpoint, and steps the task open
    a.close();
    locks.crash('A');
    detail = await until(b, runId, (d) => d.run.executing === 'here' && d.step?.held?.node === 'Approve');
    expect(detail.step?.breakpoints).toEqual(['Ship']);
    await b.stepRun(runId);
    const [task] = await b.listUserTasks(runId);
    expect(task).toMatchObject({ node: 'Approve' });
    // when the task is completed and the run continues, it goes on freely to the job
    await b.completeUserTask(runId, task!.instance);
    expect((await b.getRun(runId))!.step?.held?.node).toBe('Total');
    await b.continueRun(runId);
    // then it stops at the breakpoint before Ship; continuing again reaches the job
    const stopped = await until(b, runId, (d) => d.step?.held !== undefined);
    expect(stopped.step).toMatchObject({ stepMode: false, held: { node: 'Ship' } });
    expect(stopped.summary.variables).toMatchObject({ total: 3 });
    await b.continueRun(runId);
    const done = await until(b, runId, (d) => d.jobs.some((j) => j.node === 'Ship'));
    expect(done.summary.variables).toMatchObject({ total: 3 });
    expect(done.step).toMatchObject({ stepMode: false, breakpoints: ['Ship'] });
    expect(done.step?.held).toBeUndefined();
    expect(await b.verifyRun(runId)).toMatchObject({ ok: true, count: done.run.count });
  });
});
