import { runCommand, type CommandOutcome, type RunCommandOptions } from '../commands/runCommand.js';
import type { ResolvedCommand } from '../../engine/effects.js';
import type { JobResult } from '../../protocol/jobs.js';
import type { TaskType } from './TaskTypeRegistry.js';

export interface CommandTaskOptions {
  /** Executables this runner may start; empty refuses every command. */
  allow: readonly string[];
  secrets?: Readonly<Record<string, string>>;
  outputCapBytes?: number;
  /** The executor; tests may wrap it. */
  run?: (cmd: ResolvedCommand, opts: RunCommandOptions) => Promise<CommandOutcome>;
}

/** `tessera:command`: allow-listed argv, no shell, minimal env, limits (src/lib/runtime/commands). */
export function commandTaskType(options: CommandTaskOptions): TaskType {
  const run = options.run ?? runCommand;
  return {
    name: 'command',
    description: 'Runs an allow-listed executable with argv (no shell)',
    fields: [
      { name: 'args', label: 'Command (argv)', type: 'json', required: true },
      { name: 'cwd', label: 'Working directory', type: 'string' },
      { name: 'timeout', label: 'Timeout (ISO 8601)', type: 'string' }
    ],
    async run(job, ctx) {
      if (job.payload.kind !== 'command') return { status: 'failed', error: { message: 'not a command job' } };
      const command = job.payload.command as ResolvedCommand;
      const timeoutMs = job.timeoutMs ?? command.timeoutMs;
      const outcome = await run(command, {
        allow: options.allow,
        signal: ctx.signal,
        onOutput: (stream, chunk) => ctx.output(stream, chunk),
        ...(options.secrets ? { secrets: options.secrets } : {}),
        ...(options.outputCapBytes ? { outputCapBytes: options.outputCapBytes } : {}),
        ...(timeoutMs === undefined ? {} : { timeoutMs })
      });
      return resultOf(command.args[0] ?? '', outcome);
    }
  };
}

/** Exit 0 → completed `{ exitCode, stdout, stderr }`; exit ≠ 0 → failed with the exit code as error code. */
export function resultOf(exe: string, outcome: CommandOutcome): JobResult {
  switch (outcome.status) {
    case 'refused':
      return { status: 'failed', error: { message: `command refused: ${outcome.reason}` } };
    case 'spawn-failed':
      return { status: 'failed', error: { message: `command ${exe} could not start: ${outcome.reason}` } };
    case 'timeout':
      return { status: 'failed', error: { message: `command ${exe} timed out after ${outcome.durationMs} ms` } };
    case 'cancelled':
      return { status: 'failed', error: { message: `command ${exe} was cancelled` } };
    case 'exited': {
      const result = { exitCode: outcome.exitCode, stdout: outcome.stdout, stderr: outcome.stderr };
      if (outcome.exitCode === 0) return { status: 'completed', result };
      const tail = outcome.stderr.trim().split('\n').slice(-3).join(' | ');
      return {
        status: 'failed',
        error: { message: `${exe} exited with ${outcome.exitCode}${tail ? `: ${tail}` : ''}`, code: String(outcome.exitCode) }
      };
    }
  }
}
