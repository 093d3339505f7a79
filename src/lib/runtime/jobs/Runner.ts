/**
 * A runner: leases jobs from a relay over the job protocol, runs each with its task type, streams
 * output, reports the outcome under the lease it got. Transport-agnostic (`send` + `receive`):
 * the relay's in-process pool and `tessera runner` over a websocket share this loop.
 */
import {
  JOB_PROTOCOL_VERSION,
  decode,
  encode,
  relayToRunnerMessage,
  type JobResult,
  type RelayToRunnerMessage,
  type RunnerMessage
} from '../../protocol/jobs.js';
import { runTask, type TaskTypeRegistry } from '../taskTypes/TaskTypeRegistry.js';
import { OutputBatcher } from './OutputBatcher.js';

export interface RunnerOptions {
  runnerId: string;
  concurrency: number;
  /** Advertised to the relay (it logs them); the command task type enforces its own list. */
  allow: readonly string[];
  registry: TaskTypeRegistry;
  send: (frame: string) => void;
  log?: (line: string) => void;
  /** Heartbeat period; default a third of the relay's lease time. */
  heartbeatMs?: number;
  /** Live output is batched: sent at least this often (default 100 ms) or at 16 Ki chars. */
  outputIntervalMs?: number;
}

interface Running {
  leaseId: string;
  abort: AbortController;
}

export class Runner {
  readonly #opts: RunnerOptions;
  readonly #running = new Map<string, Running>();
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #stopped = false;

  constructor(opts: RunnerOptions) {
    this.#opts = opts;
  }

  /** Says hello and asks for as many jobs as it has slots. */
  start(): void {
    const { runnerId, allow, concurrency } = this.#opts;
    const taskTypes = this.#opts.registry.list().map(({ name, description, fields }) => ({ name, fields: [...fields], ...(description ? { description } : {}) }));
    this.#send({ type: 'hello', version: JOB_PROTOCOL_VERSION, runnerId, allow: [...allow], concurrency, taskTypes });
    this.#send({ type: 'lease.request', count: concurrency });
  }

  /** Handles one frame from the relay. */
  receive(frame: string): void {
    const decoded = decode(relayToRunnerMessage, frame);
    if (!decoded.ok) {
      this.#opts.log?.(`runner ${this.#opts.runnerId}: bad frame from relay: ${decoded.error}`);
      return;
    }
    this.#handle(decoded.message);
  }

  /** Jobs running now. */
  get active(): number {
    return this.#running.size;
  }

  /** Kills every running job (their outcomes are not reported) and stops heartbeats. */
  stop(): void {
    this.#stopped = true;
    clearInterval(this.#heartbeat);
    for (const running of this.#running.values()) running.abort.abort();
    this.#running.clear();
  }

  #handle(message: RelayToRunnerMessage): void {
    switch (message.type) {
      case 'welcome': {
        const every = this.#opts.heartbeatMs ?? Math.max(50, Math.floor(message.leaseMs / 3));
        clearInterval(this.#heartbeat);
        this.#heartbeat = setInterval(() => {
          if (this.#running.size > 0) this.#send({ type: 'heartbeat' });
        }, every);
        (this.#heartbeat as { unref?: () => void }).unref?.();
        return;
      }
      case 'job.leased':
        void this.#run(message.key, message.leaseId, message.job);
        return;
      case 'job.cancel': {
        const running = this.#running.get(message.key);
        if (!running) return;
        running.abort.abort();
        this.#running.delete(message.key);
        this.#send({ type: 'lease.request', count: 1 });
        return;
      }
      case 'error':
        this.#opts.log?.(`runner ${this.#opts.runnerId}: relay says ${message.code}: ${message.message}`);
        return;
    }
  }

  async #run(key: string, leaseId: string, job: Extract<RelayToRunnerMessage, { type: 'job.leased' }>['job']): Promise<void> {
    const abort = new AbortController();
    const running = { leaseId, abort };
    this.#running.set(key, running);
    this.#send({ type: 'job.started', key, leaseId });
    const output = new OutputBatcher({
      send: (stream, chunk) => {
        if (this.#running.get(key) === running) this.#send({ type: 'job.output', key, leaseId, stream, chunk });
      },
      ...(this.#opts.outputIntervalMs === undefined ? {} : { intervalMs: this.#opts.outputIntervalMs })
    });
    const result: JobResult = await runTask(this.#opts.registry, job, {
      signal: abort.signal,
      output: (stream, chunk) => output.push(stream, chunk)
    });
    if (this.#running.get(key) !== running || this.#stopped) return output.discard(); // cancelled: nobody waits for it
    output.flush();
    this.#running.delete(key);
    this.#send(
      result.status === 'completed'
        ? { type: 'job.completed', key, leaseId, ...(result.result === undefined ? {} : { result: result.result }), ...(result.variables ? { variables: result.variables } : {}) }
        : { type: 'job.failed', key, leaseId, error: result.error }
    );
    this.#send({ type: 'lease.request', count: 1 });
  }

  #send(message: RunnerMessage): void {
    if (this.#stopped && message.type !== 'hello') return;
    this.#opts.send(encode(message));
  }
}
