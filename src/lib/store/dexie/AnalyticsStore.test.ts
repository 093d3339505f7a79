import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { flows, processXml } from '../../engine/testing/bpmnXml.js';
import { runModel } from '../../engine/testing/harness.js';
import { AnalyticsStore } from './AnalyticsStore.js';
import { DexieRunStore } from './DexieRunStore.js';
import { MonitorStore } from './MonitorStore.js';

const deps = { indexedDB, IDBKeyRange };
const xml = processXml(`<bpmn:startEvent id="s"/><bpmn:userTask id="a"/><bpmn:endEvent id="e"/>${flows('s>a', 'a>e')}`);

async function storedRun(store: DexieRunStore, runId: string, waitMs: number, finish = true) {
  const h = await runModel(xml);
  const records = h.records.map((r) => ({ ...r, runId }));
  const first = records[0]!;
  // Re-seal is unnecessary for the store's continuity check: seq/prevHash/hash are kept as the harness made them.
  await store.createRun(
    { runId, processId: 'P', xmlSha256: 'sha', status: 'running', startedAt: first.at, updatedAt: first.at },
    records
  );
  if (!finish) return;
  h.clock.now += waitMs;
  const before = h.records.length;
  h.send({ type: 'userTask.completed', instance: h.userTasks()[0]!.instance });
  await store.commit(runId, h.records.slice(before).map((r) => ({ ...r, runId })), { status: 'completed', updatedAt: h.clock.now });
}

describe('store/dexie/AnalyticsStore', () => {
  it('folds finished runs once, incrementally, into per-element aggregates', async () => {
    const name = 'analytics-1';
    const store = new DexieRunStore({ name, deps });
    const analytics = new AnalyticsStore({ name, deps });
    await storedRun(store, 'r1', 1000);
    await storedRun(store, 'r2', 3000);
    await storedRun(store, 'r3', 0, false);
    const first = await analytics.dashboard();
    expect(first.folded).toBe(2);
    expect(first.byStatus).toEqual({ completed: 2, running: 1 });
    expect(first.successRate).toBe(1);
    const a = first.elements.find((e) => e.node === 'a')!;
    expect(a.duration.count).toBe(2);
    expect(a.duration.max).toBe(3000);
    expect(a.wait.mean).toBe(2000);
    // nothing new: nothing folded again, same numbers
    const again = await analytics.dashboard(['sha']);
    expect(again.folded).toBe(0);
    expect(again.elements.find((e) => e.node === 'a')!.duration.count).toBe(2);
    // deleting a finished run removes it from the run counts
    await new MonitorStore({ name, deps }).deleteRun('r1');
    await expect(new MonitorStore({ name, deps }).deleteRun('r3')).rejects.toThrow(/still running/);
    expect((await analytics.dashboard()).byStatus).toEqual({ completed: 1, running: 1 });
  });
});
