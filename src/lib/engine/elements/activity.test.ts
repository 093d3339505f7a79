import { describe, expect, it } from 'vitest';
import { definitions, flows, processXml } from '../testing/bpmnXml.js';
import { runModel } from '../testing/harness.js';

const command = (attrs: string, ...args: string[]) =>
  `<bpmn:extensionElements><tessera:command ${attrs}>${args.map((a) => `<tessera:arg>${a}</tessera:arg>`).join('')}</tessera:command></bpmn:extensionElements>`;

describe('engine/elements/activity', () => {
  it('dispatches a command job with FEEL arguments and records its result', async () => {
    const h = await runModel(processXml(`<bpmn:startEvent id="S"/>
      <bpmn:serviceTask id="Build">${command('resultVariable="build" timeout="PT5M"', 'npm', 'run', '=target')}</bpmn:serviceTask><bpmn:endEvent id="E"/>
      ${flows('S>Build', 'Build>E')}`), { target: 'test' });
    const [job] = h.jobs();
    expect(job?.payload).toMatchObject({ kind: 'command', command: { args: ['npm', 'run', 'test'], timeoutMs: 300_000 } });
    expect(job?.key).toBe(`run1:${job?.instance}:1`);
    h.send({ type: 'job.completed', instance: job!.instance, result: { exitCode: 0, stdout: 'ok', stderr: '' }, owner: 'runner-1' });
    expect(h.vars()).toMatchObject({ build: { exitCode: 0, stdout: 'ok' } });
    expect(h.state.status).toBe('completed');
    const done = h.records.find((r) => r.node === 'Build' && r.status === 'completed');
    expect(done?.owner).toBe('runner-1');
  });

  it('R8: retries exactly N attempts at the backoff gaps, then one incident; resolving gives new attempts', async () => {
    const h = await runModel(processXml(`<bpmn:startEvent id="S"/>
      <bpmn:serviceTask id="Flaky">${command('retries="3" retryBackoff="PT10S"', 'false')}</bpmn:serviceTask><bpmn:endEvent id="E"/>
      ${flows('S>Flaky', 'Flaky>E')}`));
    const attempts: number[] = [];
    const t0 = h.clock.now;
    for (let i = 0; i < 3; i++) {
      const [job] = h.jobs();
      expect(job).toBeDefined();
      attempts.push(h.clock.now - t0);
      h.send({ type: 'job.failed', instance: job!.instance, error: { message: 'exit 1' } });
      h.advance(10_000);
    }
    expect(attempts).toEqual([0, 10_000, 20_000]);
    expect(h.jobs()).toHaveLength(0);
    const incidents = h.records.filter((r) => r.kind === 'incident');
    expect(incidents.map((r) => r.status)).toEqual(['opened']);
    h.send({ type: 'incident.resolved', incident: incidents[0]!.id });
    const [again] = h.jobs();
    expect(again?.attempt).toBe(4);
    h.send({ type: 'job.completed', instance: again!.instance });
    expect(h.state.status).toBe('completed');
  });

  it('an outcome of an earlier attempt (stale key) is refused and writes nothing', async () => {
    const h = await runModel(processXml(`<bpmn:startEvent id="S"/><bpmn:serviceTask id="T">${command('retries="2"', 'true')}</bpmn:serviceTask>${flows('S>T')}`));
    const first = h.jobs()[0]!;
    h.send({ type: 'job.failed', instance: first.instance, key: first.key, error: { message: 'exit 1' } });
    const second = h.jobs()[0]!;
    expect(second.key).not.toBe(first.key);
    const before = h.records.length;
    expect(() => h.send({ type: 'job.completed', instance: first.instance, key: first.key })).toThrow(/not the current attempt/);
    expect(h.records.length).toBe(before);
    h.send({ type: 'job.completed', instance: first.instance, key: second.key });
    expect(h.state.status).toBe('completed');
  });

  it('a stale completion (wrong instance) is refused and writes nothing', async () => {
    const h = await runModel(processXml(`<bpmn:startEvent id="S"/><bpmn:serviceTask id="T">${command('', 'true')}</bpmn:serviceTask>${flows('S>T')}`));
    const before = h.records.length;
    expect(() => h.send({ type: 'job.completed', instance: 'nope' })).toThrow(/no job is waiting/);
    expect(h.records.length).toBe(before);
  });

  it('FEEL script tasks and io mappings follow Camunda scoping', async () => {
    const h = await runModel(processXml(`<bpmn:startEvent id="S"/>
      <bpmn:scriptTask id="Calc"><bpmn:extensionElements><zeebe:script expression="=price * qty" resultVariable="total"/>
        <zeebe:ioMapping><zeebe:input source="=order.price" target="price"/><zeebe:input source="=order.qty" target="qty"/><zeebe:output source="=total" target="sum"/></zeebe:ioMapping>
      </bpmn:extensionElements></bpmn:scriptTask><bpmn:endEvent id="E"/>
      ${flows('S>Calc', 'Calc>E')}`), { order: { price: 3, qty: 4 } });
    expect(h.vars()).toEqual({ order: { price: 3, qty: 4 }, sum: 12 });
  });

  it('JavaScript script tasks become a job effect', async () => {
    const h = await runModel(processXml(`<bpmn:startEvent id="S"/>
      <bpmn:scriptTask id="Js" scriptFormat="javascript"><bpmn:extensionElements><zeebe:script resultVariable="out"/></bpmn:extensionElements><bpmn:script>return variables.a + 1</bpmn:script></bpmn:scriptTask><bpmn:endEvent id="E"/>
      ${flows('S>Js', 'Js>E')}`), { a: 1 });
    const [job] = h.jobs();
    expect(job?.payload).toMatchObject({ kind: 'script', language: 'javascript' });
    h.send({ type: 'job.completed', instance: job!.instance, result: 2 });
    expect(h.state.status).toBe('completed');
  });

  it('sub-process variables stay local unless defined outside; call activities see copies', async () => {
    const h = await runModel(definitions(`<bpmn:process id="P" isExecutable="true"><bpmn:startEvent id="S"/>
      <bpmn:subProcess id="Sub"><bpmn:extensionElements><zeebe:ioMapping><zeebe:input source="=1" target="inner"/></zeebe:ioMapping></bpmn:extensionElements>
        <bpmn:startEvent id="SS"/><bpmn:userTask id="U"/><bpmn:endEvent id="SE"/>${flows('SS>U', 'U>SE')}</bpmn:subProcess>
      <bpmn:callActivity id="Call"><bpmn:extensionElements><zeebe:calledElement processId="Child"/></bpmn:extensionElements></bpmn:callActivity>
      <bpmn:endEvent id="E"/>${flows('S>Sub', 'Sub>Call', 'Call>E')}</bpmn:process>
      <bpmn:process id="Child" isExecutable="true"><bpmn:startEvent id="CS"/><bpmn:scriptTask id="Double"><bpmn:extensionElements><zeebe:script expression="=x * 2" resultVariable="doubled"/></bpmn:extensionElements></bpmn:scriptTask><bpmn:endEvent id="CE"/>${flows('CS>Double', 'Double>CE')}</bpmn:process>`), { x: 5 });
    h.send({ type: 'userTask.completed', node: 'U', variables: { inner: 2, outer: 'yes' } });
    expect(h.state.status).toBe('completed');
    expect(h.vars()).toEqual({ x: 5, outer: 'yes', doubled: 10 });
  });

  it('standard loop repeats while the condition holds', async () => {
    const h = await runModel(processXml(`<bpmn:startEvent id="S"/>
      <bpmn:scriptTask id="Inc"><bpmn:extensionElements><zeebe:script expression="=n + 1" resultVariable="n"/></bpmn:extensionElements>
        <bpmn:standardLoopCharacteristics><bpmn:loopCondition xsi:type="bpmn:tFormalExpression">=n &lt; 3</bpmn:loopCondition></bpmn:standardLoopCharacteristics></bpmn:scriptTask>
      <bpmn:endEvent id="E"/>${flows('S>Inc', 'Inc>E')}`), { n: 0 });
    expect(h.vars()).toEqual({ n: 3 });
    expect(h.visited()).toEqual(['S', 'Inc', 'Inc', 'Inc', 'E']);
  });

  it('a failed command with an exit code becomes a BPMN error once attempts run out, caught by a boundary', async () => {
    const h = await runModel(definitions(`<bpmn:error id="Err" errorCode="2"/><bpmn:process id="P" isExecutable="true"><bpmn:startEvent id="S"/>
      <bpmn:serviceTask id="Test">${command('retries="2"', 'npm', 'test')}</bpmn:serviceTask>
      <bpmn:boundaryEvent id="Red" attachedToRef="Test"><bpmn:errorEventDefinition errorRef="Err"/></bpmn:boundaryEvent>
      <bpmn:endEvent id="E"/><bpmn:endEvent id="ERed"/>${flows('S>Test', 'Test>E', 'Red>ERed')}</bpmn:process>`));
    h.send({ type: 'job.failed', instance: h.jobs()[0]!.instance, error: { message: 'exit 2', code: '2' } });
    expect(h.jobs()).toHaveLength(1);
    h.send({ type: 'job.failed', instance: h.jobs()[0]!.instance, error: { message: 'exit 2', code: '2' } });
    expect(h.visited()).toEqual(['S', 'Red', 'ERed']);
    expect(h.state.status).toBe('completed');
  });

  it('a jsonOutput command turns the JSON object it printed into variables; other output is an incident', async () => {
    const xml = processXml(`<bpmn:startEvent id="S"/><bpmn:serviceTask id="Probe">${command('jsonOutput="true"', 'node', '-e', 'x')}</bpmn:serviceTask><bpmn:endEvent id="E"/>${flows('S>Probe', 'Probe>E')}`);
    const h = await runModel(xml);
    h.send({ type: 'job.completed', instance: h.jobs()[0]!.instance, result: { exitCode: 0, stdout: '{"version":"1.2.3","ok":true}\n', stderr: '' } });
    expect(h.vars()).toEqual({ version: '1.2.3', ok: true });
    const bad = await runModel(xml);
    bad.send({ type: 'job.completed', instance: bad.jobs()[0]!.instance, result: { exitCode: 0, stdout: 'not json', stderr: '' } });
    expect(bad.summary().incidents[0]?.message).toMatch(/jsonOutput/);
  });
});
