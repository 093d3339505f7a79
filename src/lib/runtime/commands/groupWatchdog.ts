import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Reads `+PGID` / `-PGID` lines; when its stdin reaches end of file — the runner exited, however
 * it died, SIGKILL included, since the kernel closes the pipe — it sends SIGTERM, then SIGKILL
 * after the same 500 ms grace, to every group still listed. It ignores the signals a terminal or
 * a service manager sends to the runner's process group, and runs in its own session. Plain
 * Node, not a shell: runners never start a shell (R21).
 */
const SCRIPT = `
const groups = new Set();
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => {});
let pending = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (data) => {
  pending += data;
  let end;
  while ((end = pending.indexOf('\\n')) >= 0) {
    const [op, id] = pending.slice(0, end).split(' ');
    pending = pending.slice(end + 1);
    const pgid = Number(id);
    if (!Number.isInteger(pgid) || pgid <= 1) continue;
    if (op === '+') groups.add(pgid);
    else groups.delete(pgid);
  }
});
const signal = (name) => { for (const pgid of groups) { try { process.kill(-pgid, name); } catch {} } };
let ended = false;
const end = () => {
  if (ended) return;
  ended = true;
  if (groups.size === 0) process.exit(0);
  signal('SIGTERM');
  setTimeout(() => { signal('SIGKILL'); process.exit(0); }, 500);
};
process.stdin.on('end', end);
process.stdin.on('error', end);
`;

let watchdog: ChildProcess | undefined;

/**
 * Process groups of running jobs, watched by a small Node process (one per runner process) that
 * kills them when the runner dies. Without it a SIGKILLed runner (or relay, for its in-process
 * pool) leaves its jobs' commands running as orphans.
 */
export const groupWatchdog = {
  /** Watches a job's process group from now on. */
  add(pgid: number): void {
    tell(`+ ${pgid}\n`);
  },
  /** The group is done (or being killed by the runner itself): stop watching it. */
  remove(pgid: number): void {
    if (watchdog) tell(`- ${pgid}\n`);
  },
  /** The watchdog's pid (tests), starting it if needed; undefined on Windows. */
  pid(): number | undefined {
    return started()?.pid;
  }
};

function tell(line: string): void {
  const stdin = started()?.stdin;
  if (stdin && !stdin.destroyed) stdin.write(line);
}

function started(): ChildProcess | undefined {
  if (watchdog && watchdog.exitCode === null && watchdog.signalCode === null) return watchdog;
  if (process.platform === 'win32') return undefined;
  try {
    // No inherited NODE_OPTIONS (loaders, inspectors): a bare Node running the script above.
    const child = spawn(process.execPath, ['-e', SCRIPT], { stdio: ['pipe', 'ignore', 'ignore'], detached: true, shell: false, env: {} });
    // Neither the process nor its pipe may keep the runner alive.
    child.unref();
    child.stdin?.on('error', () => undefined); // EPIPE if it was killed: the next add starts another
    (child.stdin as { unref?: () => void } | null)?.unref?.();
    child.on('error', () => undefined);
    child.on('exit', () => {
      if (watchdog === child) watchdog = undefined;
    });
    watchdog = child;
    return child;
  } catch {
    return undefined;
  }
}
