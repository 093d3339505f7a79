import { BpmnModdle } from 'bpmn-moddle';
import { describe, expect, it } from 'vitest';
import { lintDefinitions } from './lintDefinitions.js';

const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="urn:x">
  <bpmn:process id="P" isExecutable="true">
    <bpmn:startEvent id="Start" name="Start"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:task id="Work" name="Work"><bpmn:incoming>F1</bpmn:incoming><bpmn:outgoing>F2</bpmn:outgoing></bpmn:task>
    <bpmn:endEvent id="End" name="End"><bpmn:incoming>F2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Work" />
    <bpmn:sequenceFlow id="F2" sourceRef="Work" targetRef="End" />
  </bpmn:process>
</bpmn:definitions>`;

describe('lintDefinitions', () => {
  it('finds nothing in a clean process, however often it is linted (no rule state left from the last run)', async () => {
    const { rootElement } = await new BpmnModdle().fromXML(xml);
    expect(await lintDefinitions(rootElement)).toEqual([]);
    expect(await lintDefinitions(rootElement)).toEqual([]);
  });

  it('reports a real duplicate flow as an error on the flow', async () => {
    const { rootElement } = await new BpmnModdle().fromXML(xml.replace('</bpmn:process>', '<bpmn:sequenceFlow id="F3" sourceRef="Work" targetRef="End" /></bpmn:process>'));
    const issues = await lintDefinitions(rootElement);
    expect(issues).toContainEqual({ element: 'F3', message: 'SequenceFlow is a duplicate', severity: 'error' });
  });
});
