import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ResolvedCommand } from '../../engine/effects.js';
import { groupWatchdog } from './groupWatchdog.js';
import { KILL_GRACE_MS, killProcessGroup, signalGroup } from './killProcessGroup.js';
import { LiveOutput } from './LiveOutput.js';
import { OutputCollector } from './OutputCollector.js';
import { prepareCommand } from './prepareCommand.js';
import type { PrepareOptions, PreparedCommand } from './prepareCommand.js';
import { resolveWorkingDirectory } from './resolveWorkingDirectory.js';

export const DEFAULT_OUTPUT_CAP_BYTES = 1024 * 1024;

/** How long to wait for the pipes to close after the group was killed (an escaped daemon may hold them). */
const CLOSE_GRACE_MS = 1000;

export interface RunCommandOptions extends PrepareOptions {
  signal?: AbortSignal;
  /** Per stream; default 1 MiB. */
  outputCapBytes?: number;
  /** The job's working directory; default a fresh temporary directory, removed afterwards. */
  workDir?: string;
  /**
   * Live output as it arrives: decoded, redacted (also a secret split across chunks: see
   * LiveOutput), cut at the cap like the recorded output.
   */
  onOutput?: (stream: 'stdout' | 'stderr', chunk: string) => void;
}

interface Captured {
  stdout: string;
  stderr: string;
  truncated: boolean;
  durationMs: number;
}

export type CommandOutcome =
  | ({ status: 'exited'; exitCode: number } & Captured)
  | ({ status: 'timeout' | 'cancelled' } & Captured)
  | { status: 'refused'; reason: string }
  | { status: 'spawn-failed'; reason: string };

/**
 * Runs a service-task command: allow-listed executable, argv without a shell, minimal env,
 * time limit, capped and redacted output; on timeout or abort the whole process group gets
 * SIGTERM, then SIGKILL after 500 ms. Processes left behind when the command exits are
 * killed the same way: nothing a job starts outlives it (except what escapes its group).
 */
export async function runCommand(cmd: ResolvedCommand, opts: RunCommandOptions): Promise<CommandOutcome> {
  const prepared = prepareCommand(cmd, opts);
  if (!prepared.ok) return { status: prepared.status, reason: prepared.reason };
  if (opts.signal?.aborted) return { status: 'cancelled', stdout: '', stderr: '', truncated: false, durationMs: 0 };
  let jobDir: string | undefined;
  try {
    jobDir = opts.workDir ?? (await mkdtemp(path.join(os.tmpdir(), 'tessera-job-')));
    const cwd = resolveWorkingDirectory(jobDir, cmd.cwd);
    if (!cwd.ok) return { status: 'refused', reason: cwd.reason };
    return await supervise(prepared.command, cwd.cwd, opts);
  } catch (error) {
    // A missing job directory, a full disk: the runner's environment, reported, never thrown.
    return { status: 'spawn-failed', reason: messageOf(error) };
  } finally {
    if (opts.workDir === undefined && jobDir !== undefined) await rm(jobDir, { recursive: true, force: true });
  }
}

function supervise(command: PreparedCommand, cwd: string, opts: RunCommandOptions): Promise<CommandOutcome> {
  const cap = opts.outputCapBytes ?? DEFAULT_OUTPUT_CAP_BYTES;
  const slack = Math.max(0, ...command.secretValues.map((s) => Buffer.byteLength(s)));
  const stdout = new OutputCollector(cap, slack);
  const stderr = new OutputCollector(cap, slack);
  const started = performance.now();
  let child: ChildProcess;
  try {
    child = spawn(command.file, command.args, {
      shell: false,
      detached: true, // the child leads its own process group, so the group can be killed
      cwd,
      env: command.env,
      stdio: ['ignore', 'pipe', 'pipe']
    });
  } catch (error) {
    return Promise.resolve({ status: 'spawn-failed', reason: messageOf(error) });
  }
  const pgid = child.pid;
  // If this process dies (even by SIGKILL), the watchdog ends the job's group.
  if (pgid !== undefined) groupWatchdog.add(pgid);
  return new Promise((resolve) => {
    let stopReason: 'timeout' | 'cancelled' | undefined;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let closeTimer: NodeJS.Timeout | undefined;
    let killing: Promise<void> | undefined;
    let done = false;

    const stop = (reason: 'timeout' | 'cancelled'): void => {
      if (stopReason !== undefined || exit !== undefined || child.pid === undefined) return;
      stopReason = reason;
      killing = killProcessGroup(child.pid);
    };
    const onAbort = (): void => stop('cancelled');
    const timer = setTimeout(() => stop('timeout'), command.timeoutMs);
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    const finish = (outcome: CommandOutcome): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(closeTimer);
      opts.signal?.removeEventListener('abort', onAbort);
      for (const view of lives) view?.end();
      // Watched until the runner's own kill of the group (if any) is through.
      if (pgid !== undefined) void (killing ?? Promise.resolve()).then(() => groupWatchdog.remove(pgid));
      resolve(outcome);
    };
    const captured = (): Captured => ({
      stdout: stdout.text(command.secretValues),
      stderr: stderr.text(command.secretValues),
      truncated: stdout.truncated || stderr.truncated,
      durationMs: Math.round(performance.now() - started)
    });

    const onOutput = opts.onOutput;
    const lives: (LiveOutput | undefined)[] = [];
    const live = (stream: 'stdout' | 'stderr', collector: OutputCollector) => {
      const view = onOutput ? new LiveOutput(cap, command.secretValues, (text) => onOutput(stream, text)) : undefined;
      lives.push(view);
      return (chunk: Buffer) => {
        collector.push(chunk);
        view?.push(chunk);
      };
    };
    child.stdout?.on('data', live('stdout', stdout));
    child.stderr?.on('data', live('stderr', stderr));
    child.on('error', (error) => {
      if (child.pid === undefined) finish({ status: 'spawn-failed', reason: messageOf(error) });
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      const pid = child.pid;
      // Background jobs the command left behind keep the pipes open; end them with the job.
      if (pid !== undefined && stopReason === undefined && signalGroup(pid, 0)) killing = killProcessGroup(pid);
      closeTimer = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        finish(outcomeOf());
      }, KILL_GRACE_MS + CLOSE_GRACE_MS);
    });
    child.on('close', () => finish(outcomeOf()));

    const outcomeOf = (): CommandOutcome =>
      stopReason !== undefined
        ? { status: stopReason, ...captured() }
        : { status: 'exited', exitCode: exitCodeOf(exit), ...captured() };
  });
}

/** A signal death reads as 128 + its number, as shells report it. */
function exitCodeOf(exit: { code: number | null; signal: NodeJS.Signals | null } | undefined): number {
  if (exit?.code !== null && exit?.code !== undefined) return exit.code;
  const number = exit?.signal ? os.constants.signals[exit.signal] : undefined;
  return number === undefined ? -1 : 128 + number;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
