import { describe, expect, it } from 'vitest';
import { flows, processXml } from '../testing/bpmnXml.js';
import { runModel } from '../testing/harness.js';

describe('engine/elements/gateways', () => {
  const inclusive = processXml(`
    <bpmn:startEvent id="S"/><bpmn:inclusiveGateway id="Split" default="f_Split_C"/>
    <bpmn:userTask id="A"/><bpmn:userTask id="B"/><bpmn:task id="C"/>
    <bpmn:inclusiveGateway id="Join"/><bpmn:endEvent id="E"/>
    ${flows('S>Split', 'Split>A:=a', 'Split>B:=b', 'Split>C', 'A>Join', 'B>Join', 'C>Join', 'Join>E')}`);

  it('inclusive join waits while a token can still reach it, then fires once', async () => {
    const h = await runModel(inclusive, { a: true, b: true });
    expect(h.summary().waiting).toEqual(['A', 'B']);
    h.send({ type: 'userTask.completed', node: 'A' });
    expect(h.state.status).toBe('running');
    expect(h.records.filter((r) => r.node === 'Join').map((r) => r.status)).toEqual(['waiting']);
    h.send({ type: 'userTask.completed', node: 'B' });
    expect(h.state.status).toBe('completed');
    expect(h.records.filter((r) => r.node === 'E')).toHaveLength(1);
  });

  it('inclusive join fires at once for a single taken branch; default flow when nothing holds', async () => {
    const one = await runModel(inclusive, { a: true, b: false });
    one.send({ type: 'userTask.completed', node: 'A' });
    expect(one.state.status).toBe('completed');
    const none = await runModel(inclusive, { a: false, b: false });
    expect(none.visited()).toEqual(['S', 'Split', 'C', 'Join', 'E']);
  });

  it('inclusive join fires when the other branch ends elsewhere', async () => {
    const h = await runModel(processXml(`
      <bpmn:startEvent id="S"/><bpmn:inclusiveGateway id="Split"/>
      <bpmn:userTask id="A"/><bpmn:userTask id="B"/><bpmn:exclusiveGateway id="X"/><bpmn:endEvent id="Out"/>
      <bpmn:inclusiveGateway id="Join"/><bpmn:endEvent id="E"/>
      ${flows('S>Split', 'Split>A:=true', 'Split>B:=true', 'A>Join', 'B>X', 'X>Out:=leave', 'X>Join:=not(leave)', 'Join>E')}`), { leave: true });
    h.send({ type: 'userTask.completed', node: 'A' });
    expect(h.state.status).toBe('running');
    h.send({ type: 'userTask.completed', node: 'B' });
    expect(h.state.status).toBe('completed');
    expect(h.records.filter((r) => r.node === 'E')).toHaveLength(1);
  });

  it('exclusive gateway without a true condition and without default opens an incident', async () => {
    const h = await runModel(processXml(`
      <bpmn:startEvent id="S"/><bpmn:exclusiveGateway id="G"/><bpmn:task id="A"/><bpmn:endEvent id="E"/>
      ${flows('S>G', 'G>A:=x > 1', 'A>E')}`), { x: 0 });
    expect(h.summary().incidents[0]?.message).toMatch(/no condition/);
    expect(h.summary().incidents[0]?.element).toBe('G');
  });

  it('event-based gateway: the first event wins and the others are withdrawn', async () => {
    const xml = processXml(`
      <bpmn:startEvent id="S"/><bpmn:eventBasedGateway id="G"/>
      <bpmn:intermediateCatchEvent id="Paid"><bpmn:messageEventDefinition messageRef="M"/></bpmn:intermediateCatchEvent>
      <bpmn:intermediateCatchEvent id="Late"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      <bpmn:endEvent id="E1"/><bpmn:endEvent id="E2"/>
      ${flows('S>G', 'G>Paid', 'G>Late', 'Paid>E1', 'Late>E2')}`).replace('<bpmn:process', '<bpmn:message id="M" name="paid"/><bpmn:process');
    const h = await runModel(xml);
    expect(h.timers.size).toBe(1);
    h.send({ type: 'message.correlated', name: 'paid', variables: { amount: 3 } });
    expect(h.state.status).toBe('completed');
    expect(h.timers.size).toBe(0);
    expect(h.visited()).toEqual(['S', 'G', 'Paid', 'E1']);
    expect(h.vars()).toEqual({ amount: 3 });
    const t = await runModel(xml);
    t.advance(3_600_000);
    expect(t.visited()).toEqual(['S', 'G', 'Late', 'E2']);
    expect(() => t.send({ type: 'message.correlated', name: 'paid' })).toThrow(/not-running|completed/);
  });
});
