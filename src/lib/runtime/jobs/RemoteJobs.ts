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

export interface RemoteJobsOptions {
  /** Live output of the jobs submitted here (and of watched runs). */
  onOutput?: (runId: string, key: string, stream: 'stdout' | 'stderr', chunk: string) => void;
  /** Relay errors (forbidden run, bad message), for the host's log or UI. */
  onError?: (message: string, key?: string) => void;
}

export class RemoteJobs implements JobDispatcher {
  readonly #opts: RemoteJobsOptions;
  readonly #pending = new Map<string, { spec: JobSpec; done: (outcome: JobOutcome) => void }>();
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

  /** The channel is open: (re)submits every job still waiting for its outcome. */
  connected(send: (frame: string) => void): void {
    this.#send = send;
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
      case 'job.output':
        this.#opts.onOutput?.(message.runId, message.key, message.stream, message.chunk);
        return;
      case 'error':
        this.#opts.onError?.(`${message.code}: ${message.message}`, message.key);
        return;
    }
  }

  #say(message: ClientMessage): void {
    this.#send?.(encode(message));
  }
}
