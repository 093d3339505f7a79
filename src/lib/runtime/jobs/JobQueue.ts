/**
 * The relay's job queue: jobs by key (runId:instance:attempt), each handed to one runner at a
 * time under a lease (id + expiry). A lease that expires — the runner died, hung or lost its
 * connection — puts the job back for another runner: delivery is at-least-once. Settling is
 * idempotent by key: only the current lease may settle a job, once; anything else is refused
 * with a typed error and never reaches `onSettled`. Pure: time comes from `now`, no timers.
 */
import type { JobResult, JobSpec } from '../../protocol/jobs.js';

export const DEFAULT_LEASE_MS = 15_000;
/** A job whose leases expired this often is failed rather than handed out forever. */
export const DEFAULT_MAX_DELIVERIES = 5;
const FINISHED_MEMORY = 100_000;

export interface Lease {
  id: string;
  key: string;
  runnerId: string;
  expiresAt: number;
  job: JobSpec;
}

export type JobState = 'queued' | 'leased' | 'completed' | 'failed' | 'cancelled';

export class StaleLeaseError extends Error {
  override readonly name = 'StaleLeaseError';
  constructor(readonly key: string, readonly leaseId: string) {
    super(`lease ${leaseId} of job ${key} is no longer valid (expired or handed to another runner)`);
  }
}

export class JobAlreadyCompleted extends Error {
  override readonly name = 'JobAlreadyCompleted';
  constructor(readonly key: string, readonly state: JobState) {
    super(`job ${key} is already ${state}`);
  }
}

export class UnknownJobError extends Error {
  override readonly name = 'UnknownJobError';
  constructor(readonly key: string) {
    super(`no job ${key}`);
  }
}

/** Where queued jobs survive a relay restart (SQLite in the relay); all calls synchronous. */
export interface JobQueueStore {
  /** Open jobs, then the most recently finished ones (for idempotence after a restart). */
  load(): { job: JobSpec; state: JobState; result?: JobResult }[];
  save(job: JobSpec): void;
  finish(key: string, state: JobState, result?: JobResult): void;
}

export interface JobQueueOptions {
  now: () => number;
  /** Called exactly once per job that completes or fails (never for a cancelled one). */
  onSettled: (job: JobSpec, result: JobResult) => void;
  leaseMs?: number;
  maxDeliveries?: number;
  store?: JobQueueStore;
  /** Lease ids; default a counter (tests), the relay passes randomUUID. */
  newId?: () => string;
}

interface Entry {
  job: JobSpec;
  lease?: Lease;
  deliveries: number;
}

export class JobQueue {
  readonly leaseMs: number;
  readonly #opts: JobQueueOptions;
  readonly #maxDeliveries: number;
  /** Jobs not finished, in submission order. */
  readonly #open = new Map<string, Entry>();
  /** Keys waiting for a runner, oldest first. */
  readonly #ready = new Set<string>();
  readonly #finished = new Map<string, { state: JobState; result?: JobResult }>();
  /** Leased keys by runner. */
  readonly #held = new Map<string, Set<string>>();
  #counter = 0;

  constructor(opts: JobQueueOptions) {
    this.#opts = opts;
    this.leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
    this.#maxDeliveries = opts.maxDeliveries ?? DEFAULT_MAX_DELIVERIES;
    for (const { job, state, result } of opts.store?.load() ?? []) {
      if (state === 'queued' || state === 'leased') this.#enqueue(job);
      else this.#remember(job.key, state, result);
    }
  }

  /** Adds a job; a key seen before (open or finished) is left as it is. Returns its state. */
  submit(job: JobSpec): JobState {
    const known = this.state(job.key);
    if (known !== undefined) return known;
    this.#opts.store?.save(job);
    this.#enqueue(job);
    return 'queued';
  }

  state(key: string): JobState | undefined {
    const entry = this.#open.get(key);
    if (entry) return entry.lease ? 'leased' : 'queued';
    return this.#finished.get(key)?.state;
  }

  /** How a finished job ended (undefined while open, when cancelled, or long forgotten). */
  result(key: string): JobResult | undefined {
    return this.#finished.get(key)?.result;
  }

  /** Hands the oldest waiting job to `runnerId`, or undefined when none waits (call `expire` first on a timer). */
  lease(runnerId: string): Lease | undefined {
    for (const key of this.#ready) {
      this.#ready.delete(key);
      const entry = this.#open.get(key);
      if (!entry) continue;
      entry.deliveries += 1;
      const lease = { id: this.#newId(), key, runnerId, expiresAt: this.#opts.now() + this.leaseMs, job: entry.job };
      entry.lease = lease;
      let held = this.#held.get(runnerId);
      if (!held) this.#held.set(runnerId, (held = new Set()));
      held.add(key);
      return lease;
    }
    return undefined;
  }

  /** Extends every lease `runnerId` holds (its heartbeat). */
  renew(runnerId: string): void {
    const expiresAt = this.#opts.now() + this.leaseMs;
    for (const key of this.#held.get(runnerId) ?? []) {
      const lease = this.#open.get(key)?.lease;
      if (lease) lease.expiresAt = expiresAt;
    }
  }

  /** Ends `runnerId`'s leases now (it disconnected): their jobs wait for another runner. */
  release(runnerId: string): string[] {
    const keys = [...(this.#held.get(runnerId) ?? [])];
    for (const key of keys) {
      const entry = this.#open.get(key);
      if (entry) this.#requeue(entry);
    }
    this.#held.delete(runnerId);
    return keys;
  }

  /** Requeues jobs whose lease ran out; returns their keys. */
  expire(): string[] {
    const now = this.#opts.now();
    const expired = [...this.#leased()].filter((entry) => entry.lease!.expiresAt <= now);
    for (const entry of expired) this.#requeue(entry);
    return expired.map((entry) => entry.job.key);
  }

  /** The earliest lease expiry, for the host's timer. */
  nextExpiry(): number | undefined {
    let next: number | undefined;
    for (const entry of this.#leased()) {
      if (next === undefined || entry.lease!.expiresAt < next) next = entry.lease!.expiresAt;
    }
    return next;
  }

  /** Checks that `leaseId` is the job's live lease (for output and started messages). */
  check(key: string, leaseId: string): Lease {
    const entry = this.#open.get(key);
    const finished = this.#finished.get(key);
    if (!entry) throw finished ? new JobAlreadyCompleted(key, finished.state) : new UnknownJobError(key);
    const lease = entry.lease;
    if (!lease || lease.id !== leaseId || lease.expiresAt <= this.#opts.now()) {
      if (lease && lease.expiresAt <= this.#opts.now()) this.#requeue(entry);
      throw new StaleLeaseError(key, leaseId);
    }
    return lease;
  }

  /** Records a runner's outcome: once per key, only from the live lease. */
  settle(key: string, leaseId: string, result: JobResult): void {
    const lease = this.check(key, leaseId);
    this.#finish(lease.job, result.status, result);
    this.#opts.onSettled(lease.job, result);
  }

  /** Stops a job; returns the runner holding it (to tell it to kill the process), if any. */
  cancel(key: string): string | undefined {
    const entry = this.#open.get(key);
    if (!entry) return undefined;
    this.#finish(entry.job, 'cancelled');
    return entry.lease?.runnerId;
  }

  /** Jobs `runnerId` holds now. */
  held(runnerId: string): number {
    return this.#held.get(runnerId)?.size ?? 0;
  }

  /** Open jobs: waiting and leased. */
  size(): { queued: number; leased: number } {
    const queued = this.#ready.size;
    return { queued, leased: this.#open.size - queued };
  }

  #enqueue(job: JobSpec): void {
    this.#open.set(job.key, { job, deliveries: 0 });
    this.#ready.add(job.key);
  }

  #requeue(entry: Entry): void {
    this.#unhold(entry);
    delete entry.lease;
    if (entry.deliveries < this.#maxDeliveries) {
      this.#ready.add(entry.job.key);
      return;
    }
    const error = { message: `job ${entry.job.key} was lost by ${entry.deliveries} runners (lease expired each time)` };
    this.#finish(entry.job, 'failed', { status: 'failed', error });
    this.#opts.onSettled(entry.job, { status: 'failed', error });
  }

  #finish(job: JobSpec, state: JobState, result?: JobResult): void {
    const entry = this.#open.get(job.key);
    if (entry) this.#unhold(entry);
    this.#open.delete(job.key);
    this.#ready.delete(job.key);
    this.#remember(job.key, state, result);
    this.#opts.store?.finish(job.key, state, result);
  }

  /** Leased entries only (few: at most the runners' total concurrency). */
  *#leased(): Generator<Entry> {
    for (const keys of this.#held.values()) {
      for (const key of keys) {
        const entry = this.#open.get(key);
        if (entry?.lease) yield entry;
      }
    }
  }

  #unhold(entry: Entry): void {
    if (!entry.lease) return;
    const held = this.#held.get(entry.lease.runnerId);
    held?.delete(entry.job.key);
    if (held?.size === 0) this.#held.delete(entry.lease.runnerId);
  }

  #remember(key: string, state: JobState, result?: JobResult): void {
    this.#finished.set(key, result ? { state, result } : { state });
    if (this.#finished.size > FINISHED_MEMORY) this.#finished.delete(this.#finished.keys().next().value!);
  }

  #newId(): string {
    return this.#opts.newId?.() ?? `lease-${++this.#counter}`;
  }
}
