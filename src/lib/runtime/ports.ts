/**
 * Ports: what the runtime loop needs from its host. The browser worker implements them with
 * dexie and real timers, the Node CLI/relay with SQLite; tests with a simulated clock.
 */
import type { TokenRecord } from '../engine/chain/record.js';
import type { Effect } from '../engine/effects.js';
import type { EngineEvent } from '../engine/events.js';

export const RunStatus = {
  running: 'running',
  completed: 'completed',
  failed: 'failed',
  cancelled: 'cancelled'
} as const;
export type RunStatus = (typeof RunStatus)[keyof typeof RunStatus];

/** What the store keeps beside a run's records: enough to list runs and anchor the chain. */
export interface RunMeta {
  runId: string;
  processId: string;
  /** The exact XML the run started from (stored by this hash with `putXml`). */
  xmlSha256: string;
  status: RunStatus;
  /** Records committed so far (= the next seq). */
  count: number;
  /** Hash of the last committed record. */
  head: string;
  startedAt: number;
  updatedAt: number;
  /** Where the BPMN came from (CLI file path), for people. */
  file?: string;
}

/** Meta that changes with each commit (count and head follow from the records themselves). */
export interface RunUpdate {
  status: RunStatus;
  updatedAt: number;
}

export interface RunFilter {
  status?: RunStatus | readonly RunStatus[];
  processId?: string;
}

/** A checkpoint of a run's state at a seq. Records stay the truth; a snapshot only saves work. */
export interface Snapshot {
  seq: number;
  state: unknown;
}

/** Thrown when a commit does not continue the stored chain (another executor wrote first). */
export class StoreConflictError extends Error {
  override readonly name = 'StoreConflictError';
  constructor(
    readonly runId: string,
    message: string
  ) {
    super(message);
  }
}

/**
 * Intent-level run storage. Promise-returning so that IndexedDB can implement it; every write is
 * one transaction: a failed commit leaves nothing behind.
 */
export interface RunStore {
  /** Stores BPMN XML by its SHA-256 (idempotent). */
  putXml(sha256: string, xml: string): Promise<void>;
  getXml(sha256: string): Promise<string | undefined>;
  /** Creates the run and appends its first records in one transaction; fails if the run exists. */
  createRun(meta: Omit<RunMeta, 'count' | 'head'>, records: readonly TokenRecord[]): Promise<RunMeta>;
  /**
   * Appends records atomically. They must continue the chain (seq = count, prevHash = head);
   * otherwise StoreConflictError and nothing is written.
   */
  commit(runId: string, records: readonly TokenRecord[], update: RunUpdate): Promise<RunMeta>;
  /** The run's records from `fromSeq` (default 0), in seq order. */
  records(runId: string, fromSeq?: number): Promise<TokenRecord[]>;
  getRun(runId: string): Promise<RunMeta | undefined>;
  listRuns(filter?: RunFilter): Promise<RunMeta[]>;
  saveSnapshot?(runId: string, snapshot: Snapshot): Promise<void>;
  loadSnapshot?(runId: string): Promise<Snapshot | undefined>;
  close(): Promise<void>;
}

/** Opaque handle of a scheduled timer. */
export type TimerHandle = { readonly id: number };

/** Time as the runtime sees it: real in hosts, simulated in tests. */
export interface Clock {
  /** Milliseconds since epoch. */
  now(): number;
  /** Calls `fire` once at `dueAt` (ms since epoch); a due time in the past fires as soon as possible. */
  setTimer(dueAt: number, fire: () => void): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

export type JobDispatch = Extract<Effect, { type: 'job.dispatch' }> & { runId: string };

/** The event a finished job turns into. */
export type JobOutcome = Extract<EngineEvent, { type: 'job.completed' | 'job.failed' | 'job.errorThrown' }>;

/**
 * Runs jobs (commands, scripts, http, job types). Delivery is at-least-once: after a crash a job
 * may be dispatched again with the same key. `done` is called at most once per dispatch.
 */
export interface JobDispatcher {
  dispatch(job: JobDispatch, done: (outcome: JobOutcome) => void): void;
  /** Stops a job if it still runs; its `done` is then never called. */
  cancel(key: string): void;
}
