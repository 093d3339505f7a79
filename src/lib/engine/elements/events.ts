/** Start, end, intermediate and boundary events; errors and escalations looking for a catcher. */
import type { FlowNode } from '../definition/model.js';
import type { ErrorInfo } from '../events.js';
import type { TokenData } from '../recordData.js';
import type { Behavior, Move, Stepper } from '../Stepper.js';
import { waitFor } from './activity.js';
import { arm } from './subscriptions.js';
import { scopeNodeOf, triggerEventSubProcess } from './scopes.js';

/** Start events complete as soon as a token is placed on them. */
export const enterStartEvent: Behavior = (s, move, node, instance) => s.completeAndLeave(move, node, instance);

/** Boundary events are only ever reached triggered; they complete and send their token on. */
export const enterBoundaryEvent: Behavior = (s, move, node, instance) => s.completeAndLeave(move, node, instance);

export const enterEndEvent: Behavior = (s, move, node, instance) => {
  const scope = s.state.tokens[move.token]?.scope ?? move.scope ?? s.state.root;
  const event = node.event ?? { type: 'none' as const };
  switch (event.type) {
    case 'terminate':
      s.cancelScope(scope, move.token);
      s.tokenRecord(move, instance, 'ended');
      return;
    case 'error':
      s.tokenRecord(move, instance, 'ended');
      throwError(s, scope, undefined, { message: event.errorMessage ?? `error ${event.errorCode ?? ''} thrown by ${node.id}`.trim(), ...(event.errorCode ? { code: event.errorCode } : {}) }, node.id);
      return;
    case 'escalation':
      s.tokenRecord(move, instance, 'ended');
      throwEscalation(s, scope, event.escalationCode, node.id, s.state.tokens[move.token]?.last ?? move.previous);
      return;
    default:
      throwSideEffects(s, node, scope);
      s.tokenRecord(move, instance, 'ended');
  }
};

export const enterIntermediateThrowEvent: Behavior = (s, move, node, instance) => {
  const scope = s.state.tokens[move.token]?.scope ?? move.scope ?? s.state.root;
  const event = node.event ?? { type: 'none' as const };
  if (event.type === 'link') {
    const target = linkTarget(s, node, event.linkName);
    if (!target) return s.waitWithIncident(move, instance, `${node.id}: no link catch event named "${event.linkName}" in the same scope`, 'evaluate');
    s.tokenRecord(move, instance, 'completed');
    s.push({ token: move.token, node: target.id, previous: move.previous, triggered: {} });
    return;
  }
  if (event.type === 'escalation') {
    throwEscalation(s, scope, event.escalationCode, node.id, s.state.tokens[move.token]?.last ?? move.previous);
    // An interrupting catcher may have cancelled the scope this token runs in.
    if (s.state.status !== 'running') return;
  }
  throwSideEffects(s, node, scope);
  s.completeAndLeave(move, node, instance);
};

export const enterIntermediateCatchEvent: Behavior = (s, move, node, instance) => {
  const scope = s.state.tokens[move.token]?.scope ?? move.scope ?? s.state.root;
  if (move.triggered || !node.event || node.event.type === 'none' || node.event.type === 'link') {
    return s.completeAndLeave(move, node, instance);
  }
  waitFor(s, move, node, instance, scope, undefined, () => {
    const armed = arm(s, node, scope, instance);
    return armed.ok ? { subs: armed.subs } : armed.message;
  });
};

/** Messages and signals a throwing node sends out (signals also reach this run's own subscribers). */
function throwSideEffects(s: Stepper, node: FlowNode, scope: string): void {
  const event = node.event;
  if (event?.type === 'signal') {
    const vars = s.vars(scope);
    s.effect({ type: 'signal.publish', name: event.signalName, variables: vars });
    s.queueSignal(event.signalName, {});
  } else if (event?.type === 'message') {
    let key: string | undefined;
    if (event.correlationKey) {
      const outcome = s.feel(event.correlationKey, scope);
      if (outcome.ok && outcome.value !== null) key = String(outcome.value);
    }
    s.effect({ type: 'message.publish', name: event.messageName, ...(key !== undefined ? { correlationKey: key } : {}), variables: s.vars(scope) });
  }
}

function linkTarget(s: Stepper, node: FlowNode, name: string): FlowNode | undefined {
  for (const id of s.index.scopes[node.scope]?.nodes ?? []) {
    const candidate = s.node(id);
    if (candidate.type === 'intermediateCatchEvent' && candidate.event?.type === 'link' && candidate.event.linkName === name) return candidate;
  }
  return undefined;
}

/** Triggers a boundary event of a waiting activity instance. */
export function triggerBoundary(s: Stepper, boundary: FlowNode, host: string, trigger: TokenData, error?: ErrorInfo): void {
  const wait = s.state.waits[host];
  if (!wait) return;
  let previous = s.state.tokens[wait.token]?.last ?? '';
  if (boundary.cancelActivity !== false) {
    const ended = s.cancelToken(wait.token, host, error ? 'failed' : 'cancelled', error ? { error } : undefined);
    if (ended) previous = ended.id;
  }
  s.push({ token: s.ctx.newId(), node: boundary.id, previous, scope: wait.scope, triggered: trigger });
}

const matches = (code: string | undefined, caught: string | undefined): boolean => caught === undefined || caught === code;

/**
 * Looks for the nearest catcher of a BPMN error: the failing activity's boundary events, then the
 * event sub-processes of each enclosing scope and the boundaries of its host, outwards.
 * Returns false when nothing catches it.
 */
export function throwError(s: Stepper, scope: string, activity: string | undefined, error: ErrorInfo, element: string): boolean {
  const caught = findCatcher(s, scope, activity, 'error', error.code);
  if (caught) {
    const trigger: TokenData = { error };
    if (caught.kind === 'boundary') triggerBoundary(s, caught.node, caught.at, trigger, error);
    else triggerEventSubProcess(s, caught.node, caught.at, trigger, s.state.tokens[s.state.waits[caught.at]?.token ?? '']?.last ?? '');
    return true;
  }
  if (activity === undefined) {
    s.cancelScope(s.state.root);
    s.finishRun('failed', { message: error.message, element });
  }
  return false;
}

/** Escalations: like errors, but a catcher may be non-interrupting and an uncaught one changes nothing. */
export function throwEscalation(s: Stepper, scope: string, code: string | undefined, _element: string, previous: string): void {
  const caught = findCatcher(s, scope, undefined, 'escalation', code);
  if (!caught) return;
  const trigger: TokenData = {};
  if (caught.kind === 'boundary') triggerBoundary(s, caught.node, caught.at, trigger);
  else triggerEventSubProcess(s, caught.node, caught.at, trigger, previous);
}

type Catcher = { kind: 'boundary'; node: FlowNode; at: string } | { kind: 'eventSubProcess'; node: FlowNode; at: string };

function findCatcher(s: Stepper, scope: string, activity: string | undefined, type: 'error' | 'escalation', code: string | undefined): Catcher | undefined {
  const codeOf = (n: FlowNode): string | undefined =>
    n.event?.type === 'error' ? n.event.errorCode : n.event?.type === 'escalation' ? n.event.escalationCode : undefined;
  let current: string | undefined = scope;
  let host = activity;
  while (current !== undefined) {
    if (host !== undefined) {
      const wait = s.state.waits[host];
      if (wait && !innerOfBody(s, host)) {
        for (const id of s.node(wait.node).boundaryEvents) {
          const b = s.node(id);
          if (b.event?.type === type && matches(code, codeOf(b))) return { kind: 'boundary', node: b, at: host };
        }
      }
    }
    const scopeNode = scopeNodeOf(s, current);
    for (const esp of scopeNode ? (s.index.scopes[scopeNode]?.eventSubProcesses ?? []) : []) {
      for (const id of s.index.scopes[esp]?.nodes ?? []) {
        const start = s.node(id);
        if (start.type === 'startEvent' && start.event?.type === type && matches(code, codeOf(start))) {
          return { kind: 'eventSubProcess', node: start, at: current };
        }
      }
    }
    if (current === s.state.root) return undefined;
    host = current;
    current = s.state.waits[current]?.scope;
  }
  return undefined;
}

/** An inner multi-instance instance: its boundaries are the body's. */
function innerOfBody(s: Stepper, instance: string): boolean {
  const wait = s.state.waits[instance];
  const parent = wait ? s.state.waits[wait.scope] : undefined;
  return Boolean(parent?.mi && parent.node === wait?.node);
}

export type { Move };
