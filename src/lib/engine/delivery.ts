/** Routing an outside event to the element instance it concerns. */
import type { FlowNode } from './definition/model.js';
import type { EngineEvent, ErrorInfo, Variables } from './events.js';
import { dispatchJob, finishActivity, retriesOf } from './elements/activity.js';
import { throwError, triggerBoundary } from './elements/events.js';
import { fireEventGateway } from './elements/gateways.js';
import { put, type Writes } from './elements/mappings.js';
import { triggerEventSubProcess } from './elements/scopes.js';
import type { TokenData } from './recordData.js';
import type { Subscription, WaitState } from './state.js';
import { EngineError, type Move, type Stepper } from './Stepper.js';
import { parseDuration, addDuration } from './time/iso8601.js';

export function deliverEvent(s: Stepper, event: EngineEvent): void {
  switch (event.type) {
    case 'timer.fired':
      return timerFired(s, event.timerId);
    case 'message.correlated': {
      const sub = Object.values(s.state.subs)
        .filter((x) => x.kind === 'message' && x.name === event.name && (x.key === undefined || x.key === event.correlationKey))
        .sort((a, b) => a.seq - b.seq)[0];
      if (!sub) {
        const key = event.correlationKey !== undefined ? ` with key "${event.correlationKey}"` : '';
        throw new EngineError('no-subscription', `nothing in run ${s.state.runId} waits for message "${event.name}"${key}`);
      }
      intent(s, sub.node, sub.owner, { type: event.type, name: event.name, ...(event.correlationKey !== undefined ? { correlationKey: event.correlationKey } : {}), variables: event.variables ?? {} });
      return fire(s, sub, event.variables ?? {});
    }
    case 'signal.broadcast': {
      const subs = signalSubs(s, event.name);
      if (subs.length === 0) throw new EngineError('no-subscription', `nothing in run ${s.state.runId} waits for signal "${event.name}"`);
      intent(s, s.state.processId, s.state.root, { type: event.type, name: event.name, variables: event.variables ?? {} });
      for (const sub of subs) if (s.state.subs[sub.id]) fire(s, sub, event.variables ?? {});
      return;
    }
    case 'userTask.completed':
      return userTaskCompleted(s, event);
    case 'job.completed': {
      const [instance, wait] = jobWait(s, event.instance, event.key);
      const node = s.node(wait.node);
      const result = jobResult(node, event.result, event.variables);
      if (typeof result === 'string') return s.openIncident(instance, `${node.id}: ${result}`, 'job', node.id);
      const move = moveOf(s, wait);
      finishActivity(s, move, node, instance, s.state.scopes[instance]?.vars, result, event.result !== undefined ? { result: event.result } : undefined);
      return;
    }
    case 'job.failed':
      return jobFailed(s, event.instance, event.error, event.key);
    case 'job.errorThrown': {
      const [instance, wait] = jobWait(s, event.instance, event.key);
      if (!throwError(s, wait.scope, instance, event.error, wait.node)) {
        s.openIncident(instance, `${wait.node}: uncaught BPMN error ${event.error.code ?? ''}: ${event.error.message}`, 'job', wait.node);
      }
      return;
    }
    case 'variables.set': {
      const scope = event.scope ?? s.state.root;
      if (!s.state.scopes[scope]) throw new EngineError('bad-event', `no variable scope ${scope} in run ${s.state.runId}`);
      s.emit({ kind: 'variables', status: 'completed', node: s.state.processId, instance: scope, data: { vars: { [scope]: event.variables } } });
      return;
    }
    case 'incident.resolved':
      return resolveIncident(s, event.incident);
    case 'run.cancelled':
      intent(s, s.state.processId, s.state.root, { type: event.type });
      s.cancelScope(s.state.root);
      s.finishRun('cancelled');
      return;
  }
}

/** Signals raised inside the run reach every subscriber that exists once the throw settled. */
export function deliverSignal(s: Stepper, name: string, vars: Variables): void {
  for (const sub of signalSubs(s, name)) if (s.state.subs[sub.id]) fire(s, sub, vars);
}

function signalSubs(s: Stepper, name: string): Subscription[] {
  return Object.values(s.state.subs).filter((x) => x.kind === 'signal' && x.name === name).sort((a, b) => a.seq - b.seq);
}

/** An intent record: what arrived from a person, a tab or another process, before its effect. */
function intent(s: Stepper, node: string, instance: string, data: Record<string, unknown>): void {
  s.emit({ kind: 'intent', status: 'completed', node, instance, data });
}

function timerFired(s: Stepper, timerId: string): void {
  if (timerId.startsWith('retry:')) {
    const key = timerId.slice('retry:'.length);
    const entry = Object.entries(s.state.waits).find(([, w]) => w.job?.key === key && w.retryAt !== undefined);
    if (!entry) throw new EngineError('no-subscription', `no job retry ${key} is pending`);
    const [instance, wait] = entry;
    notBefore(s, wait.retryAt, timerId);
    const node = s.node(wait.node);
    const scope = wait.scope;
    const data = dispatchJob(s, node, instance, scope, s.state.scopes[instance]?.vars ?? {}, wait.job!.attempt, wait.job!.retries);
    if (typeof data === 'string') return s.openIncident(instance, `${node.id}: ${data}`, 'job', node.id);
    // The attempt was recorded when it was scheduled; this only clears the backoff.
    s.emit({ status: 'waiting', token: wait.token, previousToken: s.state.tokens[wait.token]?.last ?? null, node: wait.node, instance, data });
    return;
  }
  const sub = s.state.subs[timerId];
  if (!sub || sub.kind !== 'timer') throw new EngineError('no-subscription', `no timer ${timerId} is pending in run ${s.state.runId}`);
  notBefore(s, sub.dueAt, timerId);
  fire(s, sub, {});
}

/** Host clocks may fire a hair early; a fire well before the due time (a duplicate) is refused. */
const EARLY_TOLERANCE_MS = 50;

function notBefore(s: Stepper, dueAt: number | undefined, timerId: string): void {
  if (dueAt !== undefined && s.at < dueAt - EARLY_TOLERANCE_MS) {
    throw new EngineError('not-due', `timer ${timerId} is due at ${new Date(dueAt).toISOString()}, not yet`);
  }
}

/** A subscription's event happened: the catching element reacts according to where it sits. */
function fire(s: Stepper, sub: Subscription, vars: Variables): void {
  const node = s.node(sub.node);
  const owner = s.state.waits[sub.owner];
  const trigger: TokenData = {};
  nextOccurrence(s, sub, trigger);
  if (node.type === 'boundaryEvent') {
    const writes = varsFor(s, owner?.scope ?? s.state.root, vars);
    if (writes) trigger.vars = writes;
    return triggerBoundary(s, node, sub.owner, trigger);
  }
  if (node.type === 'startEvent') {
    const writes = varsFor(s, sub.owner, vars);
    if (writes) trigger.vars = writes;
    const previous = owner ? (s.state.tokens[owner.token]?.last ?? '') : '';
    return triggerEventSubProcess(s, node, sub.owner, trigger, previous);
  }
  if (!owner) throw new EngineError('no-subscription', `subscription ${sub.id} has no waiting element`);
  const writes = varsFor(s, owner.scope, vars);
  if (writes) trigger.vars = writes;
  if (s.node(owner.node).type === 'eventBasedGateway') return fireEventGateway(s, sub.owner, node.id, trigger);
  const move = moveOf(s, owner);
  if (node.type === 'receiveTask') return finishActivity(s, move, node, sub.owner, s.state.scopes[sub.owner]?.vars, vars);
  s.completeAndLeave(move, node, sub.owner, trigger);
}

/** A non-interrupting timer's next occurrence (cycles), or its removal once it has no more. */
function nextOccurrence(s: Stepper, sub: Subscription, trigger: TokenData): void {
  if (sub.kind !== 'timer') return;
  const node = s.node(sub.node);
  const nonInterrupting =
    node.type === 'boundaryEvent' ? node.cancelActivity === false : node.type === 'startEvent' ? node.interrupting === false : false;
  if (!nonInterrupting) return;
  const remaining = sub.repeat?.remaining;
  if (!sub.repeat || (remaining !== null && remaining !== undefined && remaining <= 0)) {
    trigger.unsub = [sub.id];
    return;
  }
  const dueAt = (sub.dueAt ?? s.at) + sub.repeat.intervalMs;
  s.effect({ type: 'timer.schedule', timerId: sub.id, dueAt, instance: sub.owner, node: sub.node });
  trigger.rearm = { id: sub.id, dueAt, remaining: remaining === null || remaining === undefined ? null : remaining - 1 };
}

function varsFor(s: Stepper, scope: string, vars: Variables): Writes | undefined {
  const names = Object.keys(vars);
  if (names.length === 0) return undefined;
  const writes: Writes = {};
  for (const name of names) put(s, writes, scope, name, vars[name]);
  return writes;
}

function userTaskCompleted(s: Stepper, event: Extract<EngineEvent, { type: 'userTask.completed' }>): void {
  const candidates = Object.entries(s.state.waits)
    .filter(([id, w]) => (event.instance ? id === event.instance : w.node === event.node) && !w.mi && s.node(w.node).type === 'userTask')
    .sort((a, b) => a[1].seq - b[1].seq);
  const found = candidates[0];
  if (!found) {
    const what = event.instance ? `instance ${event.instance}` : `element ${event.node ?? '(none)'}`;
    throw new EngineError('not-waiting', `no user task ${what} is waiting in run ${s.state.runId}`);
  }
  const [instance, wait] = found;
  if (wait.incident) throw new EngineError('not-waiting', `user task ${wait.node} has an open incident; resolve it first`);
  intent(s, wait.node, instance, { type: event.type, variables: event.variables ?? {} });
  s.effect({ type: 'userTask.close', instance });
  finishActivity(s, moveOf(s, wait), s.node(wait.node), instance, s.state.scopes[instance]?.vars, event.variables ?? {});
}

function jobWait(s: Stepper, instance: string, key?: string): [string, WaitState] {
  const wait = s.state.waits[instance];
  if (!wait?.job) throw new EngineError('not-waiting', `no job is waiting at instance ${instance} of run ${s.state.runId}`);
  if (key !== undefined && key !== wait.job.key) {
    throw new EngineError('stale-job', `job ${key} is not the current attempt (${wait.job.key}) of ${wait.node}`);
  }
  if (wait.incident) throw new EngineError('not-waiting', `job at ${wait.node} has an open incident`);
  return [instance, wait];
}

/**
 * Variables a finished job hands to its task: the result variable, any job variables, and for a
 * `jsonOutput` command the entries of the JSON object it printed (or why that output is unusable).
 */
function jobResult(node: FlowNode, result: unknown, variables: Variables | undefined): Variables | string {
  const out: Variables = { ...(variables ?? {}) };
  if (node.job?.kind === 'command' && node.job.command.jsonOutput) {
    const stdout = (result as { stdout?: unknown } | undefined)?.stdout;
    let parsed: unknown;
    try {
      parsed = typeof stdout === 'string' ? JSON.parse(stdout) : undefined;
    } catch {
      parsed = undefined;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      return 'jsonOutput: the command did not print one JSON object on stdout';
    }
    Object.assign(out, parsed);
  }
  const resultVariable = node.job?.kind === 'command' ? node.job.command.resultVariable : node.job?.kind === 'http' ? node.job.http.resultVariable : node.script?.resultVariable;
  if (resultVariable && result !== undefined) out[resultVariable] = result;
  return out;
}

function jobFailed(s: Stepper, instance: string, error: ErrorInfo, outcomeKey?: string): void {
  const [, wait] = jobWait(s, instance, outcomeKey);
  const job = wait.job!;
  const node = s.node(wait.node);
  const move = moveOf(s, wait);
  if (job.retries <= 0) {
    // Out of attempts: a failure with a code is a BPMN error an error boundary may catch.
    if (error.code !== undefined && throwError(s, wait.scope, instance, error, node.id)) return;
    s.openIncident(instance, `${node.id}: ${error.message} (attempt ${job.attempt}, no retries left)`, 'job', node.id);
    return;
  }
  const attempt = job.attempt + 1;
  const key = `${s.state.runId}:${instance}:${attempt}`;
  const next = { key, attempt, retries: job.retries - 1 };
  const backoff = node.job?.kind === 'command' ? node.job.command.retryBackoff : undefined;
  const duration = backoff ? parseDuration(backoff) : null;
  if (duration) {
    const retryAt = addDuration(s.at, duration);
    s.tokenRecord(move, instance, 'waiting', { job: next, error, retryAt });
    s.effect({ type: 'timer.schedule', timerId: `retry:${key}`, dueAt: retryAt, instance, node: node.id });
    return;
  }
  const data = dispatchJob(s, node, instance, wait.scope, s.state.scopes[instance]?.vars ?? {}, attempt, job.retries - 1);
  if (typeof data === 'string') return s.openIncident(instance, `${node.id}: ${data}`, 'job', node.id);
  s.tokenRecord(move, instance, 'waiting', { ...data, error });
}

function resolveIncident(s: Stepper, id: string): void {
  const incident = s.state.incidents[id];
  if (!incident) throw new EngineError('unknown-incident', `no open incident ${id} in run ${s.state.runId}`);
  s.emit({ kind: 'incident', status: 'resolved', token: incident.token, previousToken: s.state.tokens[incident.token]?.last ?? null, node: incident.node, instance: incident.instance, data: { incident: id } });
  const wait = s.state.waits[incident.instance];
  if (!wait) return;
  const node = s.node(wait.node);
  const move = moveOf(s, wait);
  switch (incident.retry) {
    case 'job': {
      const attempt = (wait.job?.attempt ?? 0) + 1;
      const data = dispatchJob(s, node, incident.instance, wait.scope, s.state.scopes[incident.instance]?.vars ?? {}, attempt, retriesOf(node) - 1);
      if (typeof data === 'string') return s.openIncident(incident.instance, `${node.id}: ${data}`, 'job', node.id);
      s.tokenRecord(move, incident.instance, 'waiting', data);
      return;
    }
    case 'finish':
      return finishActivity(s, move, node, incident.instance, s.state.scopes[incident.instance]?.vars, incident.pending as Variables | undefined);
    case 'leave':
      return s.completeAndLeave(move, node, incident.instance, incident.pending as TokenData | undefined);
    default:
      s.push({ ...move, instance: incident.instance });
  }
}

function moveOf(s: Stepper, wait: WaitState): Move {
  return { token: wait.token, node: wait.node, previous: s.state.tokens[wait.token]?.last ?? '', ...(wait.flow ? { flow: wait.flow } : {}) };
}
