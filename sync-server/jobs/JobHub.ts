/**
 * The relay's job hub: the lease queue between those who submit jobs (browser tabs, the CLI, a
 * local dispatcher) and runners (the in-process pool, `tessera runner` processes). It speaks
 * the job protocol over any `send(frame)` connection and never touches sockets itself.
 */
import {
  JOB_PROTOCOL_VERSION,
  JobErrorCode,
  JobLimits,
  clientMessage,
  decode,
  encode,
  runnerMessage,
  type ClientMessage,
  type JobResult,
  type JobSpec,
  type RelayToClientMessage,
  type RelayToRunnerMessage,
  type RunnerMessage,
  type TaskTypeInfo
} from '../../src/lib/protocol/jobs.js';
import { JobAlreadyCompleted, JobQueue, StaleLeaseError, type JobQueueStore, type Lease } from '../../src/lib/runtime/jobs/JobQueue.js';
import { outcomeOf, specOf } from '../../src/lib/runtime/jobs/jobMapping.js';
import type { Clock, JobDispatch, JobDispatcher, JobOutcome, TimerHandle } from '../../src/lib/runtime/ports.js';

export interface JobConnection {
  receive(frame: string): void;
  close(): void;
}

export interface JobHubOptions {
  clock: Clock;
  leaseMs?: number;
  store?: JobQueueStore;
  newId?: () => string;
  log?: (line: string) => void;
}

interface RunnerConn {
  id: string;
  runnerId?: string;
  send: (frame: string) => void;
  /** Free slots it asked to fill (never more than its concurrency). */
  wanted: number;
  concurrency: number;
  taskTypes: readonly TaskTypeInfo[];
}

interface ClientConn {
  id: string;
  send: (frame: string) => void;
  watching: Set<string>;
  mayUse: (runId: string) => boolean;
}

type Owner = ClientConn | ((result: JobResult) => void);

/** Shown in a job's live output when it runs again after its runner was lost. */
export const RERUN_NOTE = '\n…[runner lost: the job runs again from the start]\n';

/** Live output kept per open job for watchers who arrive late (the latest 64 Ki chars). */
const TAIL_CHARS = 64 * 1024;

interface Tail {
  runId: string;
  job: { instance: string; node: string };
  parts: { stream: 'stdout' | 'stderr'; chunk: string }[];
  chars: number;
}

export class JobHub {
  readonly queue: JobQueue;
  readonly #opts: JobHubOptions;
  readonly #runners = new Map<string, RunnerConn>();
  readonly #clients = new Set<ClientConn>();
  readonly #owners = new Map<string, Owner>();
  readonly #tails = new Map<string, Tail>();
  readonly #outputListeners = new Set<(runId: string, key: string, stream: 'stdout' | 'stderr', chunk: string) => void>();
  #expiry: { at: number; handle: TimerHandle } | undefined;
  #next = 0;

  constructor(opts: JobHubOptions) {
    this.#opts = opts;
    this.queue = new JobQueue({
      now: () => opts.clock.now(),
      onSettled: (job, result) => this.#settled(job, result),
      ...(opts.leaseMs === undefined ? {} : { leaseMs: opts.leaseMs }),
      ...(opts.store ? { store: opts.store } : {}),
      ...(opts.newId ? { newId: opts.newId } : {})
    });
  }

  /** A runner connected; frames it sends go to `receive`. */
  connectRunner(send: (frame: string) => void): JobConnection {
    const conn: RunnerConn = { id: `runner-conn-${++this.#next}`, send, wanted: 0, concurrency: JobLimits.concurrency, taskTypes: [] };
    this.#runners.set(conn.id, conn);
    return {
      receive: (frame) => {
        const decoded = decode(runnerMessage, frame);
        if (!decoded.ok) return this.#toRunner(conn, { type: 'error', code: decoded.code, message: decoded.error });
        this.#fromRunner(conn, decoded.message);
      },
      close: () => {
        if (!this.#runners.delete(conn.id)) return;
        const keys = this.queue.release(conn.id);
        if (keys.length > 0) this.#log(`runner ${conn.runnerId ?? conn.id} left holding ${keys.length} job(s): requeued`);
        this.#pump();
      }
    };
  }

  /** A job submitter (browser tab, CLI) connected; `mayUse` says which runs its token covers. */
  connectClient(send: (frame: string) => void, mayUse: (runId: string) => boolean = () => true): JobConnection {
    const conn: ClientConn = { id: `client-${++this.#next}`, send, watching: new Set(), mayUse };
    this.#clients.add(conn);
    return {
      receive: (frame) => {
        const decoded = decode(clientMessage, frame);
        if (!decoded.ok) return this.#toClient(conn, { type: 'error', code: decoded.code, message: decoded.error });
        this.#fromClient(conn, decoded.message);
      },
      close: () => {
        this.#clients.delete(conn);
        // Its jobs go on; the queue keeps their outcomes for the resubmit after a reconnect.
        for (const [key, owner] of this.#owners) if (owner === conn) this.#owners.delete(key);
      }
    };
  }

  /** A JobDispatcher for executors inside the relay process (and tests). */
  dispatcher(): JobDispatcher {
    return {
      dispatch: (job: JobDispatch, done: (outcome: JobOutcome) => void) => {
        const spec = specOf(job);
        this.#submit(spec, (result) => done(outcomeOf(spec, result)));
      },
      cancel: (key: string) => this.cancel(key)
    };
  }

  /** Live output of every job, as runners stream it. */
  onOutput(listener: (runId: string, key: string, stream: 'stdout' | 'stderr', chunk: string) => void): () => void {
    this.#outputListeners.add(listener);
    return () => this.#outputListeners.delete(listener);
  }

  cancel(key: string): void {
    this.#owners.delete(key);
    this.#tails.delete(key);
    const holder = this.queue.cancel(key);
    const runner = holder === undefined ? undefined : this.#runners.get(holder);
    if (runner) this.#toRunner(runner, { type: 'job.cancel', key });
  }

  /** The task types connected runners offer, each name once (the first runner's fields win). */
  taskTypes(): TaskTypeInfo[] {
    const byName = new Map<string, TaskTypeInfo>();
    for (const conn of this.#runners.values()) for (const type of conn.taskTypes) if (!byName.has(type.name)) byName.set(type.name, type);
    return [...byName.values()];
  }

  /** Connected runners and open jobs, for /healthz-like reporting. */
  stats(): { runners: number; queued: number; leased: number } {
    return { runners: this.#runners.size, ...this.queue.size() };
  }

  close(): void {
    if (this.#expiry) this.#opts.clock.clearTimer(this.#expiry.handle);
    this.#expiry = undefined;
  }

  #fromRunner(conn: RunnerConn, message: RunnerMessage): void {
    switch (message.type) {
      case 'hello':
        if (message.version !== JOB_PROTOCOL_VERSION) {
          this.#toRunner(conn, { type: 'error', code: JobErrorCode.unsupportedVersion, message: `relay speaks job protocol ${JOB_PROTOCOL_VERSION}` });
          return;
        }
        conn.runnerId = message.runnerId;
        conn.concurrency = message.concurrency;
        conn.taskTypes = message.taskTypes ?? [];
        this.#log(`runner ${message.runnerId} connected (concurrency ${message.concurrency}; allow: ${message.allow.join(', ') || 'nothing'})`);
        this.#toRunner(conn, { type: 'welcome', version: JOB_PROTOCOL_VERSION, leaseMs: this.queue.leaseMs });
        return;
      case 'lease.request':
        conn.wanted = Math.min(conn.wanted + message.count, conn.concurrency - this.#held(conn));
        this.#pump();
        return;
      case 'heartbeat':
        this.queue.renew(conn.id);
        return;
      case 'job.started':
        this.#guard(conn, message.key, () => this.#own(conn, message.key, message.leaseId));
        return;
      case 'job.output':
        this.#guard(conn, message.key, () => {
          const lease = this.#own(conn, message.key, message.leaseId);
          this.#output(lease.job, message.stream, message.chunk);
        });
        return;
      case 'job.completed':
        this.#guard(conn, message.key, () => {
          this.#own(conn, message.key, message.leaseId);
          this.queue.settle(message.key, message.leaseId, {
            status: 'completed',
            ...(conn.runnerId ? { runner: conn.runnerId } : {}),
            ...(message.result === undefined ? {} : { result: message.result }),
            ...(message.variables ? { variables: message.variables } : {})
          });
        });
        return;
      case 'job.failed':
        this.#guard(conn, message.key, () => {
          this.#own(conn, message.key, message.leaseId);
          this.queue.settle(message.key, message.leaseId, { status: 'failed', error: message.error, ...(conn.runnerId ? { runner: conn.runnerId } : {}) });
        });
        return;
    }
  }

  #fromClient(conn: ClientConn, message: ClientMessage): void {
    switch (message.type) {
      case 'job.submit':
        if (this.queue.state(message.job.key) === undefined && this.#openJobs() >= JobLimits.openJobs) {
          this.#toClient(conn, { type: 'error', code: JobErrorCode.queueFull, key: message.job.key, message: `the relay holds ${JobLimits.openJobs} open jobs; submit again later` });
          return;
        }
        if (!conn.mayUse(message.job.runId)) {
          this.#toClient(conn, { type: 'error', code: JobErrorCode.forbidden, key: message.job.key, message: `this token does not cover run ${message.job.runId}` });
          return;
        }
        this.#toClient(conn, { type: 'job.accepted', key: message.job.key });
        this.#submit(message.job, conn);
        return;
      case 'job.cancel':
        if (conn.mayUse(message.key.split(':')[0] ?? '')) this.cancel(message.key);
        return;
      case 'output.watch': {
        const before = conn.watching;
        conn.watching = new Set(message.runIds.filter(conn.mayUse));
        // A late watcher first gets what the run's open jobs printed so far.
        for (const [key, tail] of this.#tails) {
          if (before.has(tail.runId) || !conn.watching.has(tail.runId)) continue;
          for (const part of tail.parts) this.#toClient(conn, { type: 'job.output', key, runId: tail.runId, ...tail.job, ...part });
        }
        return;
      }
    }
  }

  #submit(job: JobSpec, owner: Owner): void {
    const state = this.queue.submit(job);
    const known = this.queue.result(job.key);
    if (known) return this.#deliver(owner, job, known);
    if (state === 'cancelled') return this.#deliver(owner, job, { status: 'failed', error: { message: `job ${job.key} was cancelled` } });
    this.#owners.set(job.key, owner);
    if (state === 'queued') this.#pump();
  }

  #openJobs(): number {
    const { queued, leased } = this.queue.size();
    return queued + leased;
  }

  /** Jobs this runner holds now. */
  #held(conn: RunnerConn): number {
    return this.queue.held(conn.id);
  }

  #settled(job: JobSpec, result: JobResult): void {
    this.#tails.delete(job.key); // output is ephemeral: the outcome carries the recorded output
    const owner = this.#owners.get(job.key);
    this.#owners.delete(job.key);
    if (owner) this.#deliver(owner, job, result);
  }

  #deliver(owner: Owner, job: JobSpec, result: JobResult): void {
    if (typeof owner === 'function') owner(result);
    else this.#toClient(owner, { type: 'job.outcome', key: job.key, runId: job.runId, outcome: result });
  }

  #output(job: JobSpec, stream: 'stdout' | 'stderr', chunk: string): void {
    const { key, runId, instance, node } = job;
    this.#remember(job, stream, chunk);
    const owner = this.#owners.get(key);
    for (const client of this.#clients) {
      if (client === owner || client.watching.has(runId)) this.#toClient(client, { type: 'job.output', key, runId, instance, node, stream, chunk });
    }
    for (const listener of this.#outputListeners) listener(runId, key, stream, chunk);
  }

  #remember(job: JobSpec, stream: 'stdout' | 'stderr', chunk: string): void {
    let tail = this.#tails.get(job.key);
    if (!tail) this.#tails.set(job.key, (tail = { runId: job.runId, job: { instance: job.instance, node: job.node }, parts: [], chars: 0 }));
    tail.parts.push({ stream, chunk });
    tail.chars += chunk.length;
    while (tail.chars > TAIL_CHARS && tail.parts.length > 1) tail.chars -= tail.parts.shift()?.chunk.length ?? 0;
  }

  /** Hands waiting jobs to runners with free slots, one each in turn. */
  #pump(): void {
    let handed = true;
    while (handed) {
      handed = false;
      for (const conn of this.#runners.values()) {
        if (conn.wanted <= 0) continue;
        const lease = this.queue.lease(conn.id);
        if (!lease) break;
        conn.wanted -= 1;
        handed = true;
        // A job that printed under an earlier lease starts over: watchers are told, the tail restarts.
        if (this.#tails.delete(lease.key)) this.#output(lease.job, 'stderr', RERUN_NOTE);
        this.#toRunner(conn, { type: 'job.leased', key: lease.key, leaseId: lease.id, job: lease.job, deadline: lease.expiresAt });
      }
    }
    this.#scheduleExpiry();
  }

  #scheduleExpiry(): void {
    const at = this.queue.nextExpiry();
    if (at === undefined || (this.#expiry && this.#expiry.at <= at)) return;
    if (this.#expiry) this.#opts.clock.clearTimer(this.#expiry.handle);
    const handle = this.#opts.clock.setTimer(at, () => {
      this.#expiry = undefined;
      const keys = this.queue.expire();
      if (keys.length > 0) this.#log(`lease expired for ${keys.length} job(s): requeued`);
      this.#pump();
    });
    this.#expiry = { at, handle };
  }

  /** The live lease, held by this connection (a lease id from another runner is stale here). */
  #own(conn: RunnerConn, key: string, leaseId: string): Lease {
    const lease = this.queue.check(key, leaseId);
    if (lease.runnerId !== conn.id) throw new StaleLeaseError(key, leaseId);
    return lease;
  }

  /** Runs a lease-checked step; a stale or finished lease gets a typed error, nothing else happens. */
  #guard(conn: RunnerConn, key: string, step: () => void): void {
    try {
      step();
    } catch (error) {
      const code =
        error instanceof StaleLeaseError ? JobErrorCode.staleLease
        : error instanceof JobAlreadyCompleted ? JobErrorCode.alreadyCompleted
        : JobErrorCode.unknownJob;
      this.#toRunner(conn, { type: 'error', code, key, message: error instanceof Error ? error.message : String(error) });
    }
  }

  #toRunner(conn: RunnerConn, message: RelayToRunnerMessage): void {
    conn.send(encode(message));
  }

  #toClient(conn: ClientConn, message: RelayToClientMessage): void {
    conn.send(encode(message));
  }

  #log(line: string): void {
    this.#opts.log?.(line);
  }
}
