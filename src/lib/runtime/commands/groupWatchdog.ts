import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Reads `+PGID` / `-PGID` lines; when its stdin reaches end of file — the runner exited, however
 * it died, SIGKILL included, since the kernel closes the pipe — it sends SIGTERM, then SIGKILL
 * after the same 500 ms grace, to every group still listed. It ignores the signals a terminal or
 * a service manager sends to the runner's process group, and runs in its own session.
 */
const SCRIPT = `trap '' INT TERM HUP
groups=""
while read -r op pgid; do
  case "$pgid" in ''|*[!0-9]*|0|1) continue ;; esac
  case "$op" in
    +) groups="$groups $pgid" ;;
    -) rest=""; for g in $groups; do [ "$g" = "$pgid" ] || rest="$rest $g"; done; groups=$rest ;;
  esac
done
[ -n "$groups" ] || exit 0
for g in $groups; do kill -s TERM -- "-$g" 2>/dev/null; done
sleep 0.5
for g in $groups; do kill -s KILL -- "-$g" 2>/dev/null; done`;

let watchdog: ChildProcess | undefined;

/**
 * Process groups of running jobs, watched by a tiny shell process (one per runner process) that
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
  /** The watchdog's pid (tests), starting it if needed; undefined where there is no /bin/sh. */
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
    const child = spawn('/bin/sh', ['-c', SCRIPT], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
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
