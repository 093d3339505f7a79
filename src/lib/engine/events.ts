/** Events: facts from outside the pure engine that move a run forward. */

export type Variables = Record<string, unknown>;

export interface ErrorInfo {
  readonly message: string;
  /** BPMN error code: makes the failure catchable by an error boundary / event sub-process. */
  readonly code?: string;
}

/**
 * Job outcomes name the element instance; with `key` (runId:instance:attempt) an outcome of an
 * earlier attempt is refused instead of being taken for the current one.
 */
export type EngineEvent =
  /** A job (command, http, job type, JavaScript script) finished successfully. */
  | { type: 'job.completed'; instance: string; key?: string; result?: unknown; variables?: Variables; owner?: string }
  /** A job failed: retried while retries remain (after `backoff`), then an incident. */
  | { type: 'job.failed'; instance: string; key?: string; error: ErrorInfo; owner?: string }
  /** A job threw a BPMN error by code: caught by a boundary/event sub-process, else an incident. */
  | { type: 'job.errorThrown'; instance: string; key?: string; error: ErrorInfo; variables?: Variables; owner?: string }
  /** A scheduled timer fell due (`timerId` from the `timer.schedule` effect). */
  | { type: 'timer.fired'; timerId: string }
  /** A person completed a waiting user task (by element instance, or by node id when unique). */
  | { type: 'userTask.completed'; instance?: string; node?: string; variables?: Variables; owner?: string }
  /** A message arrived for this run. */
  | { type: 'message.correlated'; name: string; correlationKey?: string; variables?: Variables; owner?: string }
  /** A signal was broadcast. */
  | { type: 'signal.broadcast'; name: string; variables?: Variables; owner?: string }
  /** Variables edited from outside (root scope unless `scope` names an element instance). */
  | { type: 'variables.set'; variables: Variables; scope?: string; owner?: string }
  /** Retry a failed element after an incident. */
  | { type: 'incident.resolved'; incident: string; owner?: string }
  /** Cancel the whole run. */
  | { type: 'run.cancelled'; owner?: string };

export type EngineEventType = EngineEvent['type'];

/** What starts a run. */
export interface StartCommand {
  readonly runId: string;
  /** Defaults to the model's main process. */
  readonly processId?: string;
  /** A specific start event (message/timer start); defaults to the none start event. */
  readonly startEvent?: string;
  readonly variables?: Variables;
  readonly owner?: string;
}

/** Deterministic sources the engine needs: a replay with the same ctx is bit-identical. */
export interface EngineContext {
  /** Milliseconds since epoch. */
  now(): number;
  /** A fresh unique id. */
  newId(): string;
}
