import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { elementsOf, readElement } from './doc.js';
import { generateXml } from './generateXml.js';
import { addShape, connect, renameId, setCondition } from './modelOps.js';
import { seedFromXml } from './seedFromXml.js';

const BLANK = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" id="Definitions_1" targetNamespace="urn:t">
  <bpmn:process id="Process_1"><bpmn:startEvent id="StartEvent_1" /></bpmn:process>
  <bpmndi:BPMNDiagram id="D1"><bpmndi:BPMNPlane id="P1" bpmnElement="Process_1">
    <bpmndi:BPMNShape id="StartEvent_1_di" bpmnElement="StartEvent_1"><dc:Bounds x="100" y="100" width="36" height="36" /></bpmndi:BPMNShape>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>`;

describe('sync/doc renameEntry (an id edit)', () => {
  it('moves the entry and rewrites ends, parents and {ref}s: the XML has the new id everywhere', async () => {
    const doc = new Y.Doc();
    await seedFromXml(doc, BLANK);
    addShape(doc, 'Gateway_1', { type: 'bpmn:ExclusiveGateway', parent: 'Process_1', bounds: { x: 200, y: 93, width: 50, height: 50 } });
    addShape(doc, 'Task_1', { type: 'bpmn:Task', parent: 'Process_1', bounds: { x: 300, y: 78, width: 100, height: 80 } });
    connect(doc, 'Flow_1', 'StartEvent_1', 'Gateway_1');
    connect(doc, 'Flow_2', 'Gateway_1', 'Task_1');
    setCondition(doc, 'Flow_2', '=ok');
    doc.transact(() => elementsOf(doc).get('Gateway_1')!.get('props') instanceof Y.Map && (elementsOf(doc).get('Gateway_1')!.get('props') as Y.Map<unknown>).set('default', { ref: 'Flow_2' }));
    // when the gateway's id and then the default flow's id are edited
    renameId(doc, 'Gateway_1', 'Gateway_Check');
    renameId(doc, 'Flow_2', 'Flow_Ok');
    // then nothing refers to the old ids
    expect(elementsOf(doc).has('Gateway_1')).toBe(false);
    expect(readElement(elementsOf(doc).get('Flow_1')!).target).toBe('Gateway_Check');
    expect(readElement(elementsOf(doc).get('Gateway_Check')!).props.default).toEqual({ ref: 'Flow_Ok' });
    const xml = await generateXml(doc);
    expect(xml).not.toMatch(/Gateway_1"|Flow_2"/);
    expect(xml).toContain('<bpmn:exclusiveGateway id="Gateway_Check" default="Flow_Ok">');
    expect(xml).toContain('sourceRef="Gateway_Check" targetRef="Task_1"');
  });
});
