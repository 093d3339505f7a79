/**
 * One moddle flow node → a draft executable node (arrays still open so the process pass can
 * add flows and boundary events). Element-specific extensions are read here.
 */
import type { FlowNode, NodeType } from './model.js';
import { child, children, extension, flag, idOf, text, type ModdleNode } from './moddleNode.js';
import type { Report } from './feel.js';
import { compileEventDefinition, type EventRole } from './eventDefinition.js';
import { compileJob } from './jobSpec.js';
import { compileScript } from './scriptSpec.js';
import { compileUserTask } from './userTaskSpec.js';
import { compileLoop } from './loopSpec.js';
import { compileIoMapping } from './ioMapping.js';
import { compileFormFields } from './formFields.js';
import { isActivity } from './nodeTypes.js';

/** A node under construction: the process pass fills in flows and boundary events. */
export type NodeDraft = { -readonly [K in keyof FlowNode]: FlowNode[K] } & {
  incoming: string[];
  outgoing: string[];
  boundaryEvents: string[];
};

/** Where a node sits: its scope, the process (for forms), and whether that scope is an event sub-process. */
export interface NodePlace {
  readonly scope: string;
  readonly process: ModdleNode;
  readonly inEventSubProcess: boolean;
  /** `elementId property` of references the parser already reported as dangling. */
  readonly dangling: ReadonlySet<string>;
}

const ROLES: Partial<Record<NodeType, EventRole>> = {
  startEvent: 'start',
  endEvent: 'end',
  intermediateCatchEvent: 'catch',
  intermediateThrowEvent: 'throw',
  boundaryEvent: 'boundary'
};

/** Compiles one flow node of a known type. */
export function compileNode(element: ModdleNode, type: NodeType, place: NodePlace, report: Report): NodeDraft {
  const id = idOf(element);
  const name = text(element, 'name');
  const draft: NodeDraft = { id, type, scope: place.scope, incoming: [], outgoing: [], boundaryEvents: [] };
  if (name !== undefined) draft.name = name;
  const io = compileIoMapping(element, report);
  if (io) draft.io = io;
  const role = ROLES[type];
  if (role !== undefined) compileEvent(draft, element, role, place, report);
  else if (isActivity(type)) compileActivity(draft, element, place, report);
  return draft;
}

function compileEvent(draft: NodeDraft, element: ModdleNode, role: EventRole, place: NodePlace, report: Report): void {
  const id = draft.id;
  const job = role === 'throw' || role === 'end' ? compileJob(element, report) : undefined;
  if (job) draft.job = job;
  const event = compileEventDefinition(element, role, report, job !== undefined, place.dangling);
  draft.event = event;
  if (role === 'start') {
    if (place.inEventSubProcess) {
      if (children(element, 'eventDefinitions').length === 0) report(id, `an event sub-process start event needs a trigger (message, timer, signal, error, escalation)`);
      draft.interrupting = flag(element, 'isInterrupting', true);
    } else if (event.type === 'error' || event.type === 'escalation') {
      report(id, `${event.type} start events are only allowed in event sub-processes`);
    }
    const formFields = compileFormFields(element, report);
    if (formFields.length > 0) draft.formFields = formFields;
  }
  if (role === 'boundary') {
    const host = child(element, 'attachedToRef');
    if (!host && !place.dangling.has(`${id} attachedToRef`)) report(id, `boundary event is not attached to an activity (attachedToRef)`);
    draft.attachedTo = idOf(host);
    draft.cancelActivity = flag(element, 'cancelActivity', true);
  }
}

function compileActivity(draft: NodeDraft, element: ModdleNode, place: NodePlace, report: Report): void {
  const id = draft.id;
  if (flag(element, 'isForCompensation', false)) report(id, `compensation handlers are not supported`);
  const loop = compileLoop(element, report);
  if (loop) draft.loop = loop;
  switch (draft.type) {
    case 'serviceTask':
    case 'sendTask':
      setJob(draft, element, report);
      break;
    case 'scriptTask': {
      if (setJob(draft, element, report)) break;
      const script = compileScript(element, report);
      if (script) draft.script = script;
      else report(id, `script task needs a script: zeebe:script, or bpmn:script with scriptFormat javascript or feel`);
      break;
    }
    case 'businessRuleTask': {
      if (extension(element, 'zeebe:CalledDecision')) {
        report(id, `DMN decisions (zeebe:calledDecision) are not supported: use zeebe:script (FEEL) or a job`);
      }
      if (setJob(draft, element, report)) break;
      const script = compileScript(element, report);
      if (script) draft.script = script;
      break;
    }
    case 'userTask':
      draft.userTask = compileUserTask(element, place.process, report);
      break;
    case 'receiveTask':
      draft.event = receivedMessage(element, place, report);
      break;
    case 'callActivity':
      compileCallActivity(draft, element, report);
      break;
    case 'subProcess':
      if (flag(element, 'triggeredByEvent', false)) draft.triggeredByEvent = true;
      break;
  }
}

function setJob(draft: NodeDraft, element: ModdleNode, report: Report): boolean {
  const job = compileJob(element, report);
  if (job) draft.job = job;
  return job !== undefined;
}

/** A receive task waits like a message catch event; its message goes in `event`. */
function receivedMessage(element: ModdleNode, place: NodePlace, report: Report): FlowNode['event'] {
  const synthetic: ModdleNode = {
    $type: 'bpmn:ReceiveTask',
    id: idOf(element),
    eventDefinitions: [{ $type: 'bpmn:MessageEventDefinition', messageRef: element['messageRef'] }]
  };
  return compileEventDefinition(synthetic, 'catch', report, false, place.dangling);
}

function compileCallActivity(draft: NodeDraft, element: ModdleNode, report: Report): void {
  const zeebe = extension(element, 'zeebe:CalledElement');
  const called = (zeebe && text(zeebe, 'processId')) ?? text(element, 'calledElement');
  if (called === undefined) report(draft.id, `call activity needs a calledElement (the id of a process in this file)`);
  else if (called.trim().startsWith('=')) report(draft.id, `calledElement ${JSON.stringify(called)}: a FEEL-computed process id is not supported`);
  draft.calledElement = called?.trim() ?? '';
  if (zeebe && typeof zeebe['propagateAllChildVariables'] === 'boolean') {
    draft.propagateAllChildVariables = zeebe['propagateAllChildVariables'];
  }
}
