/**
 * One step's working context: the draft state, the records written so far and the effects to
 * perform. Every state change goes through `emit` (seal + fold), so the step and replay agree.
 * Over 300 lines because token movement, scope completion and cancellation are one mechanism.
 */
import type { RecordKind, RecordStatus, TokenRecord } from './chain/record.js';
import { sealRecord } from './chain/sealRecord.js';
import type { Expr, FlowNode, ProcessModel, SequenceFlow } from './definition/model.js';
import type { Effect } from './effects.js';
import type { EngineContext } from './events.js';
import { evaluateCondition, evaluateFeel, type FeelOutcome } from './feel/evaluateFeel.js';
import { indexModel, type ModelIndex } from './modelIndex.js';
import type { IncidentData, TokenData } from './recordData.js';
import { applyRecord } from './reduce.js';
import type { RunState, WaitState } from './state.js';
import { visibleVariables } from './variables.js';

/** A token on its way to a node. */
export interface Move {
  token: string;
  node: string;
  flow?: string;
  /** Record this lineage follows. */
  previous: string;
  /** Scope instance, for a lineage that is new. */
  scope?: string;
  /** Arrives as the trigger of an event (event-based gateway target, link catch, boundary, event sub-process). */
  triggered?: TokenData;
  /** Standard loop: turns completed before this arrival. */
  loopTurn?: number;
  /** Re-entering an instance that already waits (incident retry): keeps its instance id. */
  instance?: string;
}

export type Behavior = (s: Stepper, move: Move, node: FlowNode, instance: string) => void;

/** Element behaviours by node type, and the hooks the step's settling phase calls. */
export interface Behaviors {
  readonly enter: Readonly<Record<string, Behavior>>;
  /** A scope instance (sub-process, call, event sub-process) has no lineage left. */
  scopeCompleted(s: Stepper, host: Move, node: FlowNode, scope: string): void;
  /** A signal thrown inside the run reaches its subscribers. */
  deliverSignal(s: Stepper, name: string, vars: Record<string, unknown>): void;
  /** Fires what became ready once tokens settled (inclusive joins); true when something moved. */
  settle(s: Stepper): boolean;
}

/** Thrown for an event that does not apply to the run; the step writes nothing. */
export class EngineError extends Error {
  constructor(
    readonly code: 'not-running' | 'not-waiting' | 'not-due' | 'stale-job' | 'no-subscription' | 'unknown-incident' | 'bad-event' | 'bad-start',
    message: string
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

export class Stepper {
  readonly records: TokenRecord[] = [];
  readonly effects: Effect[] = [];
  readonly index: ModelIndex;
  readonly at: number;
  private readonly agenda: Move[] = [];
  private readonly maybeDone = new Set<string>();
  private readonly dead = new Set<string>();
  private readonly pendingSignals: { name: string; vars: Record<string, unknown> }[] = [];

  constructor(
    readonly model: ProcessModel,
    public state: RunState,
    readonly ctx: EngineContext,
    readonly owner: string,
    private readonly behaviors: Behaviors
  ) {
    this.index = indexModel(model);
    this.at = ctx.now();
  }

  /** Seals a record onto the chain and folds it into the draft state. */
  emit(fields: {
    kind?: RecordKind;
    status: RecordStatus;
    token?: string;
    previousToken?: string | null;
    node: string;
    instance: string;
    flow?: string | undefined;
    data?: unknown;
    owner?: string;
  }): TokenRecord {
    const record = sealRecord(
      {
        v: 1,
        runId: this.state.runId,
        id: this.ctx.newId(),
        kind: fields.kind ?? 'token',
        token: fields.token ?? '',
        previousToken: fields.previousToken ?? null,
        node: fields.node,
        instance: fields.instance,
        ...(fields.flow !== undefined ? { flow: fields.flow } : {}),
        status: fields.status,
        owner: fields.owner ?? this.owner,
        at: this.at,
        ...(fields.data !== undefined && !isEmpty(fields.data) ? { data: fields.data } : {})
      },
      this.state.seq,
      this.state.head
    );
    if (record.kind === 'token' && record.status !== 'waiting') this.cancelTimersOf(record.instance);
    applyRecord(this.state, record);
    this.records.push(record);
    return record;
  }

  /** An instance stops waiting: the host drops the timers it armed (boundaries, retry backoff). */
  private cancelTimersOf(instance: string): void {
    const wait = this.state.waits[instance];
    if (!wait) return;
    for (const sub of Object.values(this.state.subs)) {
      if (sub.owner === instance && sub.kind === 'timer') this.effect({ type: 'timer.cancel', timerId: sub.id });
    }
    if (wait.retryAt !== undefined && wait.job) this.effect({ type: 'timer.cancel', timerId: `retry:${wait.job.key}` });
  }

  /** A token record for `move` at its node; a lineage that ends here may complete its scope. */
  tokenRecord(move: Move, instance: string, status: RecordStatus, data?: TokenData): TokenRecord {
    const live = this.state.tokens[move.token];
    const scope = live?.scope ?? move.scope ?? this.state.root;
    const full: TokenData = { ...(move.triggered ?? {}), ...(data ?? {}) };
    if (!live && scope !== this.state.root) full.scope = scope;
    const record = this.emit({
      status,
      token: move.token,
      previousToken: move.previous || null,
      node: move.node,
      instance,
      flow: move.flow,
      data: full
    });
    move.previous = record.id;
    move.triggered = undefined;
    if (!this.state.tokens[move.token]) this.maybeDone.add(scope);
    return record;
  }

  effect(effect: Effect): void {
    this.effects.push(effect);
  }

  node(id: string): FlowNode {
    const node = this.index.nodes[id];
    if (!node) throw new EngineError('bad-event', `no element ${id} in the model`);
    return node;
  }

  flow(id: string): SequenceFlow {
    const flow = this.index.flows[id];
    if (!flow) throw new EngineError('bad-event', `no sequence flow ${id} in the model`);
    return flow;
  }

  scopeOf(token: string): string {
    return this.state.tokens[token]?.scope ?? this.state.root;
  }

  /** Variables visible from a scope instance. */
  vars(scope: string): Record<string, unknown> {
    return visibleVariables(this.state, scope);
  }

  feel(expr: Expr, scope: string, extra?: Record<string, unknown>): FeelOutcome {
    const vars = extra ? { ...this.vars(scope), ...extra } : this.vars(scope);
    return evaluateFeel(expr, vars, this.at);
  }

  condition(expr: Expr, scope: string): FeelOutcome {
    return evaluateCondition(expr, this.vars(scope), this.at);
  }

  /** Queues a token's arrival at a node. */
  push(move: Move): void {
    this.agenda.push(move);
  }

  /** Runs queued arrivals until none is left, then completes finished scopes and delivers signals. */
  drain(): void {
    for (;;) {
      const move = this.agenda.shift();
      if (move) {
        this.arrive(move);
        continue;
      }
      if (this.maybeDone.size > 0) {
        const scopes = [...this.maybeDone];
        this.maybeDone.clear();
        for (const scope of scopes) this.completeScopeIfDone(scope);
        continue;
      }
      if (this.state.status === 'running' && this.behaviors.settle(this)) continue;
      const signal = this.pendingSignals.shift();
      if (signal) {
        if (this.state.status === 'running') this.behaviors.deliverSignal(this, signal.name, signal.vars);
        continue;
      }
      return;
    }
  }

  /** A signal thrown inside the run reaches its own subscribers once the current moves settle. */
  queueSignal(name: string, vars: Record<string, unknown>): void {
    this.pendingSignals.push({ name, vars });
  }

  private arrive(move: Move): void {
    // A lineage cancelled while this move was queued does not arrive anywhere.
    if (this.dead.has(move.token)) return;
    if (this.state.status !== 'running') return;
    const node = this.node(move.node);
    const behavior = this.behaviors.enter[node.type];
    if (!behavior) throw new EngineError('bad-event', `no behaviour for ${node.type} ${node.id}`);
    behavior(this, move, node, move.instance ?? this.ctx.newId());
  }

  /**
   * Completes the element for `move` and sends the token on. Conditions on the way out are
   * evaluated first, so a failing one leaves the token waiting with an incident instead.
   */
  completeAndLeave(move: Move, node: FlowNode, instance: string, data?: TokenData): void {
    const scope = this.state.tokens[move.token]?.scope ?? move.scope ?? this.state.root;
    const chosen = this.outgoing(node, scope);
    if (!chosen.ok) {
      this.waitWithIncident(move, instance, chosen.message, 'leave', chosen.element, data ?? {});
      return;
    }
    const end = chosen.flows.length === 0;
    this.tokenRecord(move, instance, 'completed', end ? { ...data, end: true } : data);
    if (!end) this.follow(move, chosen.flows, scope);
  }

  /** Sends a token along flows: the first keeps the lineage, the others fork new ones. */
  follow(move: Move, flows: readonly string[], scope: string): void {
    flows.forEach((flowId, i) => {
      const flow = this.flow(flowId);
      const token = i === 0 ? move.token : this.ctx.newId();
      this.push({ token, node: flow.target, flow: flowId, previous: move.previous, scope });
    });
  }

  /** Outgoing flows an activity or event takes: all unconditional, plus conditions that hold. */
  outgoing(node: FlowNode, scope: string): { ok: true; flows: string[] } | { ok: false; message: string; element: string } {
    const flows: string[] = [];
    let conditional = false;
    for (const id of node.outgoing) {
      if (id === node.defaultFlow) continue;
      const flow = this.flow(id);
      if (!flow.condition) {
        flows.push(id);
        continue;
      }
      conditional = true;
      const outcome = this.condition(flow.condition, scope);
      if (!outcome.ok) return { ok: false, message: `sequence flow ${id}: ${outcome.message}`, element: id };
      if (outcome.value === true) flows.push(id);
    }
    if (flows.length === 0 && node.defaultFlow) flows.push(node.defaultFlow);
    if (flows.length === 0 && conditional) {
      return { ok: false, message: `no condition on the flows out of ${node.id} is true and there is no default flow`, element: node.id };
    }
    return { ok: true, flows };
  }

  /** Leaves the token waiting at the element with an open incident. */
  waitWithIncident(move: Move, instance: string, message: string, retry: IncidentData['retry'], element?: string, pending?: unknown): void {
    if (!this.state.waits[instance]) this.tokenRecord(move, instance, 'waiting');
    this.openIncident(instance, message, retry, element ?? move.node, pending);
  }

  openIncident(instance: string, message: string, retry: IncidentData['retry'], element: string, pending?: unknown): void {
    const wait = this.state.waits[instance];
    if (!wait) return;
    const data: IncidentData = { message, element, ...(retry ? { retry } : {}), ...(pending !== undefined ? { pending } : {}) };
    this.emit({ kind: 'incident', status: 'opened', token: wait.token, previousToken: this.state.tokens[wait.token]?.last ?? null, node: wait.node, instance, data });
  }

  /** The scope instance may have no lineage left: check it once the moves settle. */
  mayBeDone(scope: string): void {
    this.maybeDone.add(scope);
  }

  /** True when no lineage runs in the scope instance any more. */
  scopeEmpty(scope: string): boolean {
    for (const token of Object.values(this.state.tokens)) if (token.scope === scope) return false;
    for (const move of this.agenda) {
      if (!this.dead.has(move.token) && (this.state.tokens[move.token]?.scope ?? move.scope) === scope) return false;
    }
    return true;
  }

  private completeScopeIfDone(scope: string): void {
    if (this.state.status !== 'running' || !this.scopeEmpty(scope)) return;
    if (scope === this.state.root) {
      this.finishRun('ended');
      return;
    }
    const host = this.state.waits[scope];
    if (!host || host.mi) return;
    const move = { token: host.token, node: host.node, previous: this.state.tokens[host.token]?.last ?? '' };
    this.behaviors.scopeCompleted(this, move, this.node(host.node), scope);
  }

  /** Ends the run with a run-level record. */
  finishRun(status: 'ended' | 'failed' | 'cancelled', error?: { message: string; element: string }): void {
    for (const sub of Object.values(this.state.subs)) {
      if (sub.kind === 'timer') this.effect({ type: 'timer.cancel', timerId: sub.id });
    }
    this.emit({ kind: 'run', status, node: this.state.processId, instance: this.state.root, data: error ? { error } : undefined });
    this.effect({ type: 'run.finished', status: status === 'ended' ? 'completed' : status });
  }

  /**
   * Cancels every lineage in a scope instance, innermost first, with the effects that
   * withdraw their timers, jobs and user tasks. `except` keeps one lineage alive.
   */
  cancelScope(scope: string, except?: string): void {
    const tokens = Object.entries(this.state.tokens)
      .filter(([id, t]) => t.scope === scope && id !== except)
      .sort((a, b) => (this.state.waits[a[1].instance]?.seq ?? 0) - (this.state.waits[b[1].instance]?.seq ?? 0));
    for (const [id, token] of tokens) this.cancelToken(id, token.instance);
    for (const move of this.agenda) {
      if (!this.state.tokens[move.token] && move.scope === scope && move.token !== except) this.dead.add(move.token);
    }
  }

  /** Cancels one lineage at its element instance (and whatever runs inside that instance). */
  cancelToken(token: string, instance: string, status: 'cancelled' | 'failed' = 'cancelled', data?: TokenData): TokenRecord | undefined {
    const live = this.state.tokens[token];
    if (!live) return undefined;
    if (this.state.scopes[instance] || this.state.waits[instance]?.mi) this.cancelScope(instance);
    this.withdraw(instance);
    this.dead.add(token);
    this.maybeDone.add(live.scope);
    return this.emit({ status, token, previousToken: live.last, node: live.node, instance, data });
  }

  /** Effects that take back the job or user task of a cancelled instance (its timers go in `emit`). */
  withdraw(instance: string): void {
    const wait: WaitState | undefined = this.state.waits[instance];
    if (!wait) return;
    if (wait.job) this.effect({ type: 'job.cancel', key: wait.job.key, instance });
    if (this.node(wait.node).type === 'userTask') this.effect({ type: 'userTask.close', instance });
  }
}

function isEmpty(data: unknown): boolean {
  return data !== null && typeof data === 'object' && !Array.isArray(data) && Object.keys(data).length === 0;
}
