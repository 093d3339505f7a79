import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile } from './compile.js';
import type { ProcessDefinition, ProcessModel } from './model.js';

const FIXTURE = join(process.cwd(), 'tests', 'fixtures', 'compile-coverage.bpmn');

describe('engine/definition/compile', () => {
  let model: ProcessModel;
  let order: ProcessDefinition;
  let shipping: ProcessDefinition;

  beforeAll(async () => {
    model = await compile(readFileSync(FIXTURE, 'utf8'));
    order = model.processes['Order']!;
    shipping = model.processes['Shipping']!;
  });

  it('given a collaboration then executable processes are compiled in order and non-executable ones skipped', () => {
    expect(Object.keys(model.processes)).toEqual(['Order', 'Shipping']);
    expect(model.mainProcess).toBe('Order');
    expect(model.xmlSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('given a hash option then it hashes the XML with it', async () => {
    const custom = await compile(readFileSync(FIXTURE, 'utf8'), { sha256: (text) => `len:${text.length}` });
    expect(custom.xmlSha256).toMatch(/^len:\d+$/);
  });

  it('given the result then it is deeply frozen', () => {
    expect(Object.isFrozen(model)).toBe(true);
    expect(Object.isFrozen(order.nodes['Build']!.outgoing)).toBe(true);
    expect(Object.isFrozen(order.nodes['Build']!.job)).toBe(true);
  });

  it('given lanes, artifacts and data objects then they are not nodes', () => {
    for (const id of ['Lane_A', 'Note', 'Assoc', 'DataRef', 'Data']) expect(order.nodes[id]).toBeUndefined();
  });

  it('given a start event with a tessera:form then its fields are read', () => {
    expect(order.nodes['Start']).toMatchObject({
      type: 'startEvent',
      name: 'Order placed',
      event: { type: 'none' },
      outgoing: ['f_start_build'],
      formFields: [
        { key: 'amount', label: 'Amount', type: 'number', required: true, default: '10' },
        { key: 'tier', label: 'tier', type: 'enum', required: false, values: ['gold', 'silver'] }
      ]
    });
  });

  it('given a tessera:command then the job is the argv, env and retry policy', () => {
    expect(order.nodes['Build']!.job).toMatchObject({
      kind: 'command',
      command: {
        args: [{ literal: 'npm' }, { literal: 'run' }, { expr: { feel: 'target', origin: 'tessera:arg' } }],
        env: [
          { name: 'CI', value: { literal: 'true' } },
          { name: 'TOKEN', value: { expr: { feel: 'secrets.NPM', origin: 'tessera:env' } } }
        ],
        retries: 2,
        cwd: '/repo',
        timeout: 'PT5M',
        retryBackoff: 'PT10S',
        resultVariable: 'build'
      }
    });
  });

  it('given zeebe:ioMapping then sources are FEEL and a static source is a string literal', () => {
    expect(order.nodes['Build']!.io).toMatchObject({
      inputs: [
        { source: { feel: 'order.id', origin: 'zeebe:input orderId' }, target: 'orderId' },
        { source: { feel: '"static"', origin: 'zeebe:input mode' }, target: 'mode' }
      ],
      outputs: [{ source: { feel: 'build.exitCode', origin: 'zeebe:output exitCode' }, target: 'exitCode' }]
    });
  });

  it('given boundary events then they name their host, which lists them', () => {
    expect(order.nodes['Build']!.boundaryEvents).toEqual(['BuildFailed', 'BuildSlow']);
    expect(order.nodes['BuildFailed']).toMatchObject({
      attachedTo: 'Build',
      cancelActivity: true,
      event: { type: 'error', errorCode: 'BUILD_FAILED', errorMessage: 'Build failed' }
    });
    expect(order.nodes['BuildSlow']).toMatchObject({
      attachedTo: 'Build',
      cancelActivity: false,
      event: { type: 'timer', timer: { kind: 'duration', value: { literal: 'PT2M' } } }
    });
  });

  it('given a tessera:http then the job has method, url, headers and body', () => {
    expect(order.nodes['Notify']!.job).toMatchObject({
      kind: 'http',
      http: {
        method: 'POST',
        url: { expr: { feel: 'hook.url', origin: 'url' } },
        headers: [{ name: 'Content-Type', value: { literal: 'application/json' } }],
        body: { expr: { feel: '{ "text": "slow build" }', origin: 'tessera:body' } },
        timeout: 'PT30S',
        resultVariable: 'resp'
      }
    });
  });

  it('given a gateway with a default and a condition then both are compiled', () => {
    expect(order.nodes['Gw']).toMatchObject({ defaultFlow: 'f_small', outgoing: ['f_big', 'f_small'] });
    expect(order.flows['f_big']).toMatchObject({
      id: 'f_big',
      source: 'Gw',
      target: 'Review',
      condition: { feel: 'amount > 100', origin: 'conditionExpression' }
    });
    expect(order.nodes['Join']!.incoming).toEqual(['f_small', 'f_review_join']);
  });

  it('given a user task then assignment and the embedded form are read', () => {
    expect(order.nodes['Review']!.userTask).toMatchObject({
      assignee: { expr: { feel: 'initiator', origin: 'assignee' } },
      candidateGroups: { literal: 'finance' },
      formFields: [],
      formSchema: '{"components":[{"key":"approved","type":"checkbox"}]}'
    });
  });

  it('given a multi-instance sub-process then its loop and scope are compiled', () => {
    expect(order.nodes['Items']!.loop).toMatchObject({
      kind: 'multiInstance',
      sequential: true,
      inputCollection: { feel: 'order.items', origin: 'inputCollection' },
      inputElement: 'item',
      outputCollection: 'results',
      outputElement: { feel: 'result', origin: 'outputElement' },
      completionCondition: { feel: 'result = "stop"', origin: 'completionCondition' }
    });
    expect(order.scopes['Items']).toEqual({
      id: 'Items',
      parent: 'Order',
      nodes: ['ItemStart', 'Price', 'ItemEnd'],
      startEvents: ['ItemStart'],
      eventSubProcesses: []
    });
    expect(order.nodes['Price']).toMatchObject({
      scope: 'Items',
      script: { language: 'feel', source: 'item.price * 2', resultVariable: 'result' }
    });
  });

  it('given message and timer catch events then names, keys and timers are resolved', () => {
    expect(order.nodes['Paid']!.event).toMatchObject({
      type: 'message',
      messageName: 'payment received',
      correlationKey: { feel: 'orderId', origin: 'correlationKey' }
    });
    expect(order.nodes['PayTimeout']!.event).toEqual({
      type: 'timer',
      timer: { kind: 'date', value: { literal: '2026-01-01T10:00:00Z' } }
    });
  });

  it('given end events then terminate and escalation are compiled', () => {
    expect(order.nodes['EndFailed']!.event).toEqual({ type: 'terminate' });
    expect(order.nodes['Late']!.event).toEqual({ type: 'escalation', escalationCode: 'LATE' });
  });

  it('given a call activity then it names the called process and variable propagation', () => {
    expect(order.nodes['Ship']).toMatchObject({ calledElement: 'Shipping', propagateAllChildVariables: false });
  });

  it('given an event sub-process then the scope lists it and its start event interrupts or not', () => {
    expect(order.scopes['Order']).toMatchObject({ startEvents: ['Start'], eventSubProcesses: ['OnCancel'] });
    expect(order.scopes['Order']!.parent).toBeUndefined();
    expect(order.nodes['OnCancel']).toMatchObject({ type: 'subProcess', triggeredByEvent: true });
    expect(order.scopes['OnCancel']).toMatchObject({ parent: 'Order', startEvents: ['CancelStart'] });
    expect(order.nodes['CancelStart']).toMatchObject({ interrupting: false, event: { type: 'signal', signalName: 'cancel all' } });
  });

  it('given a standard loop then condition, testBefore and maximum are read', () => {
    expect(shipping.nodes['Pack']!.loop).toMatchObject({
      kind: 'standardLoop',
      testBefore: true,
      loopMaximum: 5,
      loopCondition: { feel: 'packed != true', origin: 'loopCondition' }
    });
  });

  it('given a bpmn:script in javascript then the script is JavaScript source', () => {
    expect(shipping.nodes['Log']!.script).toEqual({ language: 'javascript', source: 'return 1 + 1;' });
  });

  it('given a business rule task with a zeebe:taskDefinition then it is a typed job with headers', () => {
    expect(shipping.nodes['Rate']!.job).toMatchObject({
      kind: 'type',
      type: { expr: { feel: '"rate-" + region', origin: 'zeebe:taskDefinition type' } },
      retries: 5,
      headers: { model: 'v2' }
    });
  });

  it('given a receive task then its message is in event', () => {
    expect(shipping.nodes['Dock']).toMatchObject({
      type: 'receiveTask',
      outgoing: [],
      event: { type: 'message', messageName: 'payment received', correlationKey: { feel: 'orderId' } }
    });
  });
});
