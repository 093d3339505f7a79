import { describe, expect, it } from 'vitest';
import { flows, processXml } from '../testing/bpmnXml.js';
import { runModel } from '../testing/harness.js';

const mi = (sequential: boolean, extra = '') => `<bpmn:multiInstanceLoopCharacteristics isSequential="${sequential}">
  <bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=items" inputElement="item" outputCollection="results" outputElement="=result"/></bpmn:extensionElements>${extra}
</bpmn:multiInstanceLoopCharacteristics>`;

describe('engine/elements/multiInstance', () => {
  it('parallel: one inner instance per item, outputs collected in order whatever the completion order', async () => {
    const h = await runModel(processXml(`<bpmn:startEvent id="S"/><bpmn:userTask id="Train">${mi(false)}</bpmn:userTask><bpmn:endEvent id="E"/>${flows('S>Train', 'Train>E')}`), { items: [1, 2, 3] });
    const tasks = h.userTasks();
    expect(tasks.map((t) => t.variables['item'])).toEqual([1, 2, 3]);
    h.send({ type: 'userTask.completed', instance: tasks[2]!.instance, variables: { result: 'c' } });
    h.send({ type: 'userTask.completed', instance: tasks[0]!.instance, variables: { result: 'a' } });
    h.send({ type: 'userTask.completed', instance: tasks[1]!.instance, variables: { result: 'b' } });
    expect(h.state.status).toBe('completed');
    expect(h.vars()).toEqual({ items: [1, 2, 3], results: ['a', 'b', 'c'] });
    expect(h.visited()).toEqual(['S', 'Train', 'Train', 'Train', 'E']);
  });

  it('sequential: one at a time; completion condition stops early', async () => {
    const h = await runModel(processXml(`<bpmn:startEvent id="S"/>
      <bpmn:scriptTask id="Eval"><bpmn:extensionElements><zeebe:script expression="=item * 10" resultVariable="result"/></bpmn:extensionElements>${mi(true, '<bpmn:completionCondition xsi:type="bpmn:tFormalExpression">=numberOfCompletedInstances &gt;= 2</bpmn:completionCondition>')}</bpmn:scriptTask>
      <bpmn:endEvent id="E"/>${flows('S>Eval', 'Eval>E')}`), { items: [1, 2, 3, 4] });
    expect(h.state.status).toBe('completed');
    expect(h.vars()['results']).toEqual([10, 20, null, null]);
  });

  it('an empty collection completes at once; a non-list is an incident', async () => {
    const xml = processXml(`<bpmn:startEvent id="S"/><bpmn:task id="T">${mi(false)}</bpmn:task><bpmn:endEvent id="E"/>${flows('S>T', 'T>E')}`);
    expect((await runModel(xml, { items: [] })).vars()).toEqual({ items: [], results: [] });
    const bad = await runModel(xml, { items: 5 });
    expect(bad.summary().incidents[0]?.message).toMatch(/not a list/);
  });

  it('an output element expression sees the inner result even when it is not a plain variable', async () => {
    const loop = `<bpmn:multiInstanceLoopCharacteristics isSequential="false"><bpmn:extensionElements>
      <zeebe:loopCharacteristics inputCollection="=items" inputElement="item" outputCollection="scores" outputElement="={lr: item, score: run.score}"/></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>`;
    const h = await runModel(processXml(`<bpmn:startEvent id="S"/><bpmn:userTask id="Train">${loop}</bpmn:userTask><bpmn:endEvent id="E"/>${flows('S>Train', 'Train>E')}`), { items: [0.1, 0.01] });
    for (const [i, task] of h.userTasks().entries()) h.send({ type: 'userTask.completed', instance: task.instance, variables: { run: { score: i + 1 } } });
    expect(h.state.status).toBe('completed');
    expect(h.vars()['scores']).toEqual([{ lr: 0.1, score: 1 }, { lr: 0.01, score: 2 }]);
  });
});
