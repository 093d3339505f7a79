import os from 'node:os';
import { resolveSecrets } from './resolveSecrets.js';

export type EnvironmentResult = { ok: true; env: Record<string, string> } | { ok: false; reason: string };

export const MINIMAL_PATH = '/usr/local/bin:/usr/bin:/bin';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Variables a diagram may not set: they make the dynamic loader, a shell or an interpreter
 * run code of the author's choosing before the allow-listed program does anything. PATH is
 * the runner's: the executable is resolved through it before spawning.
 */
const FORBIDDEN_ENV = /^(LD_.*|DYLD_.*|BASH_FUNC_.*|PATH|BASH_ENV|ENV|SHELLOPTS|BASHOPTS|PS4|IFS|NODE_OPTIONS|PERL5OPT|PYTHONSTARTUP|PYTHONPATH|RUBYOPT|GIT_EXEC_PATH|GIT_SSH_COMMAND|GIT_CONFIG_.*)$/;

/**
 * The child's whole environment: PATH, HOME, LANG and TMPDIR (or the runner's `baseEnv`),
 * then the command's own variables with secret references resolved. Nothing is inherited
 * from this process, so its secrets never reach the child.
 */
export function buildEnvironment(
  commandEnv: Readonly<Record<string, string>>,
  secrets: Readonly<Record<string, string>>,
  baseEnv?: Readonly<Record<string, string>>
): EnvironmentResult {
  const env: Record<string, string> = {
    ...(baseEnv ?? { PATH: MINIMAL_PATH, HOME: os.homedir(), LANG: 'C.UTF-8', TMPDIR: os.tmpdir() })
  };
  env.PATH ??= MINIMAL_PATH;
  for (const [name, raw] of Object.entries(commandEnv)) {
    if (!ENV_NAME.test(name)) return { ok: false, reason: `environment variable name ${JSON.stringify(name)} is invalid` };
    if (FORBIDDEN_ENV.test(name)) return { ok: false, reason: `environment variable ${name} may not be set by a command` };
    const value = resolveSecrets(raw, secrets);
    if (!value.ok) return { ok: false, reason: `environment variable ${name}: ${value.reason}` };
    if (value.value.includes('\u0000')) return { ok: false, reason: `environment variable ${name} contains NUL` };
    env[name] = value.value;
  }
  return { ok: true, env };
}
