/**
 * The run's state: plain JSON, changed only by folding records (reduce.ts), so replaying a chain
 * rebuilds exactly what the live run had.
 */

export type RunStatus = 'running' | 'completed' | 'failed' | 'cancelled';

/** A variable scope instance: the run's root, a sub-process / call / MI instance, or a task with inputs. */
export interface ScopeState {
  parent: string | null;
  vars: Record<string, unknown>;
}

/** A live token lineage. */
export interface TokenState {
  node: string;
  instance: string;
  /** Scope instance the token runs in. */
  scope: string;
  /** Id of the lineage's last record (the next record's previousToken). */
  last: string;
  waiting: boolean;
}

export interface MultiInstanceState {
  total: number;
  /** Items of the input collection (absent for cardinality loops). */
  items?: unknown[];
  /** Inner instances started so far. */
  started: number;
  completed: number;
}

export interface JobState {
  key: string;
  attempt: number;
  /** Attempts left after this one. */
  retries: number;
}

/** An element instance that waits: task, catch event, event gateway, join, (sub-)process body. */
export interface WaitState {
  node: string;
  token: string;
  scope: string;
  since: number;
  /** Seq of the waiting record: orders waits deterministically. */
  seq: number;
  job?: JobState;
  mi?: MultiInstanceState;
  /** Open incident on this instance. */
  incident?: string;
  /** Standard loop: turns completed so far. */
  loopTurn?: number;
  /** Job retry backoff: when the next attempt is dispatched. */
  retryAt?: number;
  /** The flow the token arrived by (kept for joins). */
  flow?: string;
}

/** Something the run waits for: a timer, a message or a signal, owned by a wait or a scope instance. */
export interface Subscription {
  id: string;
  kind: 'timer' | 'message' | 'signal';
  /** Catching node (catch event, boundary event, event sub-process start, receive task). */
  node: string;
  /** The wait or scope instance that owns it; removed with its owner. */
  owner: string;
  seq: number;
  dueAt?: number;
  /** Remaining repetitions of a timer cycle after this one (null = unbounded). */
  repeat?: { remaining: number | null; intervalMs: number } | undefined;
  name?: string;
  key?: string;
  /** A job retry backoff timer rather than a modelled timer event. */
  retry?: boolean;
}

/** evaluate: re-enter the element; job: a new attempt; finish: re-apply a result; leave: re-take the outgoing flows. */
export type IncidentRetry = 'evaluate' | 'job' | 'finish' | 'leave';

export interface IncidentState {
  id: string;
  node: string;
  instance: string;
  token: string;
  message: string;
  at: number;
  /** What resolving retries: the element's behaviour from its waiting point. */
  retry: IncidentRetry;
  /** What a 'finish' (job result) or 'leave' (record data) retry re-applies. */
  pending?: unknown;
}

export interface RunState {
  v: 1;
  runId: string;
  processId: string;
  xmlSha256: string;
  owner: string;
  startedAt: number;
  status: RunStatus;
  /** Records so far (the next record's seq). */
  seq: number;
  head: string;
  /** Root scope instance id. */
  root: string;
  scopes: Record<string, ScopeState>;
  tokens: Record<string, TokenState>;
  waits: Record<string, WaitState>;
  subs: Record<string, Subscription>;
  incidents: Record<string, IncidentState>;
  /** Instances that started a multi-instance body (their completion is not a "visit"). */
  error?: { message: string; element: string };
}
