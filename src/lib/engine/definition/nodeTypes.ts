/** Which moddle flow elements become which executable node, which are refused and which ignored. */
import { NodeType } from './model.js';

/** moddle `$type` → executable node type. */
export const NODE_TYPES: Readonly<Record<string, NodeType>> = {
  'bpmn:StartEvent': NodeType.startEvent,
  'bpmn:EndEvent': NodeType.endEvent,
  'bpmn:IntermediateCatchEvent': NodeType.intermediateCatchEvent,
  'bpmn:IntermediateThrowEvent': NodeType.intermediateThrowEvent,
  'bpmn:BoundaryEvent': NodeType.boundaryEvent,
  'bpmn:Task': NodeType.task,
  'bpmn:ManualTask': NodeType.manualTask,
  'bpmn:ServiceTask': NodeType.serviceTask,
  'bpmn:SendTask': NodeType.sendTask,
  'bpmn:ReceiveTask': NodeType.receiveTask,
  'bpmn:ScriptTask': NodeType.scriptTask,
  'bpmn:UserTask': NodeType.userTask,
  'bpmn:BusinessRuleTask': NodeType.businessRuleTask,
  'bpmn:ExclusiveGateway': NodeType.exclusiveGateway,
  'bpmn:ParallelGateway': NodeType.parallelGateway,
  'bpmn:InclusiveGateway': NodeType.inclusiveGateway,
  'bpmn:EventBasedGateway': NodeType.eventBasedGateway,
  'bpmn:SubProcess': NodeType.subProcess,
  'bpmn:CallActivity': NodeType.callActivity
};

/** Flow nodes the engine cannot execute, with what the problem says. */
export const REFUSED: Readonly<Record<string, string>> = {
  'bpmn:ComplexGateway': 'complex gateways are not supported',
  'bpmn:Transaction': 'transaction sub-processes are not supported',
  'bpmn:AdHocSubProcess': 'ad-hoc sub-processes are not supported'
};

/** Data and choreography elements: they carry no tokens, so compile passes over them. */
export const IGNORED: ReadonlySet<string> = new Set([
  'bpmn:DataObject',
  'bpmn:DataObjectReference',
  'bpmn:DataStoreReference',
  'bpmn:CallChoreography',
  'bpmn:ChoreographyTask',
  'bpmn:SubChoreography'
]);

const ACTIVITIES: ReadonlySet<NodeType> = new Set([
  NodeType.task,
  NodeType.manualTask,
  NodeType.serviceTask,
  NodeType.sendTask,
  NodeType.receiveTask,
  NodeType.scriptTask,
  NodeType.userTask,
  NodeType.businessRuleTask,
  NodeType.subProcess,
  NodeType.callActivity
]);

/** Whether a node type is an activity (can loop, carry boundary events, have a default flow). */
export function isActivity(type: NodeType): boolean {
  return ACTIVITIES.has(type);
}

/** Whether a node type is a gateway. */
export function isGateway(type: NodeType): boolean {
  return type.endsWith('Gateway');
}
