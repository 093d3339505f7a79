/**
 * One run executing in this tab (under its Web Lock): an Executor over the store, paused when the
 * store refuses a write (quota, failed transaction) and resumed by recovering from the committed
 * records, which are the truth.
 */
import type { ProcessModel, RunState, StartCommand, TokenRecord, Effect, EngineEvent } from '../engine/index.js';
import * as engine from '../engine/index.js';
import { Executor, type HeldAt, type StepHolds } from '../runtime/Executor.js';
import type { Clock, JobDispatcher, RunStore } from '../runtime/ports.js';

export interface RunExecutionDeps {
  runId: string;
  model: ProcessModel;
  store: RunStore;
  clock: Clock;
  jobs: JobDispatcher;
  /** After each committed step (and once after recovery, with no records). */
  onStep(records: readonly TokenRecord[], effects: readonly Effect[]): void;
  onPaused(message: string): void;
  /** Before the first step is committed (see ExecutorOptions.beforeCreate). */
  beforeCreate?: (state: RunState) => Promise<void>;
  /** Start in step mode (a recovered run reads its mode from `holds`). */
  stepMode?: boolean;
  /** Where step-mode runs keep their flag and held records. */
  holds?: StepHolds;
}

export class RunExecution {
  readonly runId: string;
  readonly #deps: RunExecutionDeps;
  #executor: Executor<RunState> | undefined;
  #paused: string | undefined;
  #finish!: () => void;
  /** Resolves when the run has ended (completed, failed or cancelled). */
  readonly finished = new Promise<void>((resolve) => (this.#finish = resolve));

  constructor(deps: RunExecutionDeps) {
    this.runId = deps.runId;
    this.#deps = deps;
  }

  get paused(): string | undefined {
    return this.#paused;
  }

  /** The state after the last committed step; undefined while starting or recovering. */
  get state(): RunState | undefined {
    try {
      return this.#executor?.state;
    } catch {
      return undefined;
    }
  }

  /** True while the run pauses before each element. */
  get stepMode(): boolean {
    return this.#executor?.stepMode ?? false;
  }

  /** Where a step-mode run is paused, if it is. */
  get held(): HeldAt | undefined {
    return this.#executor?.held;
  }

  /** Step mode: lets the held element proceed (the run pauses before the next one). */
  step(): Promise<void> {
    return this.#running().step();
  }

  /** Leaves step mode: the run goes on to the next breakpoint, if any. */
  continue(): Promise<void> {
    return this.#running().continue();
  }

  /** Elements the run pauses before (also outside step mode). */
  get breakpoints(): string[] {
    return this.#executor?.breakpoints ?? [];
  }

  setBreakpoints(nodes: readonly string[]): Promise<void> {
    return this.#running().setBreakpoints(nodes);
  }

  async start(cmd: StartCommand): Promise<void> {
    await this.#open().start(cmd);
  }

  async recover(): Promise<void> {
    const executor = this.#open();
    const state = await executor.recover(this.runId);
    if (state.status !== 'running' && !executor.held) this.#finish();
  }

  dispatch(event: EngineEvent): Promise<RunState> {
    try {
      return this.#running().dispatch(event);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  #running(): Executor<RunState> {
    if (this.#paused) throw new Error(`run ${this.runId} is paused: ${this.#paused}`);
    if (!this.#executor) throw new Error(`run ${this.runId} is not executing`);
    return this.#executor;
  }

  /** Forgets the in-memory state and continues from the committed records. */
  async resume(): Promise<void> {
    if (!this.#paused) return;
    this.#paused = undefined;
    await this.recover();
  }

  /** Marks the run paused without a store failure (e.g. its recovery failed): resume retries. */
  pauseForRetry(message: string): void {
    this.close();
    this.#paused = message;
  }

  close(): void {
    this.#executor?.close();
    this.#executor = undefined;
  }

  /** Gives up on a run that never started: whoever waits for `finished` stops waiting. */
  abandon(): void {
    this.close();
    this.#finish();
  }

  #open(): Executor<RunState> {
    this.close();
    const { model, clock, jobs, beforeCreate, holds, stepMode } = this.#deps;
    const executor = new Executor<RunState>({
      engine,
      model,
      store: this.#watched(),
      clock,
      jobs,
      newId,
      ...(beforeCreate ? { beforeCreate } : {}),
      ...(holds ? { holds } : {}),
      ...(stepMode ? { stepMode } : {})
    });
    executor.subscribe(({ state, records, effects, partial }) => {
      this.#deps.onStep(records, effects);
      if (state.status !== 'running' && !partial) this.#finish();
    });
    this.#executor = executor;
    return executor;
  }

  /** The store, with every failed chain write pausing this run. */
  #watched(): RunStore {
    const store = this.#deps.store;
    const pauseOn = <T>(write: Promise<T>): Promise<T> =>
      write.catch((error: unknown) => {
        this.#pause(error);
        throw error;
      });
    return {
      putXml: (sha, xml) => store.putXml(sha, xml),
      getXml: (sha) => store.getXml(sha),
      createRun: (meta, records) => store.createRun(meta, records),
      commit: (runId, records, update) => pauseOn(store.commit(runId, records, update)),
      records: (runId, fromSeq) => store.records(runId, fromSeq),
      getRun: (runId) => store.getRun(runId),
      listRuns: (filter) => store.listRuns(filter),
      close: () => store.close()
    };
  }

  #pause(error: unknown): void {
    if (this.#paused) return;
    this.#paused = describeWriteFailure(error);
    this.close();
    this.#deps.onPaused(this.#paused);
  }
}

/**
 * Record, token and instance ids: a random 128-bit prefix per worker and a counter. Unique like
 * UUIDs, without a crypto call per id (randomUUID was ~5% of the worker's time in the benchmark).
 */
const idPrefix = crypto.randomUUID();
let idCounter = 0;
function newId(): string {
  idCounter += 1;
  return `${idPrefix}-${idCounter.toString(36)}`;
}

/** A person-readable reason for a failed chain write. */
export function describeWriteFailure(error: unknown): string {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  const inner = (error as { inner?: unknown } | null)?.inner;
  const innerName = inner instanceof Error || inner instanceof DOMException ? inner.name : '';
  if (name === 'QuotaExceededError' || innerName === 'QuotaExceededError') {
    return 'Storage is full: the browser refused to save this run’s next step. Nothing already recorded was lost. Free some space, then resume.';
  }
  if (name === 'StoreConflictError') {
    return 'Another tab wrote this run’s chain first. Resume to continue from what is recorded.';
  }
  const message = error instanceof Error || error instanceof DOMException ? error.message : String(error);
  return `Saving this run’s next step failed (${name || 'error'}: ${message}). Nothing already recorded was lost; resume to retry.`;
}
