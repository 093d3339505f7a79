/** Gateways: exclusive, parallel, inclusive (with a correct join) and event-based. */
import type { FlowNode } from '../definition/model.js';
import type { TokenData } from '../recordData.js';
import type { Behavior, Move, Stepper } from '../Stepper.js';
import { waitFor } from './activity.js';
import { arm } from './subscriptions.js';
import type { SubscriptionSpec } from '../recordData.js';

/** Exclusive: the first flow whose condition holds, else the default; neither is an incident. */
export const enterExclusiveGateway: Behavior = (s, move, node, instance) => {
  const scope = scopeOfMove(s, move);
  let chosen: string | undefined;
  for (const id of node.outgoing) {
    if (id === node.defaultFlow) continue;
    const flow = s.flow(id);
    if (!flow.condition) {
      chosen = id;
      break;
    }
    const outcome = s.condition(flow.condition, scope);
    if (!outcome.ok) return s.waitWithIncident(move, instance, `sequence flow ${id}: ${outcome.message}`, 'evaluate', id);
    if (outcome.value === true) {
      chosen = id;
      break;
    }
  }
  chosen ??= node.defaultFlow;
  if (!chosen) {
    return s.waitWithIncident(move, instance, `${node.id}: no condition on its outgoing flows is true and there is no default flow`, 'evaluate');
  }
  s.tokenRecord(move, instance, 'completed');
  s.follow(move, [chosen], scope);
};

/** Parallel: a join waits for one token per incoming flow; then every outgoing flow gets a token. */
export const enterParallelGateway: Behavior = (s, move, node, instance) => {
  if (node.incoming.length <= 1 || s.state.waits[instance]) return s.completeAndLeave(move, node, instance);
  const scope = scopeOfMove(s, move);
  const waiting = waitingAt(s, node, scope);
  const firstByFlow = new Map<string, string>();
  for (const [id, wait] of waiting) if (wait.flow && !firstByFlow.has(wait.flow)) firstByFlow.set(wait.flow, id);
  const arrivedBefore = move.flow !== undefined && firstByFlow.has(move.flow);
  const covered = new Set(firstByFlow.keys());
  if (move.flow !== undefined) covered.add(move.flow);
  if (arrivedBefore || !node.incoming.every((f) => covered.has(f))) {
    s.tokenRecord(move, instance, 'waiting');
    return;
  }
  fireJoin(s, node, [...firstByFlow.values()], move, instance);
};

/** Inclusive split: every flow whose condition holds (default if none); the join is checked in `settle`. */
export const enterInclusiveGateway: Behavior = (s, move, node, instance) => {
  if (node.incoming.length > 1 && !s.state.waits[instance]) {
    s.tokenRecord(move, instance, 'waiting');
    return;
  }
  s.completeAndLeave(move, node, instance);
};

/** Event-based: waits for the first of its targets' events; the others are withdrawn with it. */
export const enterEventBasedGateway: Behavior = (s, move, node, instance) => {
  const scope = scopeOfMove(s, move);
  waitFor(s, move, node, instance, scope, undefined, () => {
    const subs: SubscriptionSpec[] = [];
    for (const flowId of node.outgoing) {
      const target = s.node(s.flow(flowId).target);
      const armed = arm(s, target, scope, instance);
      if (!armed.ok) return armed.message;
      subs.push(...armed.subs);
    }
    return { subs };
  });
};

/** The gateway's event arrived at `target`: the gateway completes and its token moves there, triggered. */
export function fireEventGateway(s: Stepper, gatewayInstance: string, target: string, trigger: TokenData): void {
  const wait = s.state.waits[gatewayInstance];
  if (!wait) return;
  const gateway = s.node(wait.node);
  const flow = gateway.outgoing.find((id) => s.flow(id).target === target);
  const move: Move = { token: wait.token, node: gateway.id, previous: s.state.tokens[wait.token]?.last ?? '', ...(wait.flow ? { flow: wait.flow } : {}) };
  s.tokenRecord(move, gatewayInstance, 'completed');
  s.push({ token: wait.token, node: target, ...(flow ? { flow } : {}), previous: move.previous, triggered: trigger });
}

/**
 * Inclusive joins whose waiting tokens can fire: no other token of the scope can still reach
 * the join. Returns true when one fired.
 */
export function settleInclusiveJoins(s: Stepper): boolean {
  const joins = new Map<string, FlowNode>();
  for (const wait of Object.values(s.state.waits)) {
    const node = s.node(wait.node);
    if (node.type === 'inclusiveGateway' && node.incoming.length > 1 && !wait.incident) joins.set(`${wait.scope} ${node.id}`, node);
  }
  for (const [key, node] of joins) {
    const scope = key.slice(0, key.indexOf(' '));
    const waiting = waitingAt(s, node, scope);
    if (waiting.length === 0) continue;
    const blocked = Object.values(s.state.tokens).some(
      // A token inside a sub-process is represented here by its host waiting at the sub-process node.
      (t) => t.scope === scope && t.node !== node.id && s.index.reaches(t.node, node.id)
    );
    if (blocked) continue;
    const [first, ...rest] = waiting;
    const [firstId, firstWait] = first!;
    const move: Move = { token: firstWait.token, node: node.id, previous: s.state.tokens[firstWait.token]?.last ?? '', ...(firstWait.flow ? { flow: firstWait.flow } : {}) };
    for (const [id, wait] of rest) mergeWaiting(s, id, wait.token);
    s.completeAndLeave(move, node, firstId);
    return true;
  }
  return false;
}

function fireJoin(s: Stepper, node: FlowNode, consumed: string[], move: Move, instance: string): void {
  const [continuing, ...others] = consumed;
  for (const id of others) mergeWaiting(s, id, s.state.waits[id]!.token);
  if (continuing === undefined) return s.completeAndLeave(move, node, instance);
  s.tokenRecord(move, instance, 'merged');
  const wait = s.state.waits[continuing]!;
  const next: Move = { token: wait.token, node: node.id, previous: s.state.tokens[wait.token]?.last ?? '', ...(wait.flow ? { flow: wait.flow } : {}) };
  s.completeAndLeave(next, node, continuing);
}

function mergeWaiting(s: Stepper, instance: string, token: string): void {
  const wait = s.state.waits[instance]!;
  s.emit({ status: 'merged', token, previousToken: s.state.tokens[token]?.last ?? null, node: wait.node, instance, ...(wait.flow ? { flow: wait.flow } : {}) });
  s.mayBeDone(wait.scope);
}

/** Waiting instances at a join in one scope instance, oldest first. */
function waitingAt(s: Stepper, node: FlowNode, scope: string): [string, NonNullable<Stepper['state']['waits'][string]>][] {
  return Object.entries(s.state.waits)
    .filter(([, w]) => w.node === node.id && w.scope === scope)
    .sort((a, b) => a[1].seq - b[1].seq);
}

function scopeOfMove(s: Stepper, move: Move): string {
  return s.state.tokens[move.token]?.scope ?? move.scope ?? s.state.root;
}
