import { describe, expect, it } from 'vitest';
import { definitions, flows, processXml } from '../testing/bpmnXml.js';
import { runModel } from '../testing/harness.js';

const timer = (iso: string, kind = 'timeDuration') => `<bpmn:timerEventDefinition><bpmn:${kind}>${iso}</bpmn:${kind}></bpmn:timerEventDefinition>`;
const job = '<bpmn:extensionElements><zeebe:taskDefinition type="work"/></bpmn:extensionElements>';

describe('engine/elements/events', () => {
  it('interrupting timer boundary cancels the task and takes the boundary path', async () => {
    const h = await runModel(processXml(`
      <bpmn:startEvent id="S"/><bpmn:userTask id="T"/><bpmn:boundaryEvent id="B" attachedToRef="T">${timer('PT1M')}</bpmn:boundaryEvent>
      <bpmn:endEvent id="E1"/><bpmn:endEvent id="E2"/>
      ${flows('S>T', 'T>E1', 'B>E2')}`));
    h.advance(60_000);
    expect(h.state.status).toBe('completed');
    expect(h.records.find((r) => r.node === 'T' && r.status === 'cancelled')).toBeTruthy();
    expect(h.visited()).toEqual(['S', 'B', 'E2']);
    expect(h.effects.some((e) => e.type === 'userTask.close')).toBe(true);
  });

  it('non-interrupting timer cycle R3/PT10S fires three times while the task waits', async () => {
    const h = await runModel(processXml(`
      <bpmn:startEvent id="S"/><bpmn:userTask id="T"/><bpmn:boundaryEvent id="B" attachedToRef="T" cancelActivity="false">${timer('R3/PT10S', 'timeCycle')}</bpmn:boundaryEvent>
      <bpmn:task id="Remind"/><bpmn:endEvent id="E1"/><bpmn:endEvent id="E2"/>
      ${flows('S>T', 'T>E1', 'B>Remind', 'Remind>E2')}`));
    h.advance(60_000);
    expect(h.visited().filter((n) => n === 'Remind')).toHaveLength(3);
    expect(h.timers.size).toBe(0);
    h.send({ type: 'userTask.completed', node: 'T' });
    expect(h.state.status).toBe('completed');
  });

  it('a job error is caught by a matching error boundary; an uncaught one is an incident', async () => {
    const xml = definitions(`<bpmn:error id="Err" errorCode="BOOM"/>
      <bpmn:process id="P" isExecutable="true">
      <bpmn:startEvent id="S"/><bpmn:serviceTask id="T">${job}</bpmn:serviceTask>
      <bpmn:boundaryEvent id="B" attachedToRef="T"><bpmn:errorEventDefinition errorRef="Err"/></bpmn:boundaryEvent>
      <bpmn:endEvent id="E1"/><bpmn:endEvent id="E2"/>
      ${flows('S>T', 'T>E1', 'B>E2')}</bpmn:process>`);
    const h = await runModel(xml);
    const [dispatch] = h.jobs();
    h.send({ type: 'job.errorThrown', instance: dispatch!.instance, error: { code: 'BOOM', message: 'it broke' } });
    expect(h.visited()).toEqual(['S', 'B', 'E2']);
    expect(h.records.find((r) => r.node === 'T' && r.status === 'failed')).toBeTruthy();
    const other = await runModel(xml);
    other.send({ type: 'job.errorThrown', instance: other.jobs()[0]!.instance, error: { code: 'OTHER', message: 'no' } });
    expect(other.state.status).toBe('running');
    expect(other.summary().incidents[0]?.message).toMatch(/OTHER/);
  });

  it('an error end event in a sub-process is caught by the boundary on the sub-process', async () => {
    const h = await runModel(definitions(`<bpmn:error id="Err" errorCode="E1"/>
      <bpmn:process id="P" isExecutable="true">
      <bpmn:startEvent id="S"/>
      <bpmn:subProcess id="Sub"><bpmn:startEvent id="SS"/><bpmn:parallelGateway id="F"/><bpmn:userTask id="Wait"/><bpmn:endEvent id="Fail"><bpmn:errorEventDefinition errorRef="Err"/></bpmn:endEvent>
        ${flows('SS>F', 'F>Wait', 'F>Fail')}</bpmn:subProcess>
      <bpmn:boundaryEvent id="Caught" attachedToRef="Sub"><bpmn:errorEventDefinition errorRef="Err"/></bpmn:boundaryEvent>
      <bpmn:endEvent id="E"/><bpmn:endEvent id="EC"/>
      ${flows('S>Sub', 'Sub>E', 'Caught>EC')}</bpmn:process>`));
    expect(h.state.status).toBe('completed');
    expect(h.visited()).toEqual(['S', 'SS', 'F', 'Fail', 'Caught', 'EC']);
    expect(h.records.find((r) => r.node === 'Wait' && r.status === 'cancelled')).toBeTruthy();
  });

  it('an uncaught error end event fails the run naming the element', async () => {
    const h = await runModel(definitions(`<bpmn:error id="Err" errorCode="X"/><bpmn:process id="P" isExecutable="true">
      <bpmn:startEvent id="S"/><bpmn:endEvent id="Fail"><bpmn:errorEventDefinition errorRef="Err"/></bpmn:endEvent>${flows('S>Fail')}</bpmn:process>`));
    expect(h.state.status).toBe('failed');
    expect(h.summary().error?.element).toBe('Fail');
    expect(h.records.at(-1)?.status).toBe('failed');
  });

  it('message catch correlates by name and key', async () => {
    const xml = definitions(`<bpmn:message id="M" name="paid"><bpmn:extensionElements><zeebe:subscription correlationKey="=orderId"/></bpmn:extensionElements></bpmn:message>
      <bpmn:process id="P" isExecutable="true"><bpmn:startEvent id="S"/>
      <bpmn:intermediateCatchEvent id="C"><bpmn:messageEventDefinition messageRef="M"/></bpmn:intermediateCatchEvent><bpmn:endEvent id="E"/>
      ${flows('S>C', 'C>E')}</bpmn:process>`);
    const h = await runModel(xml, { orderId: 'o-7' });
    expect(() => h.send({ type: 'message.correlated', name: 'paid', correlationKey: 'o-8' })).toThrow(/waits for message/);
    h.send({ type: 'message.correlated', name: 'paid', correlationKey: 'o-7', variables: { paid: true } });
    expect(h.state.status).toBe('completed');
    expect(h.vars()).toMatchObject({ paid: true });
  });

  it('signal throw reaches a catch in another branch; link events jump; terminate ends everything', async () => {
    const h = await runModel(definitions(`<bpmn:signal id="Sig" name="go"/>
      <bpmn:process id="P" isExecutable="true"><bpmn:startEvent id="S"/><bpmn:parallelGateway id="F"/>
      <bpmn:intermediateCatchEvent id="Catch"><bpmn:signalEventDefinition signalRef="Sig"/></bpmn:intermediateCatchEvent>
      <bpmn:intermediateThrowEvent id="Throw"><bpmn:signalEventDefinition signalRef="Sig"/></bpmn:intermediateThrowEvent>
      <bpmn:intermediateThrowEvent id="LinkOut"><bpmn:linkEventDefinition name="L"/></bpmn:intermediateThrowEvent>
      <bpmn:intermediateCatchEvent id="LinkIn"><bpmn:linkEventDefinition name="L"/></bpmn:intermediateCatchEvent>
      <bpmn:endEvent id="E1"/><bpmn:endEvent id="E2"/>
      ${flows('S>F', 'F>Catch', 'F>Throw', 'Catch>E1', 'Throw>LinkOut', 'LinkIn>E2')}</bpmn:process>`));
    expect(h.state.status).toBe('completed');
    expect(h.visited()).toEqual(expect.arrayContaining(['Catch', 'Throw', 'LinkOut', 'LinkIn']));
    expect(h.effects.some((e) => e.type === 'signal.publish')).toBe(true);
    const t = await runModel(processXml(`<bpmn:startEvent id="S"/><bpmn:parallelGateway id="F"/><bpmn:userTask id="U"/>
      <bpmn:endEvent id="Stop"><bpmn:terminateEventDefinition/></bpmn:endEvent>${flows('S>F', 'F>U', 'F>Stop')}`));
    expect(t.state.status).toBe('completed');
    expect(t.records.find((r) => r.node === 'U' && r.status === 'cancelled')).toBeTruthy();
  });

  it('escalation from a sub-process reaches a non-interrupting boundary and the sub-process goes on', async () => {
    const h = await runModel(definitions(`<bpmn:escalation id="Esc" escalationCode="LATE"/>
      <bpmn:process id="P" isExecutable="true"><bpmn:startEvent id="S"/>
      <bpmn:subProcess id="Sub"><bpmn:startEvent id="SS"/><bpmn:intermediateThrowEvent id="Up"><bpmn:escalationEventDefinition escalationRef="Esc"/></bpmn:intermediateThrowEvent><bpmn:userTask id="Work"/><bpmn:endEvent id="SE"/>
        ${flows('SS>Up', 'Up>Work', 'Work>SE')}</bpmn:subProcess>
      <bpmn:boundaryEvent id="Notice" attachedToRef="Sub" cancelActivity="false"><bpmn:escalationEventDefinition escalationRef="Esc"/></bpmn:boundaryEvent>
      <bpmn:task id="Tell"/><bpmn:endEvent id="E"/><bpmn:endEvent id="E2"/>
      ${flows('S>Sub', 'Sub>E', 'Notice>Tell', 'Tell>E2')}</bpmn:process>`));
    expect(h.visited()).toEqual(expect.arrayContaining(['Up', 'Notice', 'Tell']));
    expect(h.summary().waiting).toEqual(['Work']);
    h.send({ type: 'userTask.completed', node: 'Work' });
    expect(h.state.status).toBe('completed');
  });

  it('event sub-processes: a non-interrupting message one runs beside; an interrupting timer one ends the scope', async () => {
    const xml = definitions(`<bpmn:message id="M" name="ping"/>
      <bpmn:process id="P" isExecutable="true"><bpmn:startEvent id="S"/><bpmn:userTask id="U"/><bpmn:endEvent id="E"/>
      ${flows('S>U', 'U>E')}
      <bpmn:subProcess id="OnPing" triggeredByEvent="true"><bpmn:startEvent id="PingStart" isInterrupting="false"><bpmn:messageEventDefinition messageRef="M"/></bpmn:startEvent><bpmn:task id="Pong"/><bpmn:endEvent id="PE"/>${flows('PingStart>Pong', 'Pong>PE')}</bpmn:subProcess>
      <bpmn:subProcess id="OnTimeout" triggeredByEvent="true"><bpmn:startEvent id="TStart">${timer('PT1H')}</bpmn:startEvent><bpmn:task id="Expire"/><bpmn:endEvent id="TE"/>${flows('TStart>Expire', 'Expire>TE')}</bpmn:subProcess>
      </bpmn:process>`);
    const h = await runModel(xml);
    h.send({ type: 'message.correlated', name: 'ping' });
    h.send({ type: 'message.correlated', name: 'ping' });
    expect(h.visited().filter((n) => n === 'Pong')).toHaveLength(2);
    expect(h.summary().waiting).toEqual(['U']);
    h.advance(3_600_000);
    expect(h.state.status).toBe('completed');
    expect(h.visited()).toContain('Expire');
    expect(h.records.find((r) => r.node === 'U' && r.status === 'cancelled')).toBeTruthy();
  });
});
