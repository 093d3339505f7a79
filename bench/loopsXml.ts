/** The live-view benchmark's diagram (bench/analytics.bench.ts), shared with ad-hoc profiling scripts. */

/** BRANCHES parallel loops of (merge → 100 ms timer → TASKS tasks → back), with DI so the live view has shapes. */
export function loopsXml(branches: number, tasks: number): string {
  const mid = (branches * 80) / 2;
  const nodes: string[] = ['<bpmn:startEvent id="S"/>', '<bpmn:parallelGateway id="Fork"/>'];
  const flows: string[] = ['<bpmn:sequenceFlow id="f_s" sourceRef="S" targetRef="Fork"/>'];
  const shapes: string[] = [
    `<bpmndi:BPMNShape id="S_di" bpmnElement="S"><dc:Bounds x="20" y="${mid - 18}" width="36" height="36"/></bpmndi:BPMNShape>`,
    `<bpmndi:BPMNShape id="Fork_di" bpmnElement="Fork"><dc:Bounds x="100" y="${mid - 25}" width="50" height="50"/></bpmndi:BPMNShape>`
  ];
  const edges: string[] = [
    `<bpmndi:BPMNEdge id="f_s_di" bpmnElement="f_s"><di:waypoint x="56" y="${mid}"/><di:waypoint x="100" y="${mid}"/></bpmndi:BPMNEdge>`
  ];
  for (let i = 0; i < branches; i++) {
    const y = i * 80 + 40;
    const chain = [`X${i}`, `T${i}`, ...Array.from({ length: tasks }, (_, j) => `A${i}_${j}`)];
    const xOf = (k: number) => 220 + k * 80;
    nodes.push(`<bpmn:exclusiveGateway id="X${i}"/>`);
    nodes.push(
      `<bpmn:intermediateCatchEvent id="T${i}"><bpmn:timerEventDefinition><bpmn:timeDuration>PT0.1S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>`
    );
    for (let j = 0; j < tasks; j++) nodes.push(`<bpmn:task id="A${i}_${j}"/>`);
    flows.push(`<bpmn:sequenceFlow id="fa${i}" sourceRef="Fork" targetRef="X${i}"/>`);
    edges.push(`<bpmndi:BPMNEdge id="fa${i}_di" bpmnElement="fa${i}"><di:waypoint x="125" y="${mid}"/><di:waypoint x="125" y="${y}"/><di:waypoint x="220" y="${y}"/></bpmndi:BPMNEdge>`);
    chain.forEach((id, k) => {
      const w = k === 0 ? 50 : k === 1 ? 36 : 50;
      const h = k === 0 ? 50 : k === 1 ? 36 : 40;
      shapes.push(`<bpmndi:BPMNShape id="${id}_di" bpmnElement="${id}"><dc:Bounds x="${xOf(k)}" y="${y - h / 2}" width="${w}" height="${h}"/></bpmndi:BPMNShape>`);
      const next = chain[k + 1];
      const fid = `fl${i}_${k}`;
      if (next) {
        flows.push(`<bpmn:sequenceFlow id="${fid}" sourceRef="${id}" targetRef="${next}"/>`);
        edges.push(`<bpmndi:BPMNEdge id="${fid}_di" bpmnElement="${fid}"><di:waypoint x="${xOf(k) + w}" y="${y}"/><di:waypoint x="${xOf(k + 1)}" y="${y}"/></bpmndi:BPMNEdge>`);
      } else {
        flows.push(`<bpmn:sequenceFlow id="${fid}" sourceRef="${id}" targetRef="X${i}"/>`);
        edges.push(
          `<bpmndi:BPMNEdge id="${fid}_di" bpmnElement="${fid}"><di:waypoint x="${xOf(k) + 25}" y="${y + 20}"/><di:waypoint x="${xOf(k) + 25}" y="${y + 34}"/><di:waypoint x="245" y="${y + 34}"/><di:waypoint x="245" y="${y + 25}"/></bpmndi:BPMNEdge>`
        );
      }
    });
  }
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
  xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" id="Defs" targetNamespace="urn:tessera:bench">
  <bpmn:process id="Loops" isExecutable="true">${nodes.join('')}${flows.join('')}</bpmn:process>
  <bpmndi:BPMNDiagram id="D"><bpmndi:BPMNPlane id="P" bpmnElement="Loops">${shapes.join('')}${edges.join('')}</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>`;
}
