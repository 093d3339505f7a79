/** Checks that need the wired graph: default flows, gateway exits, sub-process starts, links. */
import type { SequenceFlow } from './model.js';
import { child, idOf } from './moddleNode.js';
import type { Report } from './feel.js';
import type { ProcessDraft } from './ProcessDraft.js';
import { isGateway } from './nodeTypes.js';

const EVENT_GATEWAY_TARGETS = new Set(['message', 'timer', 'signal']);

/** Reports what is wrong with the process graph as a whole. */
export function checkGraph(draft: ProcessDraft, flows: Readonly<Record<string, SequenceFlow>>, report: Report): void {
  for (const node of draft.nodes.values()) {
    const element = draft.elements.get(node.id);
    const defaultId = element ? idOf(child(element, 'default')) : '';
    if (defaultId !== '') {
      if (node.outgoing.includes(defaultId)) node.defaultFlow = defaultId;
      else report(node.id, `default flow '${defaultId}' is not one of its outgoing sequence flows`);
    }
    if (isGateway(node.type) && node.outgoing.length === 0) report(node.id, `gateway has no outgoing sequence flow`);
    if (node.type === 'eventBasedGateway') {
      for (const flowId of node.outgoing) {
        const target = draft.nodes.get(flows[flowId]?.target ?? '');
        const waits =
          target?.type === 'receiveTask' ||
          (target?.type === 'intermediateCatchEvent' && EVENT_GATEWAY_TARGETS.has(target.event?.type ?? ''));
        if (target && !waits) {
          report(node.id, `event-based gateway leads to '${target.id}': it must lead to message, timer or signal catch events or receive tasks`);
        }
      }
    }
    if ((node.type === 'startEvent' || node.type === 'boundaryEvent') && node.incoming.length > 0) {
      report(node.id, `a ${node.type === 'startEvent' ? 'start' : 'boundary'} event cannot have incoming sequence flows`);
    }
    if (node.type === 'endEvent' && node.outgoing.length > 0) report(node.id, `an end event cannot have outgoing sequence flows`);
    if (node.type === 'subProcess') checkSubProcess(draft, node.id, node.triggeredByEvent === true, node.incoming.length + node.outgoing.length, report);
  }
  for (const scope of draft.scopes.values()) checkLinks(draft, scope.nodes, report);
}

function checkSubProcess(draft: ProcessDraft, id: string, triggered: boolean, flowCount: number, report: Report): void {
  const scope = draft.scopes.get(id);
  if (!scope) return;
  const starts = scope.nodes.filter((nodeId) => draft.nodes.get(nodeId)?.type === 'startEvent');
  if (triggered) {
    if (flowCount > 0) report(id, `an event sub-process cannot have incoming or outgoing sequence flows`);
    if (starts.length !== 1) report(id, `an event sub-process needs exactly one start event, found ${starts.length}`);
    return;
  }
  for (const start of starts) {
    if (draft.nodes.get(start)?.event?.type !== 'none') report(start, `a sub-process start event must be a none start event`);
  }
  if (starts.length !== 1) report(id, `a sub-process needs exactly one none start event, found ${starts.length}`);
}

function checkLinks(draft: ProcessDraft, nodeIds: readonly string[], report: Report): void {
  const catches = new Map<string, string>();
  const throws: { id: string; name: string }[] = [];
  for (const nodeId of nodeIds) {
    const node = draft.nodes.get(nodeId);
    if (node?.event?.type !== 'link' || node.event.linkName === '') continue;
    const name = node.event.linkName;
    if (node.type === 'intermediateCatchEvent') {
      const other = catches.get(name);
      if (other !== undefined) report(node.id, `link name '${name}' is already caught by '${other}' in this scope`);
      else catches.set(name, node.id);
    } else {
      throws.push({ id: node.id, name });
    }
  }
  for (const link of throws) {
    if (!catches.has(link.name)) report(link.id, `no link catch event named '${link.name}' in the same scope`);
  }
}
