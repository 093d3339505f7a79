/**
 * The dispatcher side of the job channel: a JobDispatcher that sends jobs to a relay (browser tab
 * or CLI). While disconnected, jobs wait here; on every (re)connect, each job without an outcome
 * is submitted again — the relay keeps jobs by key, so a resubmit never runs a job twice and
 * answers with the outcome if it finished meanwhile. Transport-agnostic: `connected(send)`,
 * `disconnected()`, `receive(frame)`.
 */
import { decode, encode, relayToClientMessage, type ClientMessage, type JobSpec } from '../../protocol/jobs.js';
import type { JobDispatch, JobDispatcher, JobOutcome } from '../ports.js';
import { outcomeOf, specOf } from './jobMapping.js';

/** One piece of a job's live output, as watchers of its run get it. */
export interface JobOutputChunk {
  runId: string;
  key: string;
  instance?: string;
  node?: string;
  stream: 'stdout' | 'stderr';
  chunk: string;
}

/** Where live job output can be watched, one run at a time. */
export interface JobOutputSource {
  /** Calls `listener` with the run's live output (first what its open jobs printed so far); returns the unsubscribe. */
  watchOutput(runId: string, listener: (chunk: JobOutputChunk) => void): () => void;
}

export interface RemoteJobsOptions {
  /** Live output of the jobs submitted here (and of watched runs). */
  onOutput?: (runId: string, key: string, stream: 'stdout' | 'stderr', chunk: string) => void;
  /** Relay errors (forbidden run, bad message), for the host's log or UI. */
  onError?: (message: string, key?: string) => void;
}

export class RemoteJobs implements JobDispatcher, JobOutputSource {
  readonly #opts: RemoteJobsOptions;
  readonly #pending = new Map<string, { spec: JobSpec; done: (outcome: JobOutcome) => void }>();
  readonly #watchers = new Map<string, Set<(chunk: JobOutputChunk) => void>>();
  #send: ((frame: string) => void) | undefined;

  constructor(opts: RemoteJobsOptions = {}) {
    this.#opts = opts;
  }

  dispatch(job: JobDispatch, done: (outcome: JobOutcome) => void): void {
    const spec = specOf(job);
    this.#pending.set(job.key, { spec, done });
    this.#say({ type: 'job.submit', job: spec });
  }

  cancel(key: string): void {
    if (this.#pending.delete(key)) this.#say({ type: 'job.cancel', key });
  }

  watchOutput(runId: string, listener: (chunk: JobOutputChunk) => void): () => void {
    let listeners = this.#watchers.get(runId);
    if (!listeners) {
      this.#watchers.set(runId, (listeners = new Set()));
      this.#sayWatching(); // the relay answers a newly watched run with its buffered tail
    }
    listeners.add(listener);
    return () => {
      if (!listeners.delete(listener) || listeners.size > 0) return;
      this.#watchers.delete(runId);
      this.#sayWatching();
    };
  }

  /** The channel is open: (re)submits every job still waiting for its outcome. */
  connected(send: (frame: string) => void): void {
    this.#send = send;
    if (this.#watchers.size > 0) this.#sayWatching();
    for (const { spec } of this.#pending.values()) this.#say({ type: 'job.submit', job: spec });
  }

  disconnected(): void {
    this.#send = undefined;
  }

  /** Jobs submitted and not yet finished. */
  get waiting(): number {
    return this.#pending.size;
  }

  receive(frame: string): void {
    const decoded = decode(relayToClientMessage, frame);
    if (!decoded.ok) return this.#opts.onError?.(`bad frame from relay: ${decoded.error}`);
    const message = decoded.message;
    switch (message.type) {
      case 'job.accepted':
        return;
      case 'job.outcome': {
        const entry = this.#pending.get(message.key);
        if (!entry) return; // cancelled here, or a duplicate
        this.#pending.delete(message.key);
        entry.done(outcomeOf(entry.spec, message.outcome));
        return;
      }
      case 'job.output': {
        this.#opts.onOutput?.(message.runId, message.key, message.stream, message.chunk);
        const { type: _type, ...chunk } = message;
        for (const listener of this.#watchers.get(message.runId) ?? []) listener(chunk);
        return;
      }
      case 'error':
        this.#opts.onError?.(`${message.code}: ${message.message}`, message.key);
        return;
    }
  }

  #sayWatching(): void {
    this.#say({ type: 'output.watch', runIds: [...this.#watchers.keys()].slice(0, 1024) });
  }

  #say(message: ClientMessage): void {
    this.#send?.(encode(message));
  }
}
