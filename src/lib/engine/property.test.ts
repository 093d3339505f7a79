/**
 * Property tests over generated processes (RELIABILITY.md R1, R4, R6):
 * random models from `testing/generateModel.ts`, random interleavings of the outside events that
 * are possible at each point, and after every step: chain, replay, recovery and liveness checks.
 *
 * Seeded: every run prints its seed; `TESSERA_SEED=<seed> npx vitest run src/lib/engine/property`
 * replays it, and a failure names the model seed and the events that led there.
 */
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { recordHash } from './chain/sealRecord.js';
import {
  canonicalJson,
  compile,
  EngineError,
  pendingEffects,
  replay,
  start,
  step,
  verifyChain,
  visitedFrom,
  type Effect,
  type EngineEvent,
  type ProcessModel,
  type RunState,
  type TokenRecord
} from './index.js';
import { generateModel, prng, type GeneratedModel, type ModelMeta } from './testing/generateModel.js';

const SEED = Number(process.env.TESSERA_SEED ?? Date.now() % 2 ** 31);
console.log(`engine property tests: seed ${SEED} (replay with TESSERA_SEED=${SEED})`);

/** Budgets: the whole file stays well under 20 s on a 2-core machine. */
const RUNS_R4 = Number(process.env.TESSERA_RUNS ?? 30);
const RUNS_R6 = Math.max(1, Math.round(RUNS_R4 * 0.6));
const RANDOM_EVENTS = 40;
/** Model size (sweeps may raise it: TESSERA_MAX_LEAVES=25 TESSERA_MAX_DEPTH=4). */
const SIZE = { maxLeaves: Number(process.env.TESSERA_MAX_LEAVES ?? 12), maxDepth: Number(process.env.TESSERA_MAX_DEPTH ?? 3) };
const DRIVE_EVENTS = 300;

const T0 = Date.UTC(2025, 0, 1);

type Dispatch = Extract<Effect, { type: 'job.dispatch' }>;
type TaskOpen = Extract<Effect, { type: 'userTask.open' }>;
type Rand = () => number;

/** A run driven like a host drives it: deterministic clock and ids, effects tracked, checks after every step. */
class Run {
  state!: RunState;
  readonly records: TokenRecord[] = [];
  readonly clock = { now: T0 };
  private n = 0;
  readonly ctx = { now: () => this.clock.now, newId: () => `id${++this.n}` };
  /** Open effects as a host sees them. */
  readonly timers = new Map<string, number>();
  readonly jobs = new Map<string, Dispatch>();
  readonly tasks = new Map<string, TaskOpen>();
  /** Every event sent (applied or refused), with the clock it was sent at. */
  readonly log: { at: number; event: EngineEvent; refused?: string }[] = [];
  private readonly ids = new Set<string>();

  constructor(
    readonly model: ProcessModel,
    /** R1: throw the state away before every step and continue from replay(records). */
    readonly recover = false
  ) {}

  begin(variables: Record<string, unknown>): void {
    const result = start(this.model, { runId: 'run-prop', variables }, this.ctx);
    this.accept(result.records, result.effects, result.state);
  }

  /** Applies an event; returns the EngineError when the engine refuses it (having written nothing). */
  send(event: EngineEvent): EngineError | undefined {
    const input = this.recover ? replay(this.model, this.records) : this.state;
    const before = canonicalJson(input);
    let result;
    try {
      result = step(this.model, input, event, this.ctx);
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      // Refused: nothing written, the input state untouched.
      expect(canonicalJson(input), 'a refused step changed its input state').toBe(before);
      this.log.push({ at: this.clock.now, event, refused: error.code });
      return error;
    }
    expect(canonicalJson(input), 'step mutated its input state').toBe(before);
    this.log.push({ at: this.clock.now, event });
    if (event.type === 'timer.fired') this.timers.delete(event.timerId);
    if (event.type === 'job.completed' || event.type === 'job.failed' || event.type === 'job.errorThrown') this.jobs.delete(event.instance);
    this.accept(result.records, result.effects, result.state);
    return undefined;
  }

  private accept(records: TokenRecord[], effects: Effect[], state: RunState): void {
    for (const record of records) this.checkAppend(record);
    this.state = state;
    for (const e of effects) {
      if (e.type === 'timer.schedule') this.timers.set(e.timerId, e.dueAt);
      if (e.type === 'timer.cancel') this.timers.delete(e.timerId);
      if (e.type === 'job.dispatch') this.jobs.set(e.instance, e);
      if (e.type === 'job.cancel') this.jobs.delete(e.instance);
      if (e.type === 'userTask.open') this.tasks.set(e.instance, e);
      if (e.type === 'userTask.close') this.tasks.delete(e.instance);
    }
    this.checkState();
  }

  /** Incremental chain check: contiguous seq, links, hashes, known predecessors, unique ids. */
  private checkAppend(record: TokenRecord): void {
    const i = this.records.length;
    expect(record.seq, 'seq is contiguous').toBe(i);
    expect(record.prevHash, `prevHash of seq ${i}`).toBe(i === 0 ? '' : this.records[i - 1]!.hash);
    const { hash, ...rest } = record;
    expect(hash, `hash of seq ${i}`).toBe(recordHash(rest));
    expect(record.runId).toBe('run-prop');
    expect(this.ids.has(record.id), `record id ${record.id} (seq ${i}) is unique`).toBe(false);
    if (record.previousToken !== null) {
      expect(this.ids.has(record.previousToken), `seq ${i} follows a record (${record.previousToken}) earlier in the chain`).toBe(true);
    }
    expect(record.at, 'record times never go back').toBeGreaterThanOrEqual(i === 0 ? 0 : this.records[i - 1]!.at);
    this.ids.add(record.id);
    this.records.push(record);
  }

  /** After every step: replay == live, liveness (R4), and recovery's effects == the host's open effects. */
  private checkState(): void {
    const replayed = replay(this.model, this.records);
    expect(canonicalJson(replayed), 'replay(records) equals the live state').toBe(canonicalJson(this.state));
    expect(this.state.seq).toBe(this.records.length);
    expect(this.state.head).toBe(this.records.at(-1)!.hash);
    if (this.state.status === 'running') {
      const waitsFor =
        this.tasks.size + this.jobs.size + this.timers.size + Object.keys(this.state.incidents).length + this.messageSubs().length;
      expect(waitsFor, 'R4: a running run waits for a user task, job, timer, message or incident (not stuck)').toBeGreaterThan(0);
    } else {
      expect(this.tasks.size + this.jobs.size + this.timers.size, `a ${this.state.status} run leaves no open user task, job or timer`).toBe(0);
    }
    expect(openSet(pendingEffects(this.model, this.state)), 'pendingEffects after replay == the effects the host holds open').toEqual(this.openEffects());
  }

  messageSubs(): { name: string; key?: string; node: string }[] {
    return Object.values(this.state.subs)
      .filter((s) => s.kind === 'message')
      .sort((a, b) => a.seq - b.seq)
      .map((s) => ({ name: s.name!, node: s.node, ...(s.key !== undefined ? { key: s.key } : {}) }));
  }

  openEffects(): string[] {
    return openSet([
      ...[...this.timers].map(([timerId, dueAt]) => ({ type: 'timer.schedule', timerId, dueAt }) as Effect),
      ...this.jobs.values(),
      ...this.tasks.values()
    ]);
  }

  earliestTimer(): [string, number] | undefined {
    // Ties broken by the catching element, not the timer id, so that delivery order cannot pick one.
    const node = (id: string) => this.state.subs[id]?.node ?? id;
    return [...this.timers].sort((a, b) => a[1] - b[1] || (node(a[0]) < node(b[0]) ? -1 : node(a[0]) > node(b[0]) ? 1 : 0))[0];
  }

  /** Moves the clock on by up to `ms`, never past a timer that would have fired first. */
  advance(ms: number): void {
    const next = this.earliestTimer();
    const limit = next ? Math.max(this.clock.now, next[1] - 1) : Infinity;
    this.clock.now = Math.min(this.clock.now + ms, limit);
  }

  fireEarliestTimer(): EngineError | undefined {
    const [timerId, dueAt] = this.earliestTimer()!;
    this.clock.now = Math.max(this.clock.now, dueAt);
    return this.send({ type: 'timer.fired', timerId });
  }

  /** Local variables of an element instance (MI inner instances carry `item`, `loopCounter`). */
  local(instance: string): Record<string, unknown> {
    return this.state.scopes[instance]?.vars ?? {};
  }
}

/** Identity of open effects: timers by id and due time, jobs by key and payload, user tasks by instance. */
function openSet(effects: readonly Effect[]): string[] {
  const out: string[] = [];
  for (const e of effects) {
    if (e.type === 'timer.schedule') out.push(`timer ${e.timerId} @${e.dueAt}`);
    if (e.type === 'job.dispatch') out.push(`job ${e.key} ${e.node} ${canonicalJson(e.payload)}`);
    if (e.type === 'userTask.open') out.push(`task ${e.instance} ${e.node}`);
  }
  return out.sort();
}

/** Two runs in lockstep (R1): the same events, one of them recovered from its records before every step. */
class Twin {
  constructor(
    readonly live: Run,
    readonly recovered: Run
  ) {}

  static async of(xml: string, variables: Record<string, unknown>): Promise<Twin> {
    const model = await compile(xml);
    const twin = new Twin(new Run(model), new Run(model, true));
    twin.live.begin(variables);
    twin.recovered.begin(variables);
    return twin;
  }

  send(event: EngineEvent): EngineError | undefined {
    const from = this.live.records.length;
    this.recovered.clock.now = this.live.clock.now;
    const a = this.live.send(event);
    const b = this.recovered.send(event);
    expect(b?.code, 'R1: the recovered run accepts/refuses the event like the live one').toBe(a?.code);
    expect(canonicalJson(this.recovered.records.slice(from)), 'R1: the recovered run writes the same records').toBe(
      canonicalJson(this.live.records.slice(from))
    );
    return a;
  }

  /** Fires the earliest timer, moving the clock to its due time. */
  sendTimer(): EngineError | undefined {
    const [timerId, dueAt] = this.live.earliestTimer()!;
    this.live.clock.now = Math.max(this.live.clock.now, dueAt);
    return this.send({ type: 'timer.fired', timerId });
  }
}

// ---------------------------------------------------------------------------------------------
// Choosing events

interface Choice {
  weight: number;
  label: string;
  run(): EngineError | undefined;
  /** The engine must refuse it. */
  refused?: boolean;
}

function pickWeighted(rand: Rand, choices: readonly Choice[]): Choice | undefined {
  const total = choices.reduce((sum, c) => sum + c.weight, 0);
  let r = rand() * total;
  for (const c of choices) {
    r -= c.weight;
    if (r < 0) return c;
  }
  return choices.at(-1);
}

const int = (rand: Rand, n: number) => Math.floor(rand() * n);
const pick = <T,>(rand: Rand, items: readonly T[]): T => items[int(rand, items.length)]!;

function randomValue(rand: Rand): unknown {
  return pick(rand, [0, 1, -2.5, 42, 'text', 'ü "quoted"', true, false, null, [1, 2], { a: 1, b: [true] }]);
}

/** Random completion variables: fresh names, sometimes a condition input (rarely one that breaks its FEEL). */
function randomVars(rand: Rand, meta: ModelMeta): Record<string, unknown> {
  const vars: Record<string, unknown> = {};
  for (let i = int(rand, 3); i > 0; i--) vars[`r${int(rand, 5)}`] = randomValue(rand);
  if (meta.conditionVars.length > 0 && rand() < 0.15) vars[pick(rand, meta.conditionVars)] = int(rand, 10);
  if (meta.conditionVars.length > 0 && rand() < 0.04) vars[pick(rand, meta.conditionVars)] = 'not a number';
  if (rand() < 0.3) vars['result'] = randomValue(rand);
  return vars;
}

/** What a host could send now, in a random interleaving (with refused events mixed in). */
function randomChoices(twin: Twin, gen: GeneratedModel, rand: Rand): Choice[] {
  const run = twin.live;
  const meta = gen.meta;
  const choices: Choice[] = [];
  const send = (event: EngineEvent) => () => {
    run.advance(int(rand, 3000));
    return twin.send(event);
  };
  for (const task of run.tasks.values()) {
    choices.push({ weight: 3, label: `complete ${task.node}`, run: send({ type: 'userTask.completed', instance: task.instance, variables: randomVars(rand, meta), owner: pick(rand, ['alice', 'bob']) }) });
  }
  for (const job of run.jobs.values()) {
    const catches = meta.jobs.find((j) => j.node === job.node)?.catches ?? [];
    const code = catches.length > 0 && rand() < 0.6 ? (catches[0] === '*' ? 'ANY' : catches[0]!) : pick(rand, [...meta.errorCodes, 'UNCAUGHT']);
    const result = job.payload.kind === 'command' ? { result: { exitCode: 0, stdout: `${job.node} ok`, stderr: '' } } : {};
    choices.push({ weight: 3, label: `job ${job.node} completed`, run: send({ type: 'job.completed', instance: job.instance, variables: randomVars(rand, meta), ...result, owner: 'runner-1' }) });
    choices.push({ weight: 1, label: `job ${job.node} failed`, run: send({ type: 'job.failed', instance: job.instance, error: { message: 'exit 1' } }) });
    choices.push({ weight: 1, label: `job ${job.node} threw ${code}`, run: send({ type: 'job.errorThrown', instance: job.instance, error: { code, message: `thrown ${code}` } }) });
  }
  if (run.timers.size > 0) choices.push({ weight: 2, label: 'fire earliest timer', run: () => twin.sendTimer() });
  for (const sub of run.messageSubs()) {
    choices.push({
      weight: 2,
      label: `message ${sub.name}`,
      run: send({ type: 'message.correlated', name: sub.name, ...(sub.key !== undefined ? { correlationKey: sub.key } : {}), variables: randomVars(rand, meta) })
    });
  }
  for (const incident of Object.values(run.state.incidents)) {
    choices.push({ weight: 1.5, label: `resolve ${incident.node}`, run: () => resolve(twin, gen, incident.id) });
  }
  choices.push({ weight: 0.3, label: 'set variables', run: send({ type: 'variables.set', variables: randomVars(rand, meta) }) });
  choices.push({ weight: 0.08, label: 'cancel run', run: send({ type: 'run.cancelled', owner: 'alice' }) });
  const refused: EngineEvent[] = [
    { type: 'job.completed', instance: 'no-such-job' },
    { type: 'timer.fired', timerId: 'no-such-timer' },
    { type: 'userTask.completed', instance: 'no-such-task' },
    { type: 'incident.resolved', incident: 'no-such-incident' },
    { type: 'message.correlated', name: 'nobody-listens' },
    ...meta.messages.filter((m) => m.correlationKey).map((m) => ({ type: 'message.correlated' as const, name: m.name, correlationKey: 'wrong-key' }))
  ];
  choices.push({ weight: 0.4, label: 'a stale or unknown event', refused: true, run: send(pick(rand, refused)) });
  // At-least-once delivery: the last applied event again. A finished job, task, incident or
  // one-shot timer no longer applies. (A cycle timer re-armed under the same id would: see the known issue.)
  const last = [...run.log].reverse().find((e) => !e.refused)?.event;
  const once = new Set(['job.completed', 'job.errorThrown', 'userTask.completed', 'incident.resolved', 'timer.fired']);
  if (last && once.has(last.type) && !(last.type === 'timer.fired' && run.state.subs[last.timerId]) && !(last.type === 'userTask.completed' && !last.instance)) {
    choices.push({ weight: 0.4, label: `redelivered ${last.type}`, refused: true, run: send(last) });
  }
  return choices;
}

/** Resolving an incident after repairing what may have caused it (condition inputs). */
function resolve(twin: Twin, gen: GeneratedModel, incident: string): EngineError | undefined {
  const repair = Object.fromEntries(gen.meta.conditionVars.map((v) => [v, gen.variables[v]]));
  if (Object.keys(repair).length > 0) twin.send({ type: 'variables.set', variables: repair });
  return twin.send({ type: 'incident.resolved', incident });
}

/** Progress only: what a patient host does to finish a run (first open item in a random order). */
function progressChoices(twin: Twin, gen: GeneratedModel, rand: Rand, resolves: { left: number }): Choice[] {
  const run = twin.live;
  const choices: Choice[] = [];
  const send = (event: EngineEvent) => () => {
    run.advance(int(rand, 2000));
    return twin.send(event);
  };
  for (const task of run.tasks.values()) choices.push({ weight: 1, label: `complete ${task.node}`, run: send({ type: 'userTask.completed', instance: task.instance, variables: { [`done_${task.node}`]: true } }) });
  for (const job of run.jobs.values()) choices.push({ weight: 1, label: `job ${job.node} completed`, run: send({ type: 'job.completed', instance: job.instance }) });
  for (const sub of run.messageSubs()) {
    choices.push({ weight: 1, label: `message ${sub.name}`, run: send({ type: 'message.correlated', name: sub.name, ...(sub.key !== undefined ? { correlationKey: sub.key } : {}) }) });
  }
  if (run.timers.size > 0) choices.push({ weight: 1, label: 'fire earliest timer', run: () => twin.sendTimer() });
  if (resolves.left > 0) {
    for (const incident of Object.values(run.state.incidents)) {
      choices.push({
        weight: 1,
        label: `resolve ${incident.node}`,
        run: () => {
          resolves.left--;
          return resolve(twin, gen, incident.id);
        }
      });
    }
  }
  return choices;
}

// ---------------------------------------------------------------------------------------------
// End-of-run checks

const TERMINAL = new Set(['ended', 'merged', 'cancelled', 'failed']);
const isTerminal = (r: TokenRecord) => TERMINAL.has(r.status) || (r.status === 'completed' && (r.data as { end?: boolean } | undefined)?.end === true);

/** Every token lineage ends in exactly one terminal status, and nothing follows it; one run-end record, last. */
function checkLineages(records: readonly TokenRecord[], status: RunState['status']): void {
  const terminal = new Map<string, TokenRecord>();
  const last = new Map<string, TokenRecord>();
  for (const r of records) {
    if (r.kind !== 'token') continue;
    const ended = terminal.get(r.token);
    if (ended) throw new Error(`lineage ${r.token}: seq ${r.seq} (${r.node} ${r.status}) after its terminal seq ${ended.seq} (${ended.node} ${ended.status})`);
    if (isTerminal(r)) terminal.set(r.token, r);
    last.set(r.token, r);
  }
  const runEnds = records.filter((r) => r.kind === 'run' && r.status !== 'started');
  if (status === 'running') {
    expect(runEnds).toHaveLength(0);
    return;
  }
  expect(runEnds, 'exactly one run-end record').toHaveLength(1);
  expect(records.at(-1), 'the run-end record is the last').toBe(runEnds[0]);
  for (const [token, r] of last) {
    if (!terminal.has(token)) throw new Error(`lineage ${token} is left at seq ${r.seq} (${r.node} ${r.status}) in a ${status} run`);
  }
}

/**
 * Joins fire once per activation; tokens ending at end events match what forked them.
 * Activations in a scope instance that was interrupted (its sub-process cancelled by a boundary,
 * a terminate end, an interrupting event sub-process) may legitimately never reach their join.
 */
function checkJoins(records: readonly TokenRecord[], meta: ModelMeta, status: RunState['status']): void {
  const root = records[0]!.instance;
  const tokens = records.filter((r) => r.kind === 'token');
  const lineageScope = new Map<string, string>();
  for (const r of tokens) if (!lineageScope.has(r.token)) lineageScope.set(r.token, (r.data as { scope?: string } | undefined)?.scope ?? root);
  const scopeOf = (r: TokenRecord) => lineageScope.get(r.token) ?? root;
  const interrupted = new Set<string>();
  const hosts = new Set([...meta.subProcesses, ...meta.multiInstance.map((m) => m.node)]);
  const terminates = new Set(meta.terminateEnds);
  const interruptingEsps = new Set(meta.eventSubProcesses.filter((e) => e.interrupting).map((e) => e.node));
  for (const r of tokens) {
    if (hosts.has(r.node) && (r.status === 'cancelled' || r.status === 'failed')) interrupted.add(r.instance);
    if (terminates.has(r.node) && r.status === 'ended') interrupted.add(scopeOf(r));
    if (interruptingEsps.has(r.node) && r.status === 'waiting') interrupted.add(scopeOf(r));
  }
  const at = (node: string, st: string) => tokens.filter((r) => r.node === node && r.status === st);
  const children = new Map<string, number>();
  for (const r of records) if (r.previousToken !== null) children.set(r.previousToken, (children.get(r.previousToken) ?? 0) + 1);
  for (const { fork, join, branches } of [...meta.parallel, ...meta.inclusive.map((i) => ({ fork: i.split, join: i.join, branches: 0 }))]) {
    const fired = at(join, 'completed');
    const instances = fired.map((r) => r.instance);
    expect(new Set(instances).size, `join ${join} completes each instance once`).toBe(instances.length);
    const scopes = new Set([...at(fork, 'completed'), ...fired].map(scopeOf));
    for (const scope of scopes) {
      const forks = at(fork, 'completed').filter((r) => scopeOf(r) === scope);
      const joins = fired.filter((r) => scopeOf(r) === scope);
      const where = `in scope ${scope}`;
      expect(joins.length, `join ${join} fires at most once per activation of ${fork} ${where}`).toBeLessThanOrEqual(forks.length);
      if (status !== 'completed' || interrupted.has(scope)) continue;
      expect(joins.length, `join ${join} fired once per activation of ${fork} ${where}`).toBe(forks.length);
      const extra = forks.reduce((sum, r) => sum + (children.get(r.id) ?? 1) - 1, 0);
      expect(at(join, 'merged').filter((r) => scopeOf(r) === scope).length, `${join} merges every token ${fork} forked ${where}`).toBe(extra);
      if (branches > 0) expect(extra, `${fork} forks ${branches - 1} tokens per activation`).toBe((branches - 1) * forks.length);
    }
  }
  if (status !== 'completed' || interrupted.size > 0) return;
  const ended = tokens.filter((r) => r.status === 'ended').length;
  const subs = meta.subProcesses.reduce((n, id) => n + at(id, 'completed').length, 0);
  const sideTokens = meta.boundaries.filter((b) => !b.interrupting).reduce((n, b) => n + at(b.node, 'completed').length, 0);
  const esps = meta.eventSubProcesses.reduce((n, e) => n + at(e.node, 'completed').length, 0);
  expect(ended, 'tokens ending at end events = the run + each sub-process and event sub-process instance + each non-interrupting boundary token').toBe(
    1 + subs + esps + sideTokens
  );
}

/** What the runs went through, for the report. */
function coverage(records: readonly TokenRecord[], meta: ModelMeta, into: Record<string, number>): void {
  const add = (key: string, n = 1) => (into[key] = (into[key] ?? 0) + n);
  const is = (ids: string[]) => new Set(ids);
  const boundaries = is(meta.boundaries.map((b) => b.node));
  const esps = is(meta.eventSubProcesses.map((e) => e.node));
  const mi = is(meta.multiInstance.map((m) => m.node));
  const parallelJoins = is(meta.parallel.map((p) => p.join));
  const inclusiveJoins = is(meta.inclusive.map((p) => p.join));
  for (const r of records) {
    if (r.kind === 'incident' && r.status === 'opened') add('incidents opened');
    if (r.kind === 'incident' && r.status === 'resolved') add('incidents resolved');
    if (r.kind !== 'token') continue;
    if (boundaries.has(r.node) && r.status === 'completed') add('boundary events fired');
    if (esps.has(r.node) && r.status === 'waiting') add('event sub-processes triggered');
    if (mi.has(r.node) && r.status === 'completed' && (r.data as { miPatch?: unknown } | undefined)?.miPatch) add('multi-instance inner instances completed');
    if (parallelJoins.has(r.node) && r.status === 'completed') add('parallel joins fired');
    if (inclusiveJoins.has(r.node) && r.status === 'completed') add('inclusive joins fired');
    if (meta.terminateEnds.includes(r.node)) add('terminate ends reached');
    if (meta.errorEnds.some((e) => e.node === r.node)) add('error ends reached');
    if (r.status === 'waiting' && (r.data as { error?: unknown } | undefined)?.error) add('job retries');
    if (r.status === 'cancelled') add('token records cancelled');
  }
}

function metaOf(partial: Partial<ModelMeta>): ModelMeta {
  const empty: ModelMeta = {
    userTasks: [], jobs: [], errorCodes: [], messages: [], timers: [], boundaries: [], errorEnds: [], terminateEnds: [], eventSubProcesses: [],
    parallel: [], inclusive: [], exclusive: [], eventGateways: [], subProcesses: [], multiInstance: [], conditionVars: [], endEvents: []
  };
  return { ...empty, ...partial };
}

function finalChecks(run: Run, gen: GeneratedModel): void {
  const anchor = { count: run.records.length, head: run.records.at(-1)!.hash };
  expect(verifyChain(run.records, anchor)).toEqual({ ok: true, count: anchor.count, head: anchor.head });
  checkLineages(run.records, run.state.status);
  checkJoins(run.records, gen.meta, run.state.status);
}

/** Runs `body`, prefixing any failure with what is needed to reproduce it. */
async function explained(what: string, gen: GeneratedModel, twin: () => Twin | undefined, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    const t = twin();
    const tail = t ? t.live.log.slice(-12).map((e) => `  @${e.at - T0} ${JSON.stringify(e.event)}${e.refused ? ` (refused: ${e.refused})` : ''}`).join('\n') : '';
    (error as Error).message = `${what}: model seed ${gen.seed} (size ${gen.size}), ${t?.live.log.length ?? 0} events; last events:\n${tail}\n${(error as Error).message}`;
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------

const covered: Record<string, number> = {};
const stats = { runs: 0, events: 0, refused: 0, completed: 0, failed: 0, cancelled: 0, incident: 0, records: 0 };

describe('engine/property: generated models, random events', () => {
  it('R4 + R1 + replay: every run ends or waits on an incident; replay and recovery match at every step', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), async (modelSeed, eventSeed) => {
        const gen = generateModel(modelSeed, SIZE);
        let twin: Twin | undefined;
        await explained(`R4 (event seed ${eventSeed})`, gen, () => twin, async () => {
          twin = await Twin.of(gen.xml, gen.variables);
          const rand = prng(eventSeed);
          const run = twin.live;
          // Random phase: anything possible, including failures, errors, stale events and cancellation.
          for (let i = 0; i < RANDOM_EVENTS && run.state.status === 'running'; i++) {
            const choice = pickWeighted(rand, randomChoices(twin, gen, rand))!;
            const refused = choice.run();
            if (choice.refused) expect(refused, `${choice.label} is refused`).toBeInstanceOf(EngineError);
          }
          // Drive phase: a patient host; within the bound the run must end or wait on an incident.
          const resolves = { left: 3 };
          for (let i = 0; i < DRIVE_EVENTS && run.state.status === 'running'; i++) {
            const choices = progressChoices(twin, gen, rand, resolves);
            if (choices.length === 0) break;
            const refused = pickWeighted(rand, choices)!.run();
            expect(refused?.message, 'a progress event the host could see is accepted').toBeUndefined();
          }
          const status = run.state.status;
          const incidents = Object.keys(run.state.incidents).length;
          expect(status === 'running' ? incidents : 1, `R4: run ended or has an open incident (status ${status})`).toBeGreaterThan(0);
          expect(twin.recovered.records.at(-1)!.hash, 'R1: recovered head == uninterrupted head').toBe(run.records.at(-1)!.hash);
          finalChecks(run, gen);
          stats.runs++;
          stats.events += run.log.length;
          stats.refused += run.log.filter((e) => e.refused).length;
          stats.records += run.records.length;
          coverage(run.records, gen.meta, covered);
          if (status === 'running') stats.incident++;
          else stats[status]++;
        });
      }),
      { seed: SEED, numRuns: RUNS_R4, verbose: 1 }
    );
    console.log(`R4/R1: ${JSON.stringify(stats)}\n  went through: ${JSON.stringify(covered)}`);
  }, 60_000 + RUNS_R4 * 2_000);
});

/** Deterministic completion data, written under per-element names so the end state cannot depend on order. */
function orderFreeChoices(run: Run, send: (event: EngineEvent) => EngineError | undefined): { key: string; go: () => EngineError | undefined }[] {
  const choices: { key: string; go: () => EngineError | undefined }[] = [];
  const data = (node: string, instance: string): Record<string, unknown> => {
    const local = run.local(instance);
    return 'item' in local ? { result: `${node}:${String(local['item'])}` } : { [`done_${node}`]: node };
  };
  for (const task of run.tasks.values()) {
    choices.push({ key: `task ${task.node}`, go: () => send({ type: 'userTask.completed', instance: task.instance, variables: data(task.node, task.instance) }) });
  }
  for (const job of run.jobs.values()) {
    choices.push({ key: `job ${job.node}`, go: () => send({ type: 'job.completed', instance: job.instance, variables: data(job.node, job.instance) }) });
  }
  for (const sub of run.messageSubs()) {
    choices.push({
      key: `message ${sub.name}`,
      go: () => send({ type: 'message.correlated', name: sub.name, ...(sub.key !== undefined ? { correlationKey: sub.key } : {}), variables: { [`got_${sub.node}`]: true } })
    });
  }
  return choices;
}

/** Runs a model to its end, picking among the independent events by `rand`; timers only when nothing else can happen. */
async function runInSomeOrder(xml: string, gen: GeneratedModel, rand: Rand): Promise<Run> {
  const run = new Run(await compile(xml));
  run.begin(gen.variables);
  for (let i = 0; i < DRIVE_EVENTS && run.state.status === 'running'; i++) {
    const choices = orderFreeChoices(run, (e) => run.send(e));
    if (choices.length > 0) {
      const refused = choices[int(rand, choices.length)]!.go();
      expect(refused?.message).toBeUndefined();
    } else if (run.timers.size > 0) {
      expect(run.fireEarliestTimer()?.message).toBeUndefined();
    } else break;
  }
  return run;
}

/** Replays a run's exact log (same events, same clock) on a fresh compile. */
async function rerun(xml: string, gen: GeneratedModel, log: Run['log']): Promise<Run> {
  const run = new Run(await compile(xml));
  run.begin(gen.variables);
  for (const { at, event } of log) {
    run.clock.now = at;
    run.send(event);
  }
  return run;
}

describe('engine/property: R6 reordered delivery and determinism', () => {
  it('independent events in any order: same end state and variables; the same order gives the same head', async () => {
    let orders = 0;
    let differentOrders = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), async (modelSeed, s1, s2) => {
        // Not order-free by design: message event sub-processes (triggered any number of times), and
        // error/terminate ends that cut short whatever else runs in their scope (a race).
        const gen = generateModel(modelSeed, { ...SIZE, without: ['eventSubProcess', 'errorEnd', 'terminate'] });
        await explained(`R6 (order seeds ${s1}, ${s2})`, gen, () => undefined, async () => {
          const a = await runInSomeOrder(gen.xml, gen, prng(s1));
          const b = await runInSomeOrder(gen.xml, gen, prng(s2));
          expect(a.state.status, 'order-free events: the run ends').toBe('completed');
          expect(b.state.status).toBe(a.state.status);
          expect(canonicalJson(b.state.scopes[b.state.root]!.vars), 'same final variables whatever the order').toBe(canonicalJson(a.state.scopes[a.state.root]!.vars));
          expect(visitedFrom(b.records).sort(), 'same elements completed whatever the order').toEqual(visitedFrom(a.records).sort());
          const again = await rerun(gen.xml, gen, a.log);
          expect(canonicalJson(again.records), 'the same event order writes the same chain').toBe(canonicalJson(a.records));
          expect(again.records.at(-1)!.hash).toBe(a.records.at(-1)!.hash);
          orders += 2;
          if (canonicalJson(a.log.map((e) => e.event.type)) !== canonicalJson(b.log.map((e) => e.event.type)) || a.records.at(-1)!.hash !== b.records.at(-1)!.hash) differentOrders++;
        });
      }),
      { seed: SEED ^ 0x5eed, numRuns: RUNS_R6, verbose: 1 }
    );
    console.log(`R6: ${orders} orders over ${RUNS_R6} models, ${differentOrders} pairs took different paths`);
  }, 60_000 + RUNS_R4 * 2_000);

  it('fast-check scheduler: parallel user tasks, a job and a message delivered in any async order', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="urn:test">
<bpmn:message id="M" name="paid"><bpmn:extensionElements><zeebe:subscription correlationKey="=order"/></bpmn:extensionElements></bpmn:message>
<bpmn:process id="P" isExecutable="true">
<bpmn:startEvent id="S"/><bpmn:parallelGateway id="F"/><bpmn:parallelGateway id="J"/><bpmn:endEvent id="E"/>
<bpmn:userTask id="A"/><bpmn:userTask id="B"/>
<bpmn:serviceTask id="C"><bpmn:extensionElements><zeebe:taskDefinition type="calc"/></bpmn:extensionElements></bpmn:serviceTask>
<bpmn:intermediateCatchEvent id="Paid"><bpmn:messageEventDefinition messageRef="M"/></bpmn:intermediateCatchEvent>
<bpmn:sequenceFlow id="f0" sourceRef="S" targetRef="F"/>
<bpmn:sequenceFlow id="f1" sourceRef="F" targetRef="A"/><bpmn:sequenceFlow id="f2" sourceRef="F" targetRef="B"/>
<bpmn:sequenceFlow id="f3" sourceRef="F" targetRef="C"/><bpmn:sequenceFlow id="f4" sourceRef="F" targetRef="Paid"/>
<bpmn:sequenceFlow id="f5" sourceRef="A" targetRef="J"/><bpmn:sequenceFlow id="f6" sourceRef="B" targetRef="J"/>
<bpmn:sequenceFlow id="f7" sourceRef="C" targetRef="J"/><bpmn:sequenceFlow id="f8" sourceRef="Paid" targetRef="J"/>
<bpmn:sequenceFlow id="f9" sourceRef="J" targetRef="E"/>
</bpmn:process></bpmn:definitions>`;
    const model = await compile(xml);
    const headByOrder = new Map<string, string>();
    let expectedVars: string | undefined;
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), async (s) => {
        // given a run waiting on four independent things
        const run = new Run(model);
        run.begin({ order: 'o-1' });
        const [a, b] = [...run.tasks.values()];
        const [c] = [...run.jobs.values()];
        const events: EngineEvent[] = [
          { type: 'userTask.completed', instance: a!.instance, variables: { a: 1 } },
          { type: 'userTask.completed', instance: b!.instance, variables: { b: 2 } },
          { type: 'job.completed', instance: c!.instance, variables: { c: 3 } },
          { type: 'message.correlated', name: 'paid', correlationKey: 'o-1', variables: { paid: true } }
        ];
        // when each outside actor delivers its event through its own async boundary
        const order: string[] = [];
        const host = events.map((event, i) =>
          s.schedule(Promise.resolve(event), `deliver ${i}`).then((e) => {
            order.push(String(i));
            run.clock.now += 1000;
            expect(run.send(e)).toBeUndefined();
          })
        );
        await s.waitAll();
        await Promise.all(host);
        // then the run completes with the same variables whatever the order, and one order gives one head
        expect(run.state.status).toBe('completed');
        const vars = canonicalJson(run.state.scopes[run.state.root]!.vars);
        expectedVars ??= vars;
        expect(vars).toBe(expectedVars);
        finalChecks(run, { seed: 0, xml, processId: 'P', variables: {}, size: 0, meta: metaOf({ parallel: [{ fork: 'F', join: 'J', branches: 4 }] }) });
        const key = order.join('');
        const head = run.records.at(-1)!.hash;
        expect(headByOrder.get(key) ?? head, `order ${key} always gives the same head`).toBe(head);
        headByOrder.set(key, head);
      }),
      { seed: SEED, numRuns: 60 }
    );
    expect(headByOrder.size, 'several delivery orders were exercised').toBeGreaterThan(5);
    expect(new Set(headByOrder.values()).size, 'different orders are different histories').toBe(headByOrder.size);
  });
});

describe('engine/property: no hidden clock or randomness in the engine (R6)', () => {
  const engineDir = dirname(fileURLToPath(import.meta.url));
  const forbidden: [string, RegExp][] = [
    ['Date.now', /\bDate\s*\.\s*now\b/],
    ['Math.random', /\bMath\s*\.\s*random\b/],
    ['new Date() without an argument', /\bnew\s+Date\s*(\(\s*\)|(?!\s*\())/],
    ['Date() called as a function', /(?<![\w$.]|new\s+)Date\s*\(/],
    ['performance.now', /\bperformance\s*\.\s*now\b/],
    ['setTimeout / setInterval / setImmediate', /\bset(Timeout|Interval|Immediate)\b/],
    ['crypto randomness', /\b(randomUUID|getRandomValues|randomBytes)\b/],
    ['eval(', /(?<![\w$.])eval\s*\(/],
    ['new Function', /\bnew\s+Function\b/]
  ];

  /** Source text without comments (a comment may name what the code must not use). */
  const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');

  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === 'testing' ? [] : sources(path);
      return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
    });

  it('the patterns catch what they are meant to (and not the allowed forms)', () => {
    const hits = (text: string) => forbidden.filter(([, re]) => re.test(code(text))).map(([name]) => name);
    expect(hits('const t = Date.now();')).toEqual(['Date.now']);
    expect(hits('const d = new Date();')).toEqual(['new Date() without an argument']);
    expect(hits('const d = new Date;')).toEqual(['new Date() without an argument']);
    expect(hits('const s = Date();')).toEqual(['Date() called as a function']);
    expect(hits('x = Math.random() + performance.now(); setTimeout(f, 1); eval("1"); new Function("x")')).toHaveLength(5);
    expect(hits('const d = new Date(epochMs); const u = Date.UTC(2025, 0, 1); // not Date.now()')).toEqual([]);
    expect(hits('/* Math.random is banned */ const x = evaluate(a);')).toEqual([]);
  });

  it('src/lib/engine (outside tests and testing/) uses no wall clock, randomness, timers or eval', () => {
    const files = sources(engineDir);
    expect(files.length).toBeGreaterThan(30);
    const found: string[] = [];
    for (const file of files) {
      const lines = code(readFileSync(file, 'utf8')).split('\n');
      lines.forEach((line, i) => {
        for (const [name, re] of forbidden) if (re.test(line)) found.push(`${relative(engineDir, file)}:${i + 1}: ${name}: ${line.trim()}`);
      });
    }
    expect(found).toEqual([]);
  });
});

describe('engine/property: regressions the properties found (minimal repros)', () => {
  // Was a bug (engine, Stepper/reduce; fixed in eda625e): an activity that completes normally drops its boundary timer
  // subscription from the state (reduce.ts endWait) without a `timer.cancel` effect; only
  // cancellation paths (Stepper.withdraw, the event-based gateway, finishRun) emit one. The host
  // keeps the timer: pendingEffects after recovery no longer matches it, a CLI waits for it, and
  // when it fires the engine refuses it (no-subscription). Found by the R4 property (model seed 0).
  it('regression: completing a user task with a boundary timer emits timer.cancel for that timer', async () => {
    const model = await compile(`<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="urn:test">
<bpmn:process id="P" isExecutable="true">
<bpmn:startEvent id="S"/><bpmn:userTask id="U"/><bpmn:endEvent id="E"/><bpmn:endEvent id="E2"/>
<bpmn:boundaryEvent id="B" attachedToRef="U"><bpmn:timerEventDefinition><bpmn:timeDuration>PT17S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
<bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="U"/><bpmn:sequenceFlow id="f2" sourceRef="U" targetRef="E"/><bpmn:sequenceFlow id="f3" sourceRef="B" targetRef="E2"/>
</bpmn:process></bpmn:definitions>`);
    let n = 0;
    const ctx = { now: () => T0, newId: () => `id${++n}` };
    const begun = start(model, { runId: 'r' }, ctx);
    const timer = begun.effects.find((e) => e.type === 'timer.schedule');
    const task = begun.effects.find((e) => e.type === 'userTask.open');
    const done = step(model, begun.state, { type: 'userTask.completed', instance: task!.instance }, ctx);
    expect(done.state.status).toBe('completed');
    expect(done.effects).toContainEqual({ type: 'timer.cancel', timerId: timer!.timerId });
  });
});

describe('engine/property: regressions, multi-instance user tasks', () => {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="urn:test">
<bpmn:process id="P" isExecutable="true">
<bpmn:startEvent id="S"/><bpmn:endEvent id="E"/>
<bpmn:userTask id="U"><bpmn:multiInstanceLoopCharacteristics isSequential="false"><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=items" inputElement="item"/></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>
<bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="U"/><bpmn:sequenceFlow id="f2" sourceRef="U" targetRef="E"/>
</bpmn:process></bpmn:definitions>`;
  const begin = async () => {
    const model = await compile(xml);
    let n = 0;
    const ctx = { now: () => T0, newId: () => `id${++n}` };
    const begun = start(model, { runId: 'r', variables: { items: [1, 2] } }, ctx);
    const opened = begun.effects.filter((e) => e.type === 'userTask.open').map((e) => (e as TaskOpen).instance);
    return { model, ctx, state: begun.state, opened };
  };

  // Was a bug (engine, summary.ts pendingEffects; fixed in eda625e): the multi-instance body waits at the user task's
  // node, and pendingEffects treats it as a user task: after recovery the host shows a third,
  // phantom task (the body instance) beside the two real ones. summarize() skips `wait.mi`;
  // pendingEffects does not. Found by the R6/R4 properties (pendingEffects vs the host's effects).
  it('regression: pendingEffects re-opens only the inner user tasks of a multi-instance body', async () => {
    const { model, state, opened } = await begin();
    expect(opened).toHaveLength(2);
    const reopened = pendingEffects(model, state).filter((e) => e.type === 'userTask.open').map((e) => (e as TaskOpen).instance);
    expect(reopened.sort()).toEqual(opened.sort());
  });

  // Was a bug (engine, delivery.ts userTaskCompleted; fixed in eda625e): `userTask.completed` by node id picks the oldest
  // waiting instance at that node, which is the multi-instance BODY: the body completes at once,
  // the run ends 'completed', and both inner instances are left without a terminal record and
  // without a userTask.close (their lineages never end). By instance id the body is accepted too.
  // The event should complete an inner instance (or be refused when ambiguous), never the body.
  it('regression: userTask.completed by node id on a multi-instance user task does not complete the body', async () => {
    const { model, ctx, state, opened } = await begin();
    const done = step(model, state, { type: 'userTask.completed', node: 'U' }, ctx);
    const completedInstances = done.records.filter((r) => r.kind === 'token' && r.node === 'U' && r.status === 'completed').map((r) => r.instance);
    expect(done.state.status).toBe('running');
    expect(completedInstances.every((i) => opened.includes(i))).toBe(true);
  });
});

describe('engine/property: known issues (kept out of the suite until fixed)', () => {
  // KNOWN ISSUE (dependency: feelin 8.2.0, used by feel/evaluateFeel.ts): ordering operators on
  // values of different types give booleans instead of FEEL's null: `"n/a" >= 5` and
  // `"n/a" <= 5` are both true, `true >= 1` is true. A condition on a wrongly typed variable
  // then silently takes a branch, where DESIGN.md wants an incident ("never a silent false").
  // Upstream: nikku/feelin PR #164 "return null when comparing incompatible types" (open).
  // Fix by upgrading feelin once it lands, or by a type guard in evaluateCondition.
  it('a condition comparing a string with a number opens an incident instead of taking a branch', async () => {
    const model = await compile(`<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="d" targetNamespace="urn:test">
<bpmn:process id="P" isExecutable="true">
<bpmn:startEvent id="S"/><bpmn:exclusiveGateway id="G"/><bpmn:endEvent id="High"/><bpmn:endEvent id="Low"/>
<bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="G"/>
<bpmn:sequenceFlow id="f2" sourceRef="G" targetRef="High"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=score &gt;= 5</bpmn:conditionExpression></bpmn:sequenceFlow>
<bpmn:sequenceFlow id="f3" sourceRef="G" targetRef="Low"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=score &lt; 5</bpmn:conditionExpression></bpmn:sequenceFlow>
</bpmn:process></bpmn:definitions>`);
    let n = 0;
    const begun = start(model, { runId: 'r', variables: { score: 'n/a' } }, { now: () => T0, newId: () => `id${++n}` });
    expect(begun.state.status).toBe('running');
    expect(Object.values(begun.state.incidents).map((i) => i.node)).toEqual(['G']);
  });
});

describe('engine/property: known issue, timers fired before they are due', () => {
  // KNOWN ISSUE (engine, delivery.ts timerFired): `timer.fired` is applied whatever the clock says.
  // A fire delivered twice (at-least-once; or the old host timer plus the one pendingEffects
  // re-issued after a recovery) makes a cycle's NEXT occurrence happen at once: a R3/PT10S
  // boundary fired at 10 s and redelivered runs its second reminder at 10 s instead of 20 s. An
  // early fire of a duration timer likewise ends its wait early. Suggested: refuse (EngineError
  // 'not-waiting' or 'no-subscription') when ctx.now() < the subscription's dueAt.
  it('a timer fired again before its next due time is refused', async () => {
    const model = await compile(`<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="urn:test">
<bpmn:process id="P" isExecutable="true">
<bpmn:startEvent id="S"/><bpmn:userTask id="T"/><bpmn:task id="Remind"/><bpmn:endEvent id="E1"/><bpmn:endEvent id="E2"/>
<bpmn:boundaryEvent id="B" attachedToRef="T" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeCycle>R3/PT10S</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:boundaryEvent>
<bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="T"/><bpmn:sequenceFlow id="f2" sourceRef="T" targetRef="E1"/>
<bpmn:sequenceFlow id="f3" sourceRef="B" targetRef="Remind"/><bpmn:sequenceFlow id="f4" sourceRef="Remind" targetRef="E2"/>
</bpmn:process></bpmn:definitions>`);
    let n = 0;
    const clock = { now: T0 };
    const ctx = { now: () => clock.now, newId: () => `id${++n}` };
    const begun = start(model, { runId: 'r' }, ctx);
    const timer = begun.effects.find((e) => e.type === 'timer.schedule')!;
    clock.now = timer.dueAt;
    const fired = step(model, begun.state, { type: 'timer.fired', timerId: timer.timerId }, ctx);
    // the same fire delivered again, still at 10 s: the next occurrence is due at 20 s
    expect(() => step(model, fired.state, { type: 'timer.fired', timerId: timer.timerId }, ctx)).toThrow(EngineError);
  });
});
