import type { ResolvedCommand } from '../../engine/effects.js';
import { durationMs, parseDuration } from '../../engine/time/iso8601.js';
import { buildEnvironment } from './buildEnvironment.js';
import { resolveExecutable } from './resolveExecutable.js';
import { resolveSecrets } from './resolveSecrets.js';

/** Used when neither the command nor the runner sets a time limit: nothing runs unbounded. */
export const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;

const MAX_TIMER_MS = 2 ** 31 - 1;

export interface PreparedCommand {
  /** Absolute path of the allow-listed executable. */
  file: string;
  args: string[];
  env: Record<string, string>;
  timeoutMs: number;
  /** Secret values this command could print, for redaction. */
  secretValues: string[];
}

export interface PrepareOptions {
  allow: readonly string[];
  timeoutMs?: number;
  secrets?: Readonly<Record<string, string>>;
  baseEnv?: Readonly<Record<string, string>>;
}

export type Preparation =
  | { ok: true; command: PreparedCommand }
  | { ok: false; reason: string; status: 'refused' | 'spawn-failed' };

/** Checks a command against the runner's rules and resolves everything needed to spawn it. */
export function prepareCommand(cmd: ResolvedCommand, opts: PrepareOptions): Preparation {
  const secrets = opts.secrets ?? {};
  const env = buildEnvironment(cmd.env, secrets, opts.baseEnv);
  if (!env.ok) return refuse(env.reason);
  const executable = resolveExecutable(cmd.args[0] ?? '', opts.allow, env.env.PATH ?? '');
  if (!executable.ok) return { ok: false, reason: executable.reason, status: executable.missing ? 'spawn-failed' : 'refused' };
  const args: string[] = [];
  for (const [index, raw] of cmd.args.slice(1).entries()) {
    const arg = resolveSecrets(raw, secrets);
    if (!arg.ok) return refuse(`argument ${index + 1}: ${arg.reason}`);
    if (arg.value.includes('\u0000')) return refuse(`argument ${index + 1} contains NUL`);
    args.push(arg.value);
  }
  const timeoutMs = opts.timeoutMs ?? timeoutOf(cmd.timeout);
  if (timeoutMs === null || !(timeoutMs > 0)) {
    return refuse(`timeout ${JSON.stringify(cmd.timeout)} is not a positive ISO 8601 duration without years or months`);
  }
  return {
    ok: true,
    command: {
      file: executable.path,
      args,
      env: env.env,
      // setTimeout fires at once for delays beyond 2^31-1 ms (24.8 days): clamp instead.
      timeoutMs: Math.min(timeoutMs, MAX_TIMER_MS),
      secretValues: Object.values(secrets)
    }
  };
}

function refuse(reason: string): Preparation {
  return { ok: false, reason, status: 'refused' };
}

function timeoutOf(text: string | undefined): number | null {
  if (text === undefined) return DEFAULT_TIMEOUT_MS;
  const duration = parseDuration(text);
  return duration === null ? null : durationMs(duration);
}
