import { describe, expect, it } from 'vitest';
import { flows, processXml } from '../engine/testing/bpmnXml.js';
import { runModel } from '../engine/testing/harness.js';
import { durationStats, elementStats, hotSpots, RunView, runViewOf, variablesAt, type FlowGraph } from './index.js';

const xml = processXml(`<bpmn:startEvent id="s"/>
<bpmn:exclusiveGateway id="g" default="f_g_b"/>
<bpmn:userTask id="a" name="Approve"/>
<bpmn:scriptTask id="b"><bpmn:extensionElements><zeebe:script expression="=1" resultVariable="r"/></bpmn:extensionElements></bpmn:scriptTask>
<bpmn:intermediateCatchEvent id="t"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
<bpmn:endEvent id="e"/>
${flows('s>g', 'g>a:=x > 1', 'g>b', 'a>t', 'b>t', 't>e')}`);

const graph: FlowGraph = {
  flows: { f_s_g: { source: 's', target: 'g' }, f_g_a: { source: 'g', target: 'a' }, f_g_b: { source: 'g', target: 'b' } },
  choices: { g: ['f_g_a', 'f_g_b'] }
};

describe('RunView', () => {
  it('counts, taken flows, unchosen branches and waiting points as the run moves', async () => {
    const h = await runModel(xml, { x: 5 });
    const view = new RunView();
    const moves = view.apply(h.records);
    expect(moves.map((m) => m.flow)).toEqual(['f_s_g', 'f_g_a']);
    expect(view.countsOf('a')).toEqual({ active: 0, waiting: 1, completed: 0, incident: 0, cancelled: 0 });
    expect(view.countsOf('s').completed).toBe(1);
    expect(view.waitingPoints()).toEqual(['a']);
    expect(view.unchosen(graph)).toEqual(['f_g_b']);

    const task = h.userTasks()[0]!;
    h.clock.now += 5000;
    h.send({ type: 'userTask.completed', instance: task.instance, variables: { ok: true } });
    const next = view.apply(h.records);
    expect(next.map((m) => m.flow)).toEqual(['f_a_t']);
    expect(view.countsOf('a')).toMatchObject({ waiting: 0, completed: 1 });
    expect(view.waitingPoints()).toEqual(['t']);
    h.advance(2000);
    view.apply(h.records);
    expect(view.status).toBe('completed');
    expect(view.waitingPoints()).toEqual([]);
    expect(view.countsOf('e').completed).toBe(1);
    expect([...view.taken.keys()].sort()).toEqual(['f_a_t', 'f_g_a', 'f_s_g', 'f_t_e']);
    const a = view.intervals.find((i) => i.node === 'a')!;
    expect(a.durationMs).toBe(5000);
    expect(a.waitMs).toBe(5000);
    // Applying again is a no-op; a fold from scratch agrees.
    expect(view.apply(h.records)).toEqual([]);
    expect(runViewOf(h.records).counts).toEqual(view.counts);
  });

  it('a cancelled run cancels what waited', async () => {
    const h = await runModel(xml, { x: 5 });
    h.send({ type: 'run.cancelled' });
    const view = runViewOf(h.records);
    expect(view.status).toBe('cancelled');
    expect(view.countsOf('a')).toMatchObject({ waiting: 0, cancelled: 1 });
  });

  it('incidents open and resolve; failures are hot spots', async () => {
    const failing = processXml(`<bpmn:startEvent id="s"/>
<bpmn:scriptTask id="b"><bpmn:extensionElements><zeebe:script expression="=1 / unknownFn()" resultVariable="r"/></bpmn:extensionElements></bpmn:scriptTask>
<bpmn:endEvent id="e"/>${flows('s>b', 'b>e')}`);
    const h = await runModel(failing, {});
    const view = runViewOf(h.records);
    const failedOrIncident = view.countsOf('b').incident;
    expect(failedOrIncident).toBeGreaterThanOrEqual(1);
    expect(hotSpots(view.failures)[0]!.node).toBe('b');
  });
});

describe('variablesAt', () => {
  it('folds start variables and writes up to a seq', async () => {
    const h = await runModel(xml, { x: 5 });
    const task = h.userTasks()[0]!;
    h.send({ type: 'userTask.completed', instance: task.instance, variables: { ok: true } });
    const before = h.records.find((r) => r.kind === 'intent')!.seq;
    expect(variablesAt(h.records, before).root).toEqual({ x: 5 });
    expect(variablesAt(h.records, h.records.length - 1).root).toEqual({ x: 5, ok: true });
    expect(variablesAt(h.records, -1).seq).toBe(-1);
  });
});

describe('stats', () => {
  it('nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(durationStats(values)).toEqual({ count: 100, mean: 50.5, p50: 50, p95: 95, max: 100 });
    expect(durationStats([])).toEqual({ count: 0, mean: 0, p50: 0, p95: 0, max: 0 });
  });
  it('per element, slowest p95 first', () => {
    const stats = elementStats([
      { node: 'a', instance: '1', durationMs: 10, waitMs: 0, outcome: 'completed' },
      { node: 'b', instance: '2', durationMs: 100, waitMs: 90, outcome: 'completed' },
      { node: 'b', instance: '3', durationMs: 50, waitMs: 0, outcome: 'failed' }
    ]);
    expect(stats.map((s) => s.node)).toEqual(['b', 'a']);
    expect(stats[0]).toMatchObject({ failed: 1, wait: { count: 1, max: 90 } });
  });
});

describe('aggregates', async () => {
  const { addValue, emptyHistogram, histogramStats, foldRun, mergeAggregate, emptyAggregate } = await import('./aggregate.js');
  it('histogram percentiles within 10% and exact count/mean/max', () => {
    const h = emptyHistogram();
    for (let i = 1; i <= 1000; i++) addValue(h, i * 10);
    const s = histogramStats(h);
    expect(s.count).toBe(1000);
    expect(s.mean).toBeCloseTo(5005);
    expect(s.max).toBe(10000);
    expect(Math.abs(s.p50 - 5000) / 5000).toBeLessThan(0.1);
    expect(Math.abs(s.p95 - 9500) / 9500).toBeLessThan(0.1);
  });
  it('folding runs then merging rows gives the same as folding all', async () => {
    const h = await runModel(xml, { x: 5 });
    h.clock.now += 3000;
    h.send({ type: 'userTask.completed', instance: h.userTasks()[0]!.instance });
    h.advance(2000);
    const view = runViewOf(h.records);
    const rows = new Map<string, ReturnType<typeof emptyAggregate>>();
    foldRun(rows, 'sha', view.intervals, view.failures);
    foldRun(rows, 'sha', view.intervals, view.failures);
    const a = rows.get('a')!;
    expect(a.tokens).toBe(2);
    expect(histogramStats(a.duration).max).toBe(3000);
    const total = emptyAggregate('sha', 'a');
    mergeAggregate(total, a);
    mergeAggregate(total, a);
    expect(total.duration.count).toBe(4);
  });
});

describe('formVariables', async () => {
  const { formVariables } = await import('./formValues.js');
  const fields = [
    { key: 'amount', label: 'Amount', type: 'number', required: true },
    { key: 'ok', label: 'OK', type: 'boolean', required: false },
    { key: 'kind', label: 'Kind', type: 'enum', required: false, values: ['a', 'b'] }
  ] as const;
  it('validates and converts', () => {
    expect(formVariables(fields, { amount: '' }).errors).toEqual({ amount: 'Amount is required' });
    expect(formVariables(fields, { amount: 250, ok: true }).variables).toEqual({ amount: 250, ok: true });
    expect(formVariables(fields, { amount: '12.5', kind: 'c' }).errors).toEqual({ kind: 'Kind must be one of a, b' });
    expect(formVariables(fields, { amount: 'x' }).errors['amount']).toMatch(/number/);
    expect(formVariables(fields, { amount: 1 }, '{"z":1}').variables).toEqual({ amount: 1, ok: false, z: 1 });
    expect(formVariables(fields, { amount: 1 }, '[1]').errors['$json']).toBeDefined();
  });
});
