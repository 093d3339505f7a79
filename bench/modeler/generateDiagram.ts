/** A generated diagram of about `elements` BPMN elements (flow nodes + sequence flows) with DI, in a snake of rows. */
export function generateDiagram(elements: number): string {
  const nodes = Math.max(2, Math.ceil(elements / 2));
  const perRow = 25;
  const at = (i: number) => {
    const row = Math.floor(i / perRow);
    const col = row % 2 === 0 ? i % perRow : perRow - 1 - (i % perRow);
    return { x: 100 + col * 160, y: 100 + row * 140 };
  };
  const id = (i: number) => (i === 0 ? 'Start' : i === nodes - 1 ? 'End' : `Task_${i}`);
  const semantic: string[] = [];
  const di: string[] = [];
  for (let i = 0; i < nodes; i++) {
    const { x, y } = at(i);
    if (i === 0 || i === nodes - 1) {
      const tag = i === 0 ? 'startEvent' : 'endEvent';
      semantic.push(`<bpmn:${tag} id="${id(i)}"/>`);
      di.push(`<bpmndi:BPMNShape id="${id(i)}_di" bpmnElement="${id(i)}"><dc:Bounds x="${x + 32}" y="${y + 22}" width="36" height="36"/></bpmndi:BPMNShape>`);
    } else {
      semantic.push(`<bpmn:task id="${id(i)}" name="Task ${i}"/>`);
      di.push(`<bpmndi:BPMNShape id="${id(i)}_di" bpmnElement="${id(i)}"><dc:Bounds x="${x}" y="${y}" width="100" height="80"/></bpmndi:BPMNShape>`);
    }
  }
  for (let i = 1; i < nodes; i++) {
    const flow = `Flow_${i}`;
    semantic.push(`<bpmn:sequenceFlow id="${flow}" sourceRef="${id(i - 1)}" targetRef="${id(i)}"/>`);
    const a = at(i - 1);
    const b = at(i);
    const points = a.y === b.y ? [[a.x + (b.x > a.x ? 100 : 0), a.y + 40], [b.x + (b.x > a.x ? 0 : 100), b.y + 40]] : [[a.x + 50, a.y + 80], [b.x + 50, b.y]];
    di.push(`<bpmndi:BPMNEdge id="${flow}_di" bpmnElement="${flow}">${points.map(([x, y]) => `<di:waypoint x="${x}" y="${y}"/>`).join('')}</bpmndi:BPMNEdge>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" id="Defs_Bench" targetNamespace="urn:tessera:bench">
<bpmn:process id="Bench" isExecutable="true">${semantic.join('')}</bpmn:process>
<bpmndi:BPMNDiagram id="D"><bpmndi:BPMNPlane id="P" bpmnElement="Bench">${di.join('')}</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>`;
}
