/**
 * The Tessera editor: bpmn-js's Modeler (palette, context pad, keyboard on the canvas, drill-down
 * into sub-processes) plus the minimap (rebuilt after an import's first paint), longer ids and
 * our problem markers (engine and bpmnlint problems, see lint/lintDefinitions.ts), with the
 * `tessera:` and `zeebe:` moddle extensions.
 */
import Modeler from 'bpmn-js/lib/Modeler';
import { moddleExtensions } from './moddleExtensions.js';
import idEntropyModule from './features/id-entropy/index.js';
import problemMarkersModule from './features/problem-markers/index.js';
import minimapAfterPaintModule from './features/minimap-after-paint/index.js';

export function createModeler(container: HTMLElement): Modeler {
  return new Modeler({
    container,
    moddleExtensions,
    additionalModules: [idEntropyModule, minimapAfterPaintModule, problemMarkersModule]
  });
}

/** A new, empty diagram: one executable process with a start event. */
export function blankDiagram(id: string, name: string): string {
  const processId = `Process_${id.replace(/[^A-Za-z0-9_]/g, '').slice(0, 12) || 'main'}`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:tessera="urn:tessera:bpmn:1" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Definitions_${processId}" targetNamespace="urn:tessera:diagrams">
  <bpmn:process id="${processId}" name="${escapeXml(name)}" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1" name="Start" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="BPMNDiagram_1">
    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="${processId}">
      <bpmndi:BPMNShape id="StartEvent_1_di" bpmnElement="StartEvent_1">
        <dc:Bounds x="180" y="160" width="36" height="36" />
      </bpmndi:BPMNShape>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
