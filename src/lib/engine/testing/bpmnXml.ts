/** Test helpers: a BPMN document around process content, and terse sequence flows. */

/** Wraps process XML (one or more `<bpmn:process>` bodies) in definitions with our namespaces. */
export function definitions(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:tessera="urn:tessera:bpmn:1"
  id="defs" targetNamespace="urn:test">
${body}
</bpmn:definitions>`;
}

/** One executable process with the given content. */
export function processXml(content: string, id = 'P'): string {
  return definitions(`<bpmn:process id="${id}" isExecutable="true">\n${content}\n</bpmn:process>`);
}

/** `flows('a>b', 'b>c:x = 1')`: sequence flows named f_<source>_<target>, optionally conditional. */
export function flows(...specs: string[]): string {
  return specs
    .map((spec) => {
      const [path, condition] = spec.split(/:(.*)/s);
      const [source, target] = path!.split('>');
      const id = `f_${source}_${target}`;
      const body = condition ? `<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${escapeXml(condition.trim())}</bpmn:conditionExpression>` : '';
      return `<bpmn:sequenceFlow id="${id}" sourceRef="${source}" targetRef="${target}">${body}</bpmn:sequenceFlow>`;
    })
    .join('\n');
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
