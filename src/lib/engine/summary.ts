/** Reading a run: its summary, the effects to re-issue after recovery, the elements it visited. */
import type { RunSummary } from './api.js';
import type { TokenRecord } from './chain/record.js';
import type { ProcessModel } from './definition/model.js';
import type { Effect } from './effects.js';
import { dispatchJob, userTaskOpened } from './elements/activity.js';
import type { RunState } from './state.js';
import { Stepper } from './Stepper.js';
import { behaviors } from './transition.js';

/** Node types whose waiting means "someone or something outside must act". */
const OUTSIDE = new Set(['userTask', 'receiveTask', 'intermediateCatchEvent', 'eventBasedGateway', 'serviceTask', 'sendTask', 'scriptTask', 'businessRuleTask']);

/** What a host or the CLI reports about a run. */
export function summarize(model: ProcessModel, state: RunState): RunSummary {
  const waits = Object.values(state.waits).sort((a, b) => a.seq - b.seq);
  const waiting: string[] = [];
  for (const wait of waits) {
    const node = findNode(model, wait.node);
    if (node && OUTSIDE.has(node.type) && !wait.mi) waiting.push(wait.node);
  }
  return {
    runId: state.runId,
    processId: state.processId,
    status: state.status,
    waiting,
    visited: [],
    variables: { ...(state.scopes[state.root]?.vars ?? {}) },
    records: state.seq,
    head: state.head,
    ...(state.error ? { error: state.error } : {}),
    incidents: Object.values(state.incidents).map((i) => ({ id: i.id, element: i.node, instance: i.instance, message: i.message }))
  };
}

/**
 * Every element instance that completed, in order (end events included): loop turns,
 * multi-instance inner instances and repeated visits each count; a multi-instance body, a
 * cancelled or interrupted instance does not.
 */
export function visitedFrom(records: readonly TokenRecord[]): string[] {
  const bodies = new Set<string>();
  const visited: string[] = [];
  for (const record of records) {
    if (record.kind !== 'token') continue;
    const data = record.data as { mi?: unknown } | undefined;
    if (record.status === 'waiting' && data?.mi) bodies.add(record.instance);
    // An end event's one record is `ended`: it completed too.
    if ((record.status === 'completed' || record.status === 'ended') && !bodies.has(record.instance)) visited.push(record.node);
  }
  return visited;
}

/** Effects to perform again after a restart: pending timers, jobs in flight, open user tasks. */
export function pendingEffects(model: ProcessModel, state: RunState): Effect[] {
  if (state.status !== 'running') return [];
  const effects: Effect[] = [];
  for (const sub of Object.values(state.subs).sort((a, b) => a.seq - b.seq)) {
    if (sub.kind === 'timer' && sub.dueAt !== undefined) {
      effects.push({ type: 'timer.schedule', timerId: sub.id, dueAt: sub.dueAt, instance: sub.owner, node: sub.node });
    }
  }
  for (const [instance, wait] of Object.entries(state.waits).sort((a, b) => a[1].seq - b[1].seq)) {
    // A multi-instance body is bookkeeping: its inner instances are what people and runners see.
    if (wait.incident || wait.mi) continue;
    const node = findNode(model, wait.node);
    if (!node) continue;
    // Re-evaluating job arguments and forms at the wait's own time keeps them as first issued.
    const s = new Stepper(model, state, { now: () => wait.since, newId: () => '' }, state.owner, behaviors);
    if (wait.job && wait.retryAt !== undefined) {
      effects.push({ type: 'timer.schedule', timerId: `retry:${wait.job.key}`, dueAt: wait.retryAt, instance, node: wait.node });
    } else if (wait.job) {
      dispatchJob(s, node, instance, wait.scope, state.scopes[instance]?.vars ?? {}, wait.job.attempt, wait.job.retries);
      effects.push(...s.effects);
    } else if (node.type === 'userTask') {
      effects.push(userTaskOpened(s, node, instance, wait.scope, state.scopes[instance]?.vars ?? {}));
    }
  }
  return effects;
}

function findNode(model: ProcessModel, id: string) {
  for (const process of Object.values(model.processes)) {
    const node = process.nodes[id];
    if (node) return node;
  }
  return undefined;
}
