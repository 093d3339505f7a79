import { describe, expect, it } from 'vitest';
import { compile } from './definition/compile.js';
import { definitions, flows, processXml } from './testing/bpmnXml.js';
import { startTriggers } from './startEvents.js';

describe('engine/startEvents', () => {
  it('lists none, timer and message start events with when they fire', async () => {
    const model = await compile(definitions(`<bpmn:message id="M" name="order"/><bpmn:process id="P" isExecutable="true">
      <bpmn:startEvent id="Plain"/><bpmn:startEvent id="Nightly"><bpmn:timerEventDefinition><bpmn:timeCycle>R/PT24H</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
      <bpmn:startEvent id="OnOrder"><bpmn:messageEventDefinition messageRef="M"/></bpmn:startEvent><bpmn:endEvent id="E"/>
      ${flows('Plain>E', 'Nightly>E', 'OnOrder>E')}</bpmn:process>`));
    const now = Date.UTC(2025, 0, 1);
    expect(startTriggers(model, 'P', now)).toEqual([
      { kind: 'none', startEvent: 'Plain' },
      { kind: 'timer', startEvent: 'Nightly', dueAt: now + 86_400_000, repeat: { remaining: null, intervalMs: 86_400_000 } },
      { kind: 'message', startEvent: 'OnOrder', messageName: 'order' }
    ]);
  });
  it('gives a timer date start its date', async () => {
    const model = await compile(processXml(`<bpmn:startEvent id="At"><bpmn:timerEventDefinition><bpmn:timeDate>2030-01-01T00:00:00Z</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:startEvent><bpmn:endEvent id="E"/>${flows('At>E')}`));
    expect(startTriggers(model, 'P', 0)).toEqual([{ kind: 'timer', startEvent: 'At', dueAt: Date.UTC(2030, 0, 1) }]);
  });
});
