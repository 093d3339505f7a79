/** What a token record's `data` may carry: every state change the fold needs, explicitly. */
import type { ErrorInfo } from './events.js';
import type { IncidentRetry, JobState, MultiInstanceState, Subscription } from './state.js';

export type SubscriptionSpec = Omit<Subscription, 'seq' | 'owner'> & { owner?: string };

export interface TokenData {
  /** First record of a new lineage: the scope instance it runs in (default: the run's root). */
  scope?: string;
  /** Creates a variable scope for this record's instance, with these local variables. */
  local?: Record<string, unknown>;
  /** The scope created for this instance does not see its parent (a called process). */
  isolated?: boolean;
  /** Variable writes: scope instance → name → value. */
  vars?: Record<string, Record<string, unknown>>;
  /** Subscriptions armed (owned by this record's instance unless `owner` says otherwise). */
  subs?: SubscriptionSpec[];
  /** Subscriptions removed (a fired timer with no repetitions left, a consumed message). */
  unsub?: string[];
  /** A timer cycle's next occurrence. */
  rearm?: { id: string; dueAt: number; remaining: number | null };
  job?: JobState;
  /** Multi-instance body state (on the body's waiting record) or a patch of it. */
  mi?: MultiInstanceState;
  miPatch?: { body: string; started?: number; completed?: number };
  loopTurn?: number;
  error?: ErrorInfo;
  /** Job / script result as recorded. */
  result?: unknown;
  /** The lineage ends with this record (an element with nothing after it). */
  end?: boolean;
  /** Retry backoff: when the next attempt is due. */
  retryAt?: number;
}

export interface IncidentData {
  message: string;
  element: string;
  retry?: IncidentRetry;
  pending?: unknown;
  /** On a `resolved` record: the incident it resolves. */
  incident?: string;
}
