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
  /** Element instances the chain has entered so far (kept in step mode only). */
  #instances = new Set<string>();
  #held: Held<S> | undefined;
  /** Pending while a step is held: queued events wait for it. */
  #gate: Promise<void> | undefined;
  #openGate: () => void = () => undefined;
  /** `step` and `continue` calls, one at a time. */
  #holdTail: Promise<unknown> = Promise.resolve();

  constructor(opts: ExecutorOptions<S>) {
    this.#opts = opts;
    this.#stepMode = opts.stepMode ?? false;
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
    return this.#enqueue(async () => {
      const { engine, model, store, clock } = this.#opts;
      const result = engine.start(model, cmd, this.#ctx);
      await this.#opts.beforeCreate?.(result.state);
      const now = clock.now();
      const { prefix, groups } = this.#split(result.records);
      if (this.#stepMode) await this.#opts.holds?.put(cmd.runId, { stepMode: true, records: groups.flat() });
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
      if (groups.length > 0) this.#hold({ cause: 'start', state: result.state, effects: result.effects, groups }, prefix);
      else this.#apply('start', result.state, result.records, result.effects);
      return result.state;
    });
  }

  /** Rebuilds a stored run by replaying its verified records and re-issues its pending effects. */
  recover(runId: string): Promise<S> {
    return this.#enqueue(async () => {
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
      if (this.#stepMode) this.#instances = new Set(records.map((record) => record.instance));
      const chain = tail.length > 0 ? [...records, ...tail] : records;
      if (tail.length > 0) {
        const held = verifyChain(chain);
        if (!held.ok) throw new TamperedChainError(`run ${runId}: its held step does not continue the chain (seq ${held.seq}: ${held.reason})`);
      }
      const state = engine.replay(model, chain);
      const effects = engine.pendingEffects(model, state);
      if (tail.length > 0 && !this.#stepMode) {
        // Continued before the crash, but not all committed: commit the rest now.
        await this.#committing(store.commit(runId, tail, { status: this.#status(state), updatedAt: this.#opts.clock.now() }));
        await this.#opts.holds?.delete(runId);
      }
      if (tail.length > 0 && this.#stepMode) {
        const { prefix, groups } = this.#split(tail);
        this.#hold({ cause: 'recover', state, effects, groups: prefix.length > 0 ? [prefix, ...groups] : groups }, []);
        return state;
      }
      this.#apply('recover', state, tail.length > 0 && !this.#stepMode ? tail : [], effects);
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
        await this.#opts.holds?.put(this.state.runId, { stepMode: true, records: groups.flat() });
        if (prefix.length > 0) await this.#committing(store.commit(this.state.runId, prefix, { status: 'running', updatedAt: clock.now() }));
        this.#hold({ cause: event, state: result.state, effects: result.effects, groups }, prefix);
        return result.state;
      }
      if (result.records.length > 0) {
        const update = { status: this.#status(result.state), updatedAt: clock.now() };
        await this.#committing(store.commit(this.state.runId, result.records, update));
        if (this.#stepMode && update.status !== 'running') await this.#opts.holds?.delete(this.state.runId);
      }
      this.#apply(event, result.state, result.records, result.effects);
      return result.state;
    });
  }

  /**
   * Step mode: lets the held element proceed — commits its records up to the next element entered
   * (then pauses there), or the rest of the step with its effects. Nothing held: nothing happens.
   */
  step(): Promise<void> {
    return this.#holding(async () => {
      const held = this.#held;
      if (!held) return;
      const group = held.groups.shift()!;
      const runId = this.state.runId;
      const last = held.groups.length === 0;
      const update: RunUpdate = { status: last ? this.#status(held.state) : 'running', updatedAt: this.#opts.clock.now() };
      await this.#committing(this.#opts.store.commit(runId, group, update));
      if (last) {
        await this.#settleHold(runId, held.state);
        this.#release(held, group);
      } else {
        await this.#opts.holds?.put(runId, { stepMode: true, records: held.groups.flat() });
        this.#notify({ cause: held.cause, state: held.state, records: group, effects: [], partial: true });
      }
    });
  }

  /** Leaves step mode: whatever is held is committed at once and the run goes on freely. */
  continue(): Promise<void> {
    return this.#holding(async () => {
      // (A step held after an earlier `continue` raced it is released by this one.)
      if (!this.#stepMode && !this.#held) return;
      this.#stepMode = false;
      const held = this.#held;
      if (!held) {
        await this.#opts.holds?.delete(this.state.runId);
        return;
      }
      const rest = held.groups.flat();
      held.groups = [];
      await this.#committing(this.#opts.store.commit(this.state.runId, rest, { status: this.#status(held.state), updatedAt: this.#opts.clock.now() }));
      await this.#opts.holds?.delete(this.state.runId);
      this.#release(held, rest);
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

  /**
   * Step mode: splits a step's records at each element instance the chain enters for the first
   * time. `prefix` (before the first such record) is committed at once; each group waits for a
   * `step`. Outside step mode everything is prefix.
   */
  #split(records: readonly TokenRecord[]): { prefix: TokenRecord[]; groups: TokenRecord[][] } {
    if (!this.#stepMode) return { prefix: [...records], groups: [] };
    const prefix: TokenRecord[] = [];
    const groups: TokenRecord[][] = [];
    for (const record of records) {
      const enters = record.kind === 'token' && !this.#instances.has(record.instance);
      this.#instances.add(record.instance);
      if (enters) groups.push([record]);
      else (groups.at(-1) ?? prefix).push(record);
    }
    return { prefix, groups };
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
    await this.#opts.holds?.put(runId, { stepMode: this.#stepMode, records: [] });
    this.#held = undefined;
    this.#state = state;
    this.#openGate();
    this.#wakeIdle();
  }

  /** After a held step: a run still in step mode keeps its flag (records none), an ended one drops it. */
  async #settleHold(runId: string, state: S): Promise<void> {
    if (this.#status(state) === 'running') await this.#opts.holds?.put(runId, { stepMode: true, records: [] });
    else await this.#opts.holds?.delete(runId);
  }

  #holding(task: () => Promise<void>): Promise<void> {
    const run = async (): Promise<void> => {
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
    // A held step counts as idle: like a user task, it goes on only when a person steps it.
    return this.#queued === 0 && (!wait.jobs || this.#jobs.size === 0) && (!wait.timers || this.#timers.size === 0);
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
