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
import type { Clock, JobDispatcher, RunStatus, RunStore, TimerHandle } from './ports.js';

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
}

/** What subscribers hear after each committed step (and after recovery). */
export interface ExecutorNotice<S> {
  cause: 'start' | 'recover' | EngineEvent;
  state: S;
  records: readonly TokenRecord[];
  effects: readonly Effect[];
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

  constructor(opts: ExecutorOptions<S>) {
    this.#opts = opts;
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
      await this.#committing(store.createRun(
        {
          runId: result.state.runId,
          processId: result.state.processId,
          xmlSha256: model.xmlSha256,
          status: this.#status(result.state),
          startedAt: now,
          updatedAt: now,
          ...(this.#opts.file === undefined ? {} : { file: this.#opts.file })
        },
        result.records
      ));
      this.#apply('start', result.state, result.records, result.effects);
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
      const state = engine.replay(model, records);
      this.#apply('recover', state, [], engine.pendingEffects(model, state));
      return state;
    });
  }

  /** Queues an event; resolves with the state after its step is committed and its effects performed. */
  dispatch(event: EngineEvent): Promise<S> {
    return this.#enqueue(async () => {
      const { engine, model, store, clock } = this.#opts;
      const result = engine.step(model, this.state, event, this.#ctx);
      if (result.records.length > 0) {
        const update = { status: this.#status(result.state), updatedAt: clock.now() };
        await this.#committing(store.commit(this.state.runId, result.records, update));
      }
      this.#apply(event, result.state, result.records, result.effects);
      return result.state;
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
    this.#wakeIdle();
  }

  #enqueue<T>(task: () => Promise<T>): Promise<T> {
    this.#queued += 1;
    const run = async (): Promise<T> => {
      try {
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

  #apply(cause: ExecutorNotice<S>['cause'], state: S, records: readonly TokenRecord[], effects: readonly Effect[]): void {
    this.#state = state;
    for (const effect of effects) this.#perform(effect);
    const notice = { cause, state, records, effects };
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
