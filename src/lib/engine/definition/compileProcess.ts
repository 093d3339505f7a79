/**
 * One bpmn:Process → ProcessDefinition: walk the process and its sub-processes once, then wire
 * sequence flows and boundary events through id maps and check what only the whole graph shows.
 */
import type { ProcessDefinition, Scope, SequenceFlow } from './model.js';
import { bodyOf, child, children, flag, idOf, text, type ModdleNode } from './moddleNode.js';
import { compileExpr, type Report } from './feel.js';
import { compileNode } from './compileNode.js';
import type { ProcessDraft, ScopeDraft } from './ProcessDraft.js';
import { IGNORED, NODE_TYPES, REFUSED, isActivity } from './nodeTypes.js';
import { checkGraph } from './checkGraph.js';

/** Compiles an executable process, reporting every problem. */
export function compileProcess(process: ModdleNode, report: Report, dangling: ReadonlySet<string> = new Set()): ProcessDefinition {
  const draft: ProcessDraft = { nodes: new Map(), elements: new Map(), scopes: new Map(), seen: new Set(), dangling };
  const flowElements: { element: ModdleNode; scope: string }[] = [];
  walk(process, undefined, false);

  function walk(container: ModdleNode, parent: string | undefined, inEventSubProcess: boolean): void {
    const scope: ScopeDraft = { id: idOf(container), nodes: [], startEvents: [], eventSubProcesses: [] };
    if (parent !== undefined) scope.parent = parent;
    draft.scopes.set(scope.id, scope);
    for (const element of children(container, 'flowElements')) {
      const id = idOf(element);
      draft.seen.add(id);
      if (element.$type === 'bpmn:SequenceFlow') {
        flowElements.push({ element, scope: scope.id });
        continue;
      }
      if (IGNORED.has(element.$type)) continue;
      const type = NODE_TYPES[element.$type];
      if (type === undefined) {
        report(id, REFUSED[element.$type] ?? `${element.$type.replace(/^bpmn:/, '')} elements are not supported`);
        continue;
      }
      if (id === '') {
        report(scope.id, `contains a ${type} without an id`);
        continue;
      }
      const node = compileNode(element, type, { scope: scope.id, process, inEventSubProcess, dangling }, report);
      draft.nodes.set(id, node);
      draft.elements.set(id, element);
      scope.nodes.push(id);
      if (type === 'startEvent' && (inEventSubProcess || node.event?.type === 'none')) scope.startEvents.push(id);
      if (type === 'subProcess') {
        const triggered = node.triggeredByEvent === true;
        if (triggered) scope.eventSubProcesses.push(id);
        walk(element, scope.id, triggered);
      }
    }
  }

  const flows: Record<string, SequenceFlow> = {};
  for (const { element, scope } of flowElements) {
    const flow = compileFlow(element, scope, draft, report);
    if (flow) flows[flow.id] = flow;
  }
  wireBoundaryEvents(draft, report);
  checkGraph(draft, flows, report);

  const name = text(process, 'name');
  return {
    id: idOf(process),
    ...(name === undefined ? {} : { name }),
    nodes: Object.fromEntries(draft.nodes),
    flows,
    scopes: Object.fromEntries([...draft.scopes].map(([id, scope]): [string, Scope] => [id, scope]))
  };
}

function compileFlow(element: ModdleNode, scope: string, draft: ProcessDraft, report: Report): SequenceFlow | undefined {
  const id = idOf(element);
  const sourceId = idOf(child(element, 'sourceRef'));
  const targetId = idOf(child(element, 'targetRef'));
  let ok = true;
  for (const [end, endId] of [['sourceRef', sourceId], ['targetRef', targetId]] as const) {
    const node = draft.nodes.get(endId);
    if (node === undefined) {
      ok = false;
      // A dangling reference was already reported by the parser; a refused node by the walk.
      if (endId !== '' && !draft.seen.has(endId)) report(id, `${end} '${endId}' is not a flow node of this process`);
      if (endId === '' && !draft.dangling.has(`${id} ${end}`)) report(id, `sequence flow has no ${end}`);
    } else if (node.scope !== scope) {
      ok = false;
      report(id, `sequence flow crosses a scope boundary: ${end} '${endId}' is in '${node.scope}', the flow in '${scope}'`);
    }
  }
  if (!ok || id === '') return undefined;
  draft.nodes.get(sourceId)?.outgoing.push(id);
  draft.nodes.get(targetId)?.incoming.push(id);
  const name = text(element, 'name');
  const condition = bodyOf(element, 'conditionExpression');
  return {
    id,
    ...(name === undefined ? {} : { name }),
    source: sourceId,
    target: targetId,
    ...(condition === undefined ? {} : { condition: compileExpr(condition, 'conditionExpression', id, report) })
  };
}

function wireBoundaryEvents(draft: ProcessDraft, report: Report): void {
  for (const node of draft.nodes.values()) {
    if (node.type !== 'boundaryEvent' || node.attachedTo === undefined || node.attachedTo === '') continue;
    const host = draft.nodes.get(node.attachedTo);
    if (host === undefined || !isActivity(host.type)) {
      report(node.id, `boundary event is attached to '${node.attachedTo}', which is not an activity`);
    } else if (host.scope !== node.scope) {
      report(node.id, `boundary event is in '${node.scope}' but its activity '${host.id}' is in '${host.scope}'`);
    } else {
      host.boundaryEvents.push(node.id);
    }
  }
}

/** Whether a process is executable: `isExecutable` true or absent. */
export function isExecutableProcess(process: ModdleNode): boolean {
  return flag(process, 'isExecutable', true);
}
