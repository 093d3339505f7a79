/** The flow elements of a BPMN document (id and name), for picking breakpoints. */

const FLOW_NODES = new Set([
  'startEvent', 'endEvent', 'intermediateCatchEvent', 'intermediateThrowEvent', 'boundaryEvent',
  'task', 'userTask', 'serviceTask', 'scriptTask', 'sendTask', 'receiveTask', 'manualTask', 'businessRuleTask',
  'subProcess', 'callActivity', 'exclusiveGateway', 'parallelGateway', 'inclusiveGateway', 'eventBasedGateway'
]);

/** Flow nodes in document order; an unnamed one goes by its id. */
export function flowElements(xml: string): { id: string; name: string }[] {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  return Array.from(doc.getElementsByTagName('*'))
    .filter((el) => FLOW_NODES.has(el.localName) && el.getAttribute('id'))
    .map((el) => ({ id: el.getAttribute('id')!, name: el.getAttribute('name') || el.getAttribute('id')! }));
}
