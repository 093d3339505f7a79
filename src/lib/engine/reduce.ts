/**
 * The fold: applies one sealed record to a draft state. The live step changes state only through
 * this function, so `replay` (the same fold over the stored chain) rebuilds identical state.
 */
import type { TokenRecord } from './chain/record.js';
import type { IncidentData, TokenData } from './recordData.js';
import type { RunState, WaitState } from './state.js';

/** A draft whose maps may be written: entries are replaced, never mutated in place. */
export function draftOf(state: RunState): RunState {
  return {
    ...state,
    scopes: { ...state.scopes },
    tokens: { ...state.tokens },
    waits: { ...state.waits },
    subs: { ...state.subs },
    incidents: { ...state.incidents }
  };
}

/** The state a chain's first record starts. */
export function initialState(record: TokenRecord): RunState {
  const data = record.data as { processId: string; xmlSha256: string; variables?: Record<string, unknown> };
  return {
    v: 1,
    runId: record.runId,
    processId: data.processId,
    xmlSha256: data.xmlSha256,
    owner: record.owner,
    startedAt: record.at,
    status: 'running',
    seq: 0,
    head: '',
    root: record.instance,
    scopes: { [record.instance]: { parent: null, vars: { ...(data.variables ?? {}) } } },
    tokens: {},
    waits: {},
    subs: {},
    incidents: {}
  };
}

/** Applies `record` to `draft` (mutates the draft's maps). */
export function applyRecord(draft: RunState, record: TokenRecord): void {
  draft.seq = record.seq + 1;
  draft.head = record.hash;
  switch (record.kind) {
    case 'run':
      applyRun(draft, record);
      return;
    case 'token':
      applyToken(draft, record, (record.data ?? {}) as TokenData);
      return;
    case 'incident':
      applyIncident(draft, record, record.data as IncidentData);
      return;
    case 'variables':
      applyCommon(draft, record, (record.data ?? {}) as TokenData);
      return;
    case 'intent':
      return;
  }
}

function applyRun(draft: RunState, record: TokenRecord): void {
  if (record.status === 'started') {
    applyCommon(draft, record, (record.data ?? {}) as TokenData);
    return;
  }
  draft.status = record.status === 'ended' ? 'completed' : record.status === 'failed' ? 'failed' : 'cancelled';
  const data = record.data as { error?: { message: string; element: string } } | undefined;
  if (data?.error) draft.error = data.error;
  draft.tokens = {};
  draft.waits = {};
  draft.subs = {};
}

function applyToken(draft: RunState, record: TokenRecord, data: TokenData): void {
  const previous = draft.tokens[record.token];
  const scope = previous?.scope ?? data.scope ?? draft.root;
  if (data.local) draft.scopes[record.instance] = { parent: data.isolated ? null : scope, vars: { ...data.local } };
  applyCommon(draft, record, data);
  switch (record.status) {
    case 'waiting': {
      const prior = draft.waits[record.instance];
      const wait: WaitState = {
        node: record.node,
        token: record.token,
        scope,
        since: prior?.since ?? record.at,
        seq: prior?.seq ?? record.seq
      };
      const job = data.job ?? prior?.job;
      if (job) wait.job = job;
      const mi = data.mi ?? prior?.mi;
      if (mi) wait.mi = mi;
      const loopTurn = data.loopTurn ?? prior?.loopTurn;
      if (loopTurn !== undefined) wait.loopTurn = loopTurn;
      const flow = record.flow ?? prior?.flow;
      if (flow !== undefined) wait.flow = flow;
      if (prior?.incident) wait.incident = prior.incident;
      if (data.retryAt !== undefined && data.retryAt > 0) wait.retryAt = data.retryAt;
      draft.waits[record.instance] = wait;
      draft.tokens[record.token] = { node: record.node, instance: record.instance, scope, last: record.id, waiting: true };
      return;
    }
    case 'completed':
    case 'started':
      endWait(draft, record.instance);
      if (data.end) {
        delete draft.tokens[record.token];
        return;
      }
      draft.tokens[record.token] = { node: record.node, instance: record.instance, scope, last: record.id, waiting: false };
      return;
    default:
      // merged, ended, cancelled, failed: the lineage is over.
      endWait(draft, record.instance);
      delete draft.tokens[record.token];
  }
}

/** Variable writes, subscriptions and multi-instance patches any record may carry. */
function applyCommon(draft: RunState, record: TokenRecord, data: TokenData): void {
  if (data.vars) {
    for (const [scopeId, writes] of Object.entries(data.vars)) {
      const scope = draft.scopes[scopeId];
      if (scope) draft.scopes[scopeId] = { parent: scope.parent, vars: { ...scope.vars, ...writes } };
    }
  }
  if (data.unsub) for (const id of data.unsub) delete draft.subs[id];
  if (data.subs) {
    for (const spec of data.subs) {
      draft.subs[spec.id] = { ...spec, owner: spec.owner ?? record.instance, seq: record.seq };
    }
  }
  if (data.rearm) {
    const sub = draft.subs[data.rearm.id];
    if (sub?.repeat) {
      draft.subs[sub.id] = { ...sub, dueAt: data.rearm.dueAt, repeat: { ...sub.repeat, remaining: data.rearm.remaining } };
    }
  }
  if (data.miPatch) {
    const body = draft.waits[data.miPatch.body];
    if (body?.mi) {
      const { started = body.mi.started, completed = body.mi.completed } = data.miPatch;
      draft.waits[data.miPatch.body] = { ...body, mi: { ...body.mi, started, completed } };
    }
  }
}

function applyIncident(draft: RunState, record: TokenRecord, data: IncidentData): void {
  if (record.status === 'opened') {
    draft.incidents[record.id] = {
      id: record.id,
      node: record.node,
      instance: record.instance,
      token: record.token,
      message: data.message,
      at: record.at,
      retry: data.retry ?? 'evaluate',
      ...(data.pending !== undefined ? { pending: data.pending } : {})
    };
    const wait = draft.waits[record.instance];
    if (wait) draft.waits[record.instance] = { ...wait, incident: record.id };
    return;
  }
  const id = data.incident ?? '';
  const incident = draft.incidents[id];
  delete draft.incidents[id];
  const wait = incident ? draft.waits[incident.instance] : undefined;
  if (incident && wait) {
    const { incident: _dropped, ...rest } = wait;
    draft.waits[incident.instance] = rest;
  }
}

/** An element instance stops waiting: its subscriptions and local scope go with it. */
function endWait(draft: RunState, instance: string): void {
  if (draft.waits[instance]) delete draft.waits[instance];
  for (const id in draft.subs) if (draft.subs[id]!.owner === instance) delete draft.subs[id];
  if (draft.scopes[instance]) delete draft.scopes[instance];
}
