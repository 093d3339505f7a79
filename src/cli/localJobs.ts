/**
 * The CLI's job dispatcher: runs service-task commands (allow-listed, no shell), JavaScript
 * scripts (QuickJS sandbox, only with --allow-scripts) and HTTP calls in this process.
 */
import type { ResolvedCommand, ResolvedHttp } from '../lib/engine/effects.js';
import type { CommandOutcome, RunCommandOptions } from '../lib/runtime/commands/runCommand.js';
import type { JobDispatch, JobDispatcher, JobOutcome } from '../lib/runtime/ports.js';

/** The command executor's signature (src/lib/runtime/commands/runCommand.ts). */
export type CommandRunner = (cmd: ResolvedCommand, opts: RunCommandOptions) => Promise<CommandOutcome>;

/** Runs a JavaScript script task's source against its variables; resolves to its value or an error. */
export type ScriptRunner = (
  source: string,
  variables: Record<string, unknown>
) => Promise<{ ok: true; value: unknown } | { ok: false; error: { message: string } }>;

export interface LocalJobsOptions {
  allow: string[];
  allowScripts: boolean;
  runCommand: CommandRunner;
  runScript: ScriptRunner;
  /** Default command time limit when the model sets none. */
  defaultTimeoutMs?: number;
}

export class LocalJobs implements JobDispatcher {
  readonly #opts: LocalJobsOptions;
  readonly #running = new Map<string, AbortController>();

  constructor(opts: LocalJobsOptions) {
    this.#opts = opts;
  }

  dispatch(job: JobDispatch, done: (outcome: JobOutcome) => void): void {
    const abort = new AbortController();
    this.#running.set(job.key, abort);
    this.#execute(job, abort.signal)
      .catch((error: unknown): JobOutcome => failed(job, error instanceof Error ? error.message : String(error)))
      .then((outcome) => {
        if (this.#running.get(job.key) !== abort) return; // cancelled meanwhile
        this.#running.delete(job.key);
        done(outcome);
      });
  }

  cancel(key: string): void {
    this.#running.get(key)?.abort();
    this.#running.delete(key);
  }

  async #execute(job: JobDispatch, signal: AbortSignal): Promise<JobOutcome> {
    const payload = job.payload;
    switch (payload.kind) {
      case 'command':
        return this.#command(job, payload.command, signal);
      case 'script': {
        if (!this.#opts.allowScripts) {
          return failed(job, `JavaScript script tasks are not allowed (run with --allow-scripts)`);
        }
        const outcome = await this.#opts.runScript(payload.source, job.variables);
        if (!outcome.ok) return failed(job, `script failed: ${outcome.error.message}`);
        return { type: 'job.completed', instance: job.instance, result: outcome.value };
      }
      case 'http':
        return http(job, payload.http, signal);
      case 'type':
        return failed(job, `no worker for job type "${payload.type}" in the CLI`);
    }
  }

  async #command(job: JobDispatch, command: ResolvedCommand, signal: AbortSignal): Promise<JobOutcome> {
    const timeoutMs = job.timeoutMs ?? command.timeoutMs ?? this.#opts.defaultTimeoutMs;
    const outcome = await this.#opts.runCommand(command, {
      allow: this.#opts.allow,
      signal,
      ...(timeoutMs === undefined ? {} : { timeoutMs })
    });
    const exe = command.args[0] ?? '';
    switch (outcome.status) {
      case 'refused':
        return failed(job, `command refused: ${outcome.reason}`);
      case 'spawn-failed':
        return failed(job, `command ${exe} could not start: ${outcome.reason}`);
      case 'timeout':
        return failed(job, `command ${exe} timed out`);
      case 'cancelled':
        return failed(job, `command ${exe} was cancelled`);
      case 'exited': {
        const result = { exitCode: outcome.exitCode, stdout: outcome.stdout, stderr: outcome.stderr };
        if (outcome.exitCode === 0) return { type: 'job.completed', instance: job.instance, result };
        const tail = outcome.stderr.trim().split('\n').slice(-3).join(' | ');
        const message = `${exe} exited with ${outcome.exitCode}${tail ? `: ${tail}` : ''}`;
        // The exit code as error code: an error boundary event can catch a specific failure.
        return { type: 'job.failed', instance: job.instance, error: { message, code: String(outcome.exitCode) } };
      }
    }
  }
}

async function http(job: JobDispatch, spec: ResolvedHttp, signal: AbortSignal): Promise<JobOutcome> {
  const timeout = AbortSignal.timeout(job.timeoutMs ?? 30_000);
  const response = await fetch(spec.url, {
    method: spec.method,
    headers: spec.headers,
    signal: AbortSignal.any([signal, timeout]),
    ...(spec.body === undefined ? {} : { body: typeof spec.body === 'string' ? spec.body : JSON.stringify(spec.body) })
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  const result = { status: response.status, body };
  if (!response.ok) {
    return { type: 'job.failed', instance: job.instance, error: { message: `HTTP ${response.status}`, code: String(response.status) } };
  }
  return { type: 'job.completed', instance: job.instance, result };
}

function failed(job: JobDispatch, message: string): JobOutcome {
  return { type: 'job.failed', instance: job.instance, error: { message } };
}
