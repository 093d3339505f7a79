/** Binds the CLI's job dispatcher to the sandboxed script runner and the command executor. */
import { getQuickJS } from 'quickjs-emscripten';
import { runCommand } from '../lib/runtime/commands/runCommand.js';
import { runScript } from '../lib/runtime/sandbox/runScript.js';
import type { CommandRunner, ScriptRunner } from './localJobs.js';

const SCRIPT_LIMITS = { timeoutMs: 5_000, memoryBytes: 64 * 1024 * 1024 };

/** Runs a JavaScript script task in a fresh QuickJS runtime with time and memory limits. */
export const runSandboxedScript: ScriptRunner = async (source, variables) => {
  const outcome = runScript(await getQuickJS(), source, variables, SCRIPT_LIMITS);
  return outcome.ok ? { ok: true, value: outcome.value } : { ok: false, error: { message: outcome.error.message } };
};

/** The command executor: allow-listed argv, no shell, minimal env, time limit, process-group kill. */
export const runAllowListedCommand: CommandRunner = runCommand;
