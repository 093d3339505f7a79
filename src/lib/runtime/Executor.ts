/**
 * The runtime loop for one run: one event at a time → pure engine step → commit the step's
 * records in one store transaction → only then perform its effects → notify subscribers.
 * Shared by the Node CLI/relay and (later) the browser worker.
 */
import type { RunSummary } from '../engine/api.js';
import type { TokenRecord } from '../engine/chain/record.js';
import { verifyChain } from '../engine/chain/verifyChain.js';
import type { ProcessModel } from '../engine/definition/model.js';
import type { Effect } from '../engine/effects.js';
import type { EngineContext, EngineEvent, StartCommand } from '../engine/events.js';
import type { EngineApi, RunStateLike } from './engineApi.js';
import { splitAtPauses } from './pauses.js';
import type { Clock, JobDispatcher, RunStatus, RunStore, RunUpdate, TimerHandle } from './ports.js';

export interface ExecutorOptions<S extends RunStateLike> {
  engine: EngineApi<S>;
  model: ProcessModel;
  store: RunStore;
  clock: Clock;
  jobs: JobDispatcher;
  /** Id source for new records (default: random UUIDs). */
  newId?: () => string;
  /** Where the BPMN came from, kept in the run's meta. */
  file?: string;
  /**
   * Called by `start` after the first step is computed and before it is committed; a rejection
   * stops the start with nothing written. The browser host takes the run's lock here, and only
   * for a run that does not end within its first step.
   */
  beforeCreate?: (state: S) => Promise<void>;
  /** Start the run in step mode: it pauses before each element is entered (see `step`). */
  stepMode?: boolean;
  /** Where a step-mode run keeps its flag and held-back records, so a reload pauses where it was. */
  holds?: StepHolds;
}

/**
 * A step-mode run's persisted pause: the flag, and the records the engine computed for the step
 * in progress that are not committed yet (they continue the stored chain exactly).
 */
export interface StepHold {
  stepMode: boolean;
  /** Elements the run pauses before even outside step mode. */
  breakpoints?: string[];
  records: TokenRecord[];
}

/** Storage for step holds (a small IndexedDB table in the browser; memory in tests). */
export interface StepHolds {
  get(runId: string): Promise<StepHold | undefined>;
  put(runId: string, hold: StepHold): Promise<void>;
  delete(runId: string): Promise<void>;
}

/** Where a step-mode run is paused: before the first record of the element it is about to enter. */
export interface HeldAt {
  node: string;
  instance: string;
  /** Seq the held record will get. */
  seq: number;
}

/** What subscribers hear after each committed step (and after recovery). */
export interface ExecutorNotice<S> {
  cause: 'start' | 'recover' | EngineEvent;
  state: S;
  records: readonly TokenRecord[];
  effects: readonly Effect[];
  /**
   * Step mode: these records are part of a step whose rest is held back. `state` is then the
   * state after the whole step (not yet committed) and the step's effects come with its last part.
   */
  partial?: true;
}

interface Held<S> {
  cause: ExecutorNotice<S>['cause'];
  /** The state after the whole step. */
  state: S;
  effects: readonly Effect[];
  /** The uncommitted records, one group per element entered: each group is released by one `step`. */
  groups: TokenRecord[][];
}

export interface IdleOptions {
  /** Wait for pending timers too (default true). */
  timers?: boolean;
  /** Wait for running jobs too (default true). */
  jobs?: boolean;
}

/** The run's chain in the store does not verify: it is never executed further. */
export class TamperedChainError extends Error {
  override readonly name = 'TamperedChainError';
}

export class Executor<S extends RunStateLike> {
  readonly #opts: ExecutorOptions<S>;
  readonly #ctx: EngineContext;
  #state: S | undefined;
  #tail: Promise<unknown> = Promise.resolve();
  #queued = 0;
  #broken: Error | undefined;
  #closed = false;
  readonly #timers = new Map<string, TimerHandle>();
  readonly #jobs = new Set<string>();
  readonly #listeners = new Set<(notice: ExecutorNotice<S>) => void>();
  #idleWaiters: (Required<IdleOptions> & { resolve: () => void })[] = [];
  #stepMode: boolean;
  #breakpoints = new Set<string>();
  /** Element instances the committed chain has entered (kept only while the run can pause). */
  #instances: Set<string> | undefined;
  #held: Held<S> | undefined;
  /** Pending while a step is held: queued events wait for it. */
  #gate: Promise<void> | undefined;
  #openGate: () => void = () => undefined;
  /** `step` and `continue` calls, one at a time. */
  #holdTail: Promise<unknown> = Promise.resolve();
  /** Settles when the run's start or recovery has (step controls wait for it). */
  #opened: Promise<void> = Promise.resolve();

  constructor(opts: ExecutorOptions<S>) {
    this.#opts = opts;
    this.#stepMode = opts.stepMode ?? false;
    if (this.#stepMode) this.#instances = new Set();
    this.#ctx = { now: () => opts.clock.now(), newId: opts.newId ?? (() => crypto.randomUUID()) };
  }

  /** The run's current state (after the last committed step). */
  get state(): S {
    if (!this.#state) throw new Error('executor has no run yet: call start or recover');
    return this.#state;
  }

  summary(): RunSummary {
    return this.#opts.engine.summarize(this.#opts.model, this.state);
  }

  /** Listens to every committed step; returns the unsubscribe function. */
  subscribe(listener: (notice: ExecutorNotice<S>) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** True while the run pauses before each element it enters. */
  get stepMode(): boolean {
    return this.#stepMode;
  }

  /** Elements the run pauses before (also outside step mode). */
  get breakpoints(): string[] {
    return [...this.#breakpoints];
  }

  /** Where a step-mode run is paused, if it is. */
  get held(): HeldAt | undefined {
    const next = this.#held?.groups[0]?.[0];
    return next ? { node: next.node, instance: next.instance, seq: next.seq } : undefined;
  }

  /**
   * Starts a new run: creates it in the store with its first records, then performs its effects.
   * The model's XML must already be in the store (`putXml`): a run is pinned to it.
   */
  start(cmd: StartCommand): Promise<S> {
    return this.#opening(async () => {
      const { engine, model, store, clock } = this.#opts;
      const result = engine.start(model, cmd, this.#ctx);
      await this.#opts.beforeCreate?.(result.state);
      const now = clock.now();
      const { prefix, groups } = this.#split(result.records);
      if (groups.length > 0) await this.#putHold(cmd.runId, groups.flat());
      await this.#committing(store.createRun(
        {
          runId: result.state.runId,
          processId: result.state.processId,
          xmlSha256: model.xmlSha256,
          status: groups.length > 0 ? 'running' : this.#status(result.state),
          startedAt: now,
          updatedAt: now,
          ...(this.#opts.file === undefined ? {} : { file: this.#opts.file })
        },
        prefix
      ));
      this.#entered(prefix);
      if (groups.length > 0) {
        this.#hold({ cause: 'start', state: result.state, effects: result.effects, groups }, prefix);
        return result.state;
      }
      await this.#keepHold(cmd.runId, this.#status(result.state));
      this.#apply('start', result.state, result.records, result.effects);
      return result.state;
    });
  }

  /** Rebuilds a stored run by replaying its verified records and re-issues its pending effects. */
  recover(runId: string): Promise<S> {
    return this.#opening(async () => {
      const { engine, model, store } = this.#opts;
      const meta = await store.getRun(runId);
      if (!meta) throw new Error(`no run ${runId} in the store`);
      const records = await store.records(runId);
      const verdict = verifyChain(records, meta);
      if (!verdict.ok) throw new TamperedChainError(`run ${runId}: chain invalid at seq ${verdict.seq}: ${verdict.reason}`);
      const hold = meta.status === 'running' ? await this.#opts.holds?.get(runId) : undefined;
      // Held records the store already has were committed before a crash: only the rest is held.
      const tail = (hold?.records ?? []).filter((record) => record.seq >= meta.count);
      this.#stepMode = hold?.stepMode ?? false;
      this.#breakpoints = new Set(hold?.breakpoints ?? []);
      if (this.#canPause()) this.#instances = new Set(records.map((record) => record.instance));
      const chain = tail.length > 0 ? [...records, ...tail] : records;
      if (tail.length > 0) {
        const held = verifyChain(chain);
        if (!held.ok) throw new TamperedChainError(`run ${runId}: its held step does not continue the chain (seq ${held.seq}: ${held.reason})`);
      }
      const state = engine.replay(model, chain);
      const effects = engine.pendingEffects(model, state);
      // What was held is split again by the rules now in force: what comes before a pause (e.g.
      // continued before the crash but not all committed) is committed now.
      const { prefix, groups } = this.#split(tail);
      if (prefix.length > 0) {
        const status = groups.length > 0 ? 'running' : this.#status(state);
        await this.#committing(store.commit(runId, prefix, { status, updatedAt: this.#opts.clock.now() }));
        this.#entered(prefix);
      }
      if (groups.length > 0) {
        this.#hold({ cause: 'recover', state, effects, groups }, []);
        return state;
      }
      if (tail.length > 0) await this.#keepHold(runId, this.#status(state));
      this.#apply('recover', state, prefix, effects);
      return state;
    });
  }

  /**
   * Queues an event; resolves with the state after its step is committed and its effects performed.
   * While a step is held, events wait for it — except a cancellation, which drops the held part
   * and cancels the run from what is committed.
   */
  dispatch(event: EngineEvent): Promise<S> {
    if (event.type === 'run.cancelled' && this.#held) return this.#holding(() => this.#dropHeld()).then(() => this.dispatch(event));
    return this.#enqueue(async () => {
      const { engine, model, store, clock } = this.#opts;
      const result = engine.step(model, this.state, event, this.#ctx);
      const { prefix, groups } = this.#split(result.records);
      if (groups.length > 0) {
        await this.#putHold(this.state.runId, groups.flat());
        if (prefix.length > 0) await this.#committing(store.commit(this.state.runId, prefix, { status: 'running', updatedAt: clock.now() }));
        this.#entered(prefix);
        this.#hold({ cause: event, state: result.state, effects: result.effects, groups }, prefix);
        return result.state;
      }
      if (result.records.length > 0) {
        const update = { status: this.#status(result.state), updatedAt: clock.now() };
        await this.#committing(store.commit(this.state.runId, result.records, update));
        this.#entered(result.records);
        if (update.status !== 'running') await this.#keepHold(this.state.runId, update.status);
      }
      this.#apply(event, result.state, result.records, result.effects);
      return result.state;
    });
  }

  /**
   * Lets the held element proceed and turns step mode on: commits its records up to the next
   * element entered (then pauses there), or the rest of the step with its effects.
   */
  step(): Promise<void> {
    return this.#holding(async () => {
      const held = this.#held;
      if (!held) return;
      this.#stepMode = true;
      // Held at a breakpoint, a group may span several elements: split it again, one per element.
      held.groups = this.#split(held.groups.flat()).groups;
      await this.#releaseNext(held, held.groups.shift()!);
    });
  }

  /** Leaves step mode: the held element and whatever follows are committed up to the next breakpoint. */
  continue(): Promise<void> {
    return this.#holding(async () => {
      // (A step held after an earlier `continue` raced it is released by this one.)
      if (!this.#stepMode && !this.#held) return;
      this.#stepMode = false;
      const held = this.#held;
      if (!held) {
        await this.#keepHold(this.state.runId, 'running');
        return;
      }
      const [current = [], ...others] = held.groups;
      const after = this.#split(others.flat());
      held.groups = after.groups;
      await this.#releaseNext(held, [...current, ...after.prefix]);
    });
  }

  /** Sets the elements the run pauses before, in or out of step mode (a held step is regrouped). */
  setBreakpoints(nodes: readonly string[]): Promise<void> {
    return this.#holding(async () => {
      this.#breakpoints = new Set(nodes);
      const runId = this.state.runId;
      if (this.#canPause() && !this.#instances) {
        this.#instances = new Set((await this.#opts.store.records(runId)).map((record) => record.instance));
      }
      const held = this.#held;
      if (held) {
        const [current = [], ...others] = held.groups;
        const after = this.#split(others.flat());
        held.groups = [[...current, ...after.prefix], ...after.groups];
        await this.#putHold(runId, held.groups.flat());
      } else {
        await this.#keepHold(runId, 'running');
      }
    });
  }

  /**
   * Resolves when no event is queued and (unless told otherwise) no job runs and no timer is
   * pending: the run can then only go on through people or messages.
   */
  whenIdle(options: IdleOptions = {}): Promise<void> {
    const wait = { timers: options.timers ?? true, jobs: options.jobs ?? true };
    if (this.#idle(wait)) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push({ ...wait, resolve }));
  }

  /** Timers and jobs this executor waits for (for hosts that report progress). */
  pending(): { timers: number; jobs: number } {
    return { timers: this.#timers.size, jobs: this.#jobs.size };
  }

  /** Detaches from the clock and the job dispatcher; later events are dropped (a crash, or shutdown). */
  close(): void {
    this.#closed = true;
    for (const handle of this.#timers.values()) this.#opts.clock.clearTimer(handle);
    this.#timers.clear();
    for (const key of this.#jobs) this.#opts.jobs.cancel(key);
    this.#jobs.clear();
    this.#held = undefined;
    this.#openGate();
    this.#wakeIdle();
  }

  #enqueue<T>(task: () => Promise<T>): Promise<T> {
    this.#queued += 1;
    const run = async (): Promise<T> => {
      try {
        // A held step blocks the run: what comes meanwhile waits for its release.
        while (this.#gate) await this.#gate;
        if (this.#closed) throw new Error('executor is closed');
        if (this.#broken) throw this.#broken;
        return await task();
      } finally {
        this.#queued -= 1;
        this.#wakeIdle();
      }
    };
    const result = this.#tail.then(run, run);
    this.#tail = result.catch(() => undefined);
    return result;
  }

  /** A failed commit leaves the store's truth unknown to this executor: it stops until recovered. */
  async #committing<T>(write: Promise<T>): Promise<T> {
    try {
      return await write;
    } catch (error) {
      this.#broken = error instanceof Error ? error : new Error(String(error));
      throw error;
    }
  }

  /** True when the run may pause: step mode or breakpoints. */
  #canPause(): boolean {
    return this.#stepMode || this.#breakpoints.size > 0;
  }

  /** Splits a step's records before each pause; a run that cannot pause commits them all at once. */
  #split(records: readonly TokenRecord[]): { prefix: TokenRecord[]; groups: TokenRecord[][] } {
    if (!this.#instances || !this.#canPause()) return { prefix: [...records], groups: [] };
    return splitAtPauses(records, this.#instances, { stepMode: this.#stepMode, breakpoints: this.#breakpoints });
  }

  /** Committed records: their instances count as entered. */
  #entered(records: readonly TokenRecord[]): void {
    if (this.#instances) for (const record of records) this.#instances.add(record.instance);
  }

  /** Commits one released part of the held step; the last part performs the step's effects. */
  async #releaseNext(held: Held<S>, part: TokenRecord[]): Promise<void> {
    const runId = this.state.runId;
    const last = held.groups.length === 0;
    const status = last ? this.#status(held.state) : 'running';
    const update: RunUpdate = { status, updatedAt: this.#opts.clock.now() };
    if (part.length > 0) await this.#committing(this.#opts.store.commit(runId, part, update));
    this.#entered(part);
    if (last) {
      this.#held = undefined;
      await this.#keepHold(runId, status);
      this.#release(held, part);
    } else {
      await this.#putHold(runId, held.groups.flat());
      this.#notify({ cause: held.cause, state: held.state, records: part, effects: [], partial: true });
    }
  }

  /** Writes the pause settings with these uncommitted records. */
  async #putHold(runId: string, records: TokenRecord[]): Promise<void> {
    await this.#opts.holds?.put(runId, { stepMode: this.#stepMode, breakpoints: [...this.#breakpoints], records });
  }

  /** With nothing held: keeps the pause settings of a running run that can pause, else drops them. */
  async #keepHold(runId: string, status: RunStatus): Promise<void> {
    if (status === 'running' && this.#canPause()) await this.#putHold(runId, []);
    else await this.#opts.holds?.delete(runId);
  }

  /** Holds the rest of a step: the committed prefix is announced, the run waits for `step`. */
  #hold(held: Held<S>, prefix: readonly TokenRecord[]): void {
    this.#held = held;
    this.#state = held.state;
    this.#gate = new Promise((resolve) => {
      this.#openGate = () => {
        this.#gate = undefined;
        this.#openGate = () => undefined;
        resolve();
      };
    });
    if (prefix.length > 0 || held.cause === 'recover') this.#notify({ cause: held.cause, state: held.state, records: prefix, effects: [], partial: true });
  }

  /** The held step is all committed: its effects are performed and queued events go on. */
  #release(held: Held<S>, last: readonly TokenRecord[]): void {
    this.#held = undefined;
    this.#apply(held.cause, held.state, last, held.effects);
    this.#openGate();
    this.#wakeIdle();
  }

  /**
   * Forgets the held part of a step: the run goes on from its committed records (replayed, so the
   * state is the chain's). The dropped records were never committed, so no chain has them.
   */
  async #dropHeld(): Promise<void> {
    if (!this.#held) return;
    const { engine, model, store } = this.#opts;
    const runId = this.state.runId;
    const state = engine.replay(model, await store.records(runId));
    this.#held = undefined;
    await this.#keepHold(runId, 'running');
    this.#state = state;
    this.#openGate();
    this.#wakeIdle();
  }

  /** Start and recovery: step controls called meanwhile wait for them (they may end held). */
  #opening(task: () => Promise<S>): Promise<S> {
    const opened = this.#enqueue(task);
    this.#opened = opened.then(
      () => undefined,
      () => undefined
    );
    return opened;
  }

  #holding(task: () => Promise<void>): Promise<void> {
    const run = async (): Promise<void> => {
      await this.#opened;
      if (this.#closed) throw new Error('executor is closed');
      if (this.#broken) throw this.#broken;
      await task();
    };
    const result = this.#holdTail.then(run, run);
    this.#holdTail = result.catch(() => undefined);
    return result;
  }

  #apply(cause: ExecutorNotice<S>['cause'], state: S, records: readonly TokenRecord[], effects: readonly Effect[]): void {
    this.#state = state;
    for (const effect of effects) this.#perform(effect);
    this.#notify({ cause, state, records, effects });
  }

  #notify(notice: ExecutorNotice<S>): void {
    for (const listener of this.#listeners) {
      try {
        listener(notice);
      } catch {
        // A subscriber's bug must not stop the run.
      }
    }
  }

  #perform(effect: Effect): void {
    const { clock, jobs } = this.#opts;
    switch (effect.type) {
      case 'timer.schedule': {
        const existing = this.#timers.get(effect.timerId);
        if (existing) clock.clearTimer(existing);
        const handle = clock.setTimer(effect.dueAt, () => {
          if (this.#timers.get(effect.timerId) !== handle) return;
          this.#background({ type: 'timer.fired', timerId: effect.timerId });
          this.#timers.delete(effect.timerId);
        });
        this.#timers.set(effect.timerId, handle);
        return;
      }
      case 'timer.cancel': {
        const handle = this.#timers.get(effect.timerId);
        if (handle) clock.clearTimer(handle);
        this.#timers.delete(effect.timerId);
        return;
      }
      case 'job.dispatch': {
        if (this.#jobs.has(effect.key)) return; // already running here: at-least-once, not twice at once
        this.#jobs.add(effect.key);
        let reported = false;
        try {
          jobs.dispatch({ ...effect, runId: this.state.runId }, (outcome) => {
            if (reported || !this.#jobs.has(effect.key)) return;
            reported = true;
            this.#background({ ...outcome, key: effect.key });
            this.#jobs.delete(effect.key);
          });
        } catch (error) {
          reported = true;
          this.#background({ type: 'job.failed', instance: effect.instance, error: { message: errorMessage(error) } });
          this.#jobs.delete(effect.key);
        }
        return;
      }
      case 'job.cancel':
        if (this.#jobs.delete(effect.key)) jobs.cancel(effect.key);
        return;
      case 'run.finished':
        for (const handle of this.#timers.values()) clock.clearTimer(handle);
        this.#timers.clear();
        return;
      default:
        // User tasks and published messages/signals are for subscribers (UI, CLI, relay).
        return;
    }
  }

  /** Dispatches an event that came from a timer or a job: a stale one is simply dropped. */
  #background(event: EngineEvent): void {
    if (this.#closed) return;
    this.dispatch(event).catch(() => undefined);
  }

  #status(state: S): RunStatus {
    return this.#opts.engine.summarize(this.#opts.model, state).status;
  }

  #idle(wait: Required<IdleOptions>): boolean {
    if (this.#closed) return true;
    // A held step counts as idle (events queued behind it too): like a user task, it goes on
    // only when a person steps it.
    return (this.#queued === 0 || this.#held !== undefined) && (!wait.jobs || this.#jobs.size === 0) && (!wait.timers || this.#timers.size === 0);
  }

  #wakeIdle(): void {
    const waiting = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const waiter of waiting) {
      if (this.#idle(waiter)) waiter.resolve();
      else this.#idleWaiters.push(waiter);
    }
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
