import { describe, expect, it } from 'vitest';
import { flows, processXml } from './testing/bpmnXml.js';
import { runModel } from './testing/harness.js';

describe('engine/transition basics', () => {
  it('runs start → task → end in one step with one record per element', async () => {
    const h = await runModel(processXml(`
      <bpmn:startEvent id="S"/><bpmn:task id="T"/><bpmn:endEvent id="E"/>
      ${flows('S>T', 'T>E')}`));
    expect(h.state.status).toBe('completed');
    expect(h.records.map((r) => `${r.kind}:${r.node}:${r.status}`)).toEqual([
      'run:P:started', 'token:S:completed', 'token:T:completed', 'token:E:ended', 'run:P:ended'
    ]);
    expect(h.visited()).toEqual(['S', 'T', 'E']);
    expect(h.records[2]!.flow).toBe('f_S_T');
  });

  it('chooses an exclusive branch by FEEL, accepting == as =', async () => {
    const xml = processXml(`
      <bpmn:startEvent id="S"/><bpmn:exclusiveGateway id="G" default="f_G_Small"/>
      <bpmn:task id="Big"/><bpmn:task id="Small"/><bpmn:endEvent id="E1"/><bpmn:endEvent id="E2"/>
      ${flows('S>G', 'G>Big:=amount > 100', 'G>Small', 'Big>E1', 'Small>E2')}`);
    expect((await runModel(xml, { amount: 500 })).visited()).toEqual(['S', 'G', 'Big', 'E1']);
    expect((await runModel(xml, { amount: 5 })).visited()).toEqual(['S', 'G', 'Small', 'E2']);
    const eq = processXml(`
      <bpmn:startEvent id="S"/><bpmn:exclusiveGateway id="G"/><bpmn:task id="A"/><bpmn:endEvent id="E"/>
      ${flows('S>G', 'G>A:approval == true', 'A>E')}`);
    expect((await runModel(eq, { approval: true })).state.status).toBe('completed');
  });

  it('opens an incident naming the flow when a condition is not boolean', async () => {
    const h = await runModel(processXml(`
      <bpmn:startEvent id="S"/><bpmn:exclusiveGateway id="G"/><bpmn:task id="A"/><bpmn:endEvent id="E"/>
      ${flows('S>G', 'G>A:missing > 3', 'A>E')}`));
    expect(h.state.status).toBe('running');
    const incident = h.records.find((r) => r.kind === 'incident');
    expect(incident?.status).toBe('opened');
    expect(JSON.stringify(incident?.data)).toMatch(/f_G_A/);
    h.send({ type: 'variables.set', variables: { missing: 10 } });
    h.send({ type: 'incident.resolved', incident: incident!.id });
    expect(h.state.status).toBe('completed');
  });

  it('forks and joins in parallel, merging the extra tokens', async () => {
    const h = await runModel(processXml(`
      <bpmn:startEvent id="S"/><bpmn:parallelGateway id="F"/><bpmn:task id="A"/><bpmn:task id="B"/><bpmn:task id="C"/>
      <bpmn:parallelGateway id="J"/><bpmn:endEvent id="E"/>
      ${flows('S>F', 'F>A', 'F>B', 'F>C', 'A>J', 'B>J', 'C>J', 'J>E')}`));
    expect(h.state.status).toBe('completed');
    const statuses = h.records.filter((r) => r.node === 'J').map((r) => r.status).sort();
    expect(statuses).toEqual(['completed', 'merged', 'merged', 'waiting', 'waiting']);
    expect(h.records.filter((r) => r.node === 'E')).toHaveLength(1);
  });

  it('waits at a user task and completes it with data', async () => {
    const h = await runModel(processXml(`
      <bpmn:startEvent id="S"/><bpmn:userTask id="Review"/><bpmn:endEvent id="E"/>
      ${flows('S>Review', 'Review>E')}`));
    expect(h.summary().waiting).toEqual(['Review']);
    expect(h.userTasks()).toHaveLength(1);
    h.send({ type: 'userTask.completed', node: 'Review', variables: { ok: true }, owner: 'alice' });
    expect(h.state.status).toBe('completed');
    expect(h.vars()).toEqual({ ok: true });
    expect(h.records.find((r) => r.kind === 'intent')?.owner).toBe('alice');
  });

  it('fires a timer catch event when its time comes', async () => {
    const h = await runModel(processXml(`
      <bpmn:startEvent id="S"/><bpmn:intermediateCatchEvent id="W"><bpmn:timerEventDefinition><bpmn:timeDuration>PT10S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent><bpmn:endEvent id="E"/>
      ${flows('S>W', 'W>E')}`));
    expect(h.timers.size).toBe(1);
    h.advance(5000);
    expect(h.state.status).toBe('running');
    h.advance(5000);
    expect(h.state.status).toBe('completed');
  });
});
