/** Scopes: embedded sub-processes, call activities (same file) and event sub-processes. */
import type { FlowNode } from '../definition/model.js';
import type { SubscriptionSpec, TokenData } from '../recordData.js';
import type { Move, Stepper } from '../Stepper.js';
import { innerBody } from './multiInstance.js';
import { armAll, type Armed } from './subscriptions.js';

/** Opens a sub-process instance and starts its none start event. */
export function enterSubProcess(s: Stepper, move: Move, node: FlowNode, instance: string, local: Record<string, unknown> | undefined): void {
  const start = s.index.scopes[node.id]?.startEvents[0];
  if (!start) return s.waitWithIncident(move, instance, `${node.id}: sub-process has no none start event`, 'evaluate');
  openScope(s, move, node, instance, node.id, local ?? {}, false, start);
}

/** Starts the called process (same file) inside the run, seeing only copies of the caller's variables. */
export function enterCallActivity(s: Stepper, move: Move, node: FlowNode, instance: string, local: Record<string, unknown> | undefined): void {
  const called = node.calledElement ? s.model.processes[node.calledElement] : undefined;
  const start = called ? s.index.scopes[called.id]?.startEvents[0] : undefined;
  if (!called || !start) {
    return s.waitWithIncident(move, instance, `${node.id}: called process ${node.calledElement ?? '(none)'} has no none start event`, 'evaluate');
  }
  const scope = s.state.tokens[move.token]?.scope ?? move.scope ?? s.state.root;
  // Camunda's default (propagateAllParentVariables): the child starts with copies of every visible variable.
  openScope(s, move, node, instance, called.id, { ...s.vars(scope), ...(local ?? {}) }, true, start);
}

function openScope(s: Stepper, move: Move, node: FlowNode, instance: string, scopeId: string, local: Record<string, unknown>, isolated: boolean, start: string): void {
  const parent = s.state.tokens[move.token]?.scope ?? move.scope ?? s.state.root;
  const boundaries: Armed = innerBody(s, move, node) ? { ok: true, subs: [] } : armAll(s, node.boundaryEvents.map((id) => s.node(id)), parent, instance);
  if (!boundaries.ok) return s.waitWithIncident(move, instance, boundaries.message, 'evaluate');
  const data: TokenData = { local, ...(isolated ? { isolated } : {}) };
  if (boundaries.subs.length > 0) data.subs = boundaries.subs;
  s.tokenRecord(move, instance, 'waiting', data);
  const starts = eventSubProcessSubscriptions(s, scopeId, instance);
  if (!starts.ok) return s.openIncident(instance, starts.message, 'evaluate', starts.element);
  if (starts.subs.length > 0) s.emit({ kind: 'variables', status: 'completed', node: node.id, instance, data: { subs: starts.subs } });
  s.push({ token: s.ctx.newId(), node: start, previous: move.previous, scope: instance });
}

/** Subscriptions for the start events of a scope's event sub-processes, owned by the scope instance. */
export function eventSubProcessSubscriptions(s: Stepper, scopeId: string, owner: string): Armed {
  const subs: SubscriptionSpec[] = [];
  for (const esp of s.index.scopes[scopeId]?.eventSubProcesses ?? []) {
    const starts = (s.index.scopes[esp]?.nodes ?? []).map((id) => s.node(id)).filter((n) => n.type === 'startEvent');
    const armed = armAll(s, starts, owner, owner);
    if (!armed.ok) return armed;
    subs.push(...armed.subs);
  }
  return { ok: true, subs };
}

/** The scope node id a scope instance runs: the process, a sub-process, or a called process. */
export function scopeNodeOf(s: Stepper, scope: string): string | undefined {
  if (scope === s.state.root) return s.state.processId;
  const host = s.state.waits[scope];
  if (!host) return undefined;
  const node = s.node(host.node);
  if (node.type === 'callActivity') return node.calledElement;
  return s.index.scopes[node.id] ? node.id : undefined;
}

/**
 * Starts an event sub-process in scope instance `scope`, triggered at `start`. Interrupting:
 * everything else in the scope is cancelled first (and the scope's other event subscriptions).
 */
export function triggerEventSubProcess(s: Stepper, start: FlowNode, scope: string, trigger: TokenData, previous: string): void {
  const esp = s.node(start.scope);
  if (start.interrupting !== false) {
    s.cancelScope(scope);
    const unsub = Object.values(s.state.subs).filter((sub) => sub.owner === scope).map((sub) => sub.id);
    for (const id of unsub) if (s.state.subs[id]?.kind === 'timer') s.effect({ type: 'timer.cancel', timerId: id });
    if (unsub.length > 0) s.emit({ kind: 'variables', status: 'completed', node: esp.id, instance: scope, data: { unsub } });
  }
  const hostMove: Move = { token: s.ctx.newId(), node: esp.id, previous, scope };
  const instance = s.ctx.newId();
  s.tokenRecord(hostMove, instance, 'waiting', { local: {} });
  s.push({ token: s.ctx.newId(), node: start.id, previous: hostMove.previous, scope: instance, triggered: trigger });
}
