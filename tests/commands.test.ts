/**
 * R21 (command injection) and R22 (runner limits) against real processes on this machine.
 * Every hostile string tries to create a sentinel file; the pass criterion is that none ever
 * appears and that spawn never runs a shell, except where a test allows `sh` on purpose.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ResolvedCommand } from '../src/lib/engine/effects.js';
import { runCommand } from '../src/lib/runtime/commands/runCommand.js';
import type { CommandOutcome } from '../src/lib/runtime/commands/runCommand.js';

/** Every spawn of the whole file, for the "no shell" check (the spy is cleared per test). */
const spawned = vi.hoisted(() => [] as { file: string; options: unknown }[]);
vi.mock('node:child_process', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:child_process')>();
  const spawnAndRecord = (...args: Parameters<typeof actual.spawn>) => {
    spawned.push({ file: String(args[0]), options: args[2] });
    return actual.spawn(...args);
  };
  return { ...actual, spawn: vi.fn(spawnAndRecord) };
});
const { spawn } = await import('node:child_process');
const spawnSpy = vi.mocked(spawn);

const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'busybox']);
const sandbox = mkdtempSync(path.join(os.tmpdir(), 'tessera-r21-'));
const sentinel = path.join(sandbox, 'pwned');
const touch = `touch ${sentinel}`;

afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

const command = (args: string[], extra: Partial<ResolvedCommand> = {}): ResolvedCommand => ({
  args,
  env: {},
  retries: 0,
  ...extra
});

function exited(outcome: CommandOutcome): Extract<CommandOutcome, { status: 'exited' }> {
  if (outcome.status !== 'exited') throw new Error(`expected exited, got ${JSON.stringify(outcome)}`);
  return outcome;
}

/** A zombie is dead: it only waits for its (re)parent to reap it. */
function alive(pid: number): boolean {
  try {
    const stat = execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    return stat !== '' && !stat.startsWith('Z');
  } catch {
    return false; // ps exits 1 when the pid does not exist
  }
}

describe('tests/commands (R21: command-injection corpus)', () => {
  beforeEach(() => {
    spawnSpy.mockClear(); // braces: a function returned from beforeEach would run as teardown
  });

  // An executable that is not exactly an allow-list entry is refused before anything spawns.
  const hostileExecutables = [
    'sh', '/bin/sh', '../../bin/sh', '/usr/bin/../bin/sh', 'bash', 'env', 'touch', 'xargs',
    `printf; ${touch}`, `printf && ${touch}`, `printf | ${touch}`, `\`${touch}\``, `$(${touch})`,
    `printf\n${touch}`, 'printf\u0000', `printf ${touch}`, ' printf', 'printf ', './printf',
    'рrintf' /* Cyrillic р */, 'ｐｒｉｎｔｆ', 'PRINTF', `PATH=${sandbox} printf`, 'printf${IFS}x', '-c', '--help', ''
  ];
  it.each(hostileExecutables.map((exe) => [exe]))('refuses executable %j without spawning', async (exe) => {
    const outcome = await runCommand(command([exe, "%s", touch]), { allow: ["printf"] });
    expect(outcome).toMatchObject({ status: 'refused', reason: expect.any(String) });
    expect(spawnSpy).not.toHaveBeenCalled();
    expect(existsSync(sentinel)).toBe(false);
  });

  // Arguments are data: printf '%s\n' prints each one back exactly, nothing interprets it.
  const hostileArguments = [
    `; ${touch}`, `&& ${touch}`, `|| ${touch}`, `| ${touch}`, `\`${touch}\``, `$(${touch})`, `\n${touch}`,
    `'; ${touch}; '`, `"; ${touch}; "`, `\${IFS}${touch}`, `> ${sentinel}`, `>> ${sentinel}`, `< /etc/passwd`,
    `* ?`, `~root`, `--version`, `-e ${touch}`, `--exec=${touch}`, `&${touch}&`, `$((1+1))`, `!!`,
    `\\; ${touch}`, `%n%n%s`, `secrets`, `\r\n${touch}\r\n`
  ];
  it.each(hostileArguments.map((arg) => [arg]))('passes argument %j literally', async (arg) => {
    const outcome = exited(await runCommand(command(['printf', '%s\n', arg]), { allow: ['printf'] }));
    expect(outcome.stdout).toBe(`${arg}\n`);
    expect(existsSync(sentinel)).toBe(false);
  });

  it('echo prints shell metacharacters back verbatim', async () => {
    const args = ['a;b', '&&', '|', `$(${touch})`, `\`${touch}\``, '*', '$HOME', "'quoted'"];
    const outcome = exited(await runCommand(command(['echo', ...args]), { allow: ['echo'] }));
    expect(outcome.stdout).toBe(`${args.join(' ')}\n`);
    expect(existsSync(sentinel)).toBe(false);
  });

  it('passes environment values literally', async () => {
    const env = { A: `$(${touch})`, B: `\`${touch}\``, C: `x; ${touch}` };
    const outcome = exited(await runCommand(command(['env'], { env }), { allow: ['env'] }));
    for (const [name, value] of Object.entries(env)) expect(outcome.stdout).toContain(`${name}=${value}\n`);
    expect(existsSync(sentinel)).toBe(false);
  });

  it('refuses loader and shell start-up variables, NUL arguments and unknown secrets', async () => {
    const refusals = [
      command(['printf', 'x'], { env: { LD_PRELOAD: '/tmp/evil.so' } }),
      command(['printf', 'x'], { env: { BASH_ENV: sentinel } }),
      command(['printf', 'x'], { env: { PATH: sandbox } }),
      command(['printf', 'x\u0000y']),
      command(['printf', 'secrets.__proto__'])
    ];
    for (const cmd of refusals) {
      expect(await runCommand(cmd, { allow: ['printf'] })).toMatchObject({ status: 'refused' });
    }
    expect(spawnSpy).not.toHaveBeenCalled();
  });

  it('resolves a bare name through the runner PATH, never the job directory or a relative PATH entry', async () => {
    const jobDir = mkdtempSync(path.join(sandbox, 'job-'));
    const fake = path.join(jobDir, 'printf');
    writeFileSync(fake, `#!/bin/sh\n${touch}\n`);
    chmodSync(fake, 0o755);
    const baseEnv = { PATH: `.:${jobDir}/..:/usr/bin:/bin` };
    const outcome = exited(await runCommand(command(['printf', 'real']), { allow: ['printf'], workDir: jobDir, baseEnv }));
    expect(outcome.stdout).toBe('real');
    expect(spawnSpy.mock.calls[0]?.[0]).toMatch(/^\/(usr\/)?bin\/printf$/);
    expect(existsSync(sentinel)).toBe(false);
  });

  it('refuses a cwd outside the job directory', async () => {
    for (const cwd of ['..', '../../..', '/', '/etc']) {
      expect(await runCommand(command(['printf', 'x'], { cwd }), { allow: ['printf'] })).toMatchObject({ status: 'refused' });
    }
  });

  it('never spawned a shell, and never with shell: true', () => {
    // Runs last in this block: checks every spawn made by the whole corpus.
    expect(spawned.length).toBeGreaterThanOrEqual(hostileArguments.length);
    for (const { file, options } of spawned) {
      expect(SHELLS.has(path.basename(file))).toBe(false);
      expect((options as { shell?: unknown }).shell).toBe(false);
    }
    expect(readdirSync(sandbox).filter((name) => name.startsWith('pwned'))).toEqual([]);
  });
});

describe('tests/commands (R22: runner limits)', () => {
  /** Pids of processes still in a group, zombies excluded, from ps. */
  const groupMembers = (pgid: number): string[] =>
    execFileSync('ps', ['-eo', 'pid=,pgid=,stat='], { encoding: 'utf8' })
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter(([, group, stat]) => Number(group) === pgid && !stat?.startsWith('Z'))
      .map(([pid]) => pid ?? '');

  it('runs a command and reports its exit code', async () => {
    expect(exited(await runCommand(command(['sh', '-c', 'echo out; echo err >&2; exit 3']), { allow: ['sh'] }))).toMatchObject({
      exitCode: 3,
      stdout: 'out\n',
      stderr: 'err\n',
      truncated: false
    });
    expect(exited(await runCommand(command(['false']), { allow: ['false'] })).exitCode).not.toBe(0);
  });

  it('kills grandchildren with their parent on timeout: no survivors', async () => {
    const script = 'echo $$; sleep 30 & echo $!; sleep 30 & echo $!; wait';
    const outcome = await runCommand(command(['sh', '-c', script]), { allow: ['sh'], timeoutMs: 300 });
    expect(outcome.status).toBe('timeout');
    const [pgid, ...children] = (outcome.status === 'timeout' ? outcome.stdout : '').trim().split('\n').map(Number);
    expect(children).toHaveLength(2);
    expect(groupMembers(pgid ?? 0)).toEqual([]);
    for (const pid of [pgid ?? 0, ...children]) expect(alive(pid)).toBe(false);
  });

  it('kills what a command left running in the background when it exits', async () => {
    const outcome = exited(await runCommand(command(['sh', '-c', 'sleep 30 & echo $!']), { allow: ['sh'] }));
    expect(outcome.durationMs).toBeLessThan(1000);
    expect(alive(Number(outcome.stdout.trim()))).toBe(false);
  });

  it('cancels through an AbortSignal in well under a second', async () => {
    const controller = new AbortController();
    const running = runCommand(command(['sh', '-c', 'echo $$; sleep 30 & sleep 30 & wait']), {
      allow: ['sh'],
      signal: controller.signal
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const abortedAt = performance.now();
    controller.abort();
    const outcome = await running;
    const latency = performance.now() - abortedAt;
    console.info(`R22 cancel latency: ${latency.toFixed(0)} ms`);
    expect(outcome.status).toBe('cancelled');
    expect(latency).toBeLessThan(1000);
    expect(groupMembers(Number(outcome.status === 'cancelled' ? outcome.stdout.trim() : 0))).toEqual([]);
  });

  it('does not spawn when the signal is already aborted', async () => {
    spawnSpy.mockClear();
    const outcome = await runCommand(command(['printf', 'x']), { allow: ['printf'], signal: AbortSignal.abort() });
    expect(outcome.status).toBe('cancelled');
    expect(spawnSpy).not.toHaveBeenCalled();
  });

  it('SIGKILLs a process group that ignores SIGTERM after the 500 ms grace', async () => {
    const outcome = await runCommand(command(['sh', '-c', 'trap "" TERM; echo $$; sleep 30']), {
      allow: ['sh'],
      timeoutMs: 200
    });
    expect(outcome.status).toBe('timeout');
    const durationMs = outcome.status === 'timeout' ? outcome.durationMs : 0;
    console.info(`R22 SIGTERM-ignoring group ended after ${durationMs} ms (timeout 200 + grace 500)`);
    expect(durationMs).toBeGreaterThanOrEqual(650);
    expect(durationMs).toBeLessThan(1500);
    expect(groupMembers(Number(outcome.status === 'timeout' ? outcome.stdout.trim() : 0))).toEqual([]);
  });

  it('caps 1 GiB of output with a marker, in bounded memory', async () => {
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const started = performance.now();
    const outcome = exited(await runCommand(command(['head', '-c', '1073741824', '/dev/zero']), { allow: ['head'] }));
    const elapsed = performance.now() - started;
    clearInterval(sampler);
    console.info(`R22 1 GiB output: ${elapsed.toFixed(0)} ms, rss +${((peak - before) / 2 ** 20).toFixed(0)} MiB`);
    expect(outcome.truncated).toBe(true);
    expect(outcome.stdout.endsWith('\n…[output truncated at 1048576 bytes]\n')).toBe(true);
    expect(Buffer.byteLength(outcome.stdout)).toBeLessThan(1024 * 1024 + 100);
    expect(peak - before).toBeLessThan(64 * 2 ** 20);
    // Draining 1 GiB is mostly the kernel's pipe copy: 2.7–10 s measured on this 2-core
    // machine, depending on what else ran (a bare Node drain took 3.1 s). The bound catches a hang.
    expect(elapsed).toBeLessThan(20_000);
  });

  it('gives the child none of this process environment', async () => {
    process.env.SECRET_TOKEN = 'parent-secret-value';
    try {
      const outcome = exited(await runCommand(command(['env']), { allow: ['env'] }));
      expect(outcome.stdout).not.toContain('SECRET_TOKEN');
      expect(outcome.stdout).not.toContain('parent-secret-value');
      const names = outcome.stdout.trim().split('\n').map((line) => line.split('=')[0]).sort();
      expect(names).toEqual(['HOME', 'LANG', 'PATH', 'TMPDIR']);
    } finally {
      delete process.env.SECRET_TOKEN;
    }
  });

  it('passes secrets to the child and redacts them from its output', async () => {
    const secrets = { TOKEN: 'tk-9f8e7d', PASSWORD: 'hunter2' };
    const cmd = command(['sh', '-c', 'echo "token=$TOKEN arg=$1"; echo "$TOKEN" >&2', 'sh', 'secrets.PASSWORD'], {
      env: { TOKEN: 'secrets.TOKEN' }
    });
    const outcome = exited(await runCommand(cmd, { allow: ['sh'], secrets }));
    expect(outcome.stdout).toBe('token=*** arg=***\n');
    expect(outcome.stderr).toBe('***\n');
  });

  it('refuses a disallowed executable and does not run it', async () => {
    const marker = path.join(sandbox, 'pwned-disallowed');
    const outcome = await runCommand(command(['touch', marker]), { allow: ['printf'] });
    expect(outcome).toEqual({ status: 'refused', reason: 'executable "touch" is not in the allow-list (printf)' });
    expect(await runCommand(command(['touch', marker]), { allow: [] })).toEqual({
      status: 'refused',
      reason: 'no executables are allowed (empty allow-list)'
    });
    expect(existsSync(marker)).toBe(false);
  });

  it('reports a spawn failure, e.g. an allowed path that is no longer executable', async () => {
    const file = path.join(sandbox, 'tool');
    writeFileSync(file, '#!/nonexistent/interpreter\n');
    chmodSync(file, 0o755);
    expect(await runCommand(command([file]), { allow: [file] })).toMatchObject({ status: 'spawn-failed' });
  });

  it('reports an allowed executable that is not installed as a spawn failure, not a refusal', async () => {
    expect(await runCommand(command(['no-such-tool-here']), { allow: ['no-such-tool-here'] })).toEqual({
      status: 'spawn-failed',
      reason: 'executable "no-such-tool-here" was not found in PATH (/usr/local/bin:/usr/bin:/bin)'
    });
  });

  it('reports a missing job directory as a spawn failure instead of throwing', async () => {
    const workDir = path.join(sandbox, 'no-such-dir');
    expect(await runCommand(command(['printf', 'x']), { allow: ['printf'], workDir })).toMatchObject({ status: 'spawn-failed' });
  });

  it('runs in a fresh job directory and removes it afterwards', async () => {
    const outcome = exited(await runCommand(command(['pwd']), { allow: ['pwd'] }));
    const dir = outcome.stdout.trim();
    expect(dir).toMatch(/tessera-job-/);
    expect(existsSync(dir)).toBe(false);
  });
});
