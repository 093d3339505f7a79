/** Grace between SIGTERM and SIGKILL, as Buildkite and GitHub runners do. */
export const KILL_GRACE_MS = 500;

/** Sends `signal` to every process in the group led by `pgid`; false when none is left. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    // ESRCH: the group is empty. EPERM cannot happen for our own children.
    return false;
  }
}

const POLL_MS = 25;

/**
 * SIGTERM to the whole process group, then SIGKILL once the grace period is over if anything
 * is still there. Killing the group, not the child, is what reaches grandchildren: a shell
 * killed alone leaves its background jobs running. Resolves when the group is empty or has
 * been sent SIGKILL.
 */
export function killProcessGroup(pgid: number, graceMs = KILL_GRACE_MS): Promise<void> {
  if (!signalGroup(pgid, 'SIGTERM')) return Promise.resolve();
  const deadline = Date.now() + graceMs;
  return new Promise((resolve) => {
    const poll = (): void => {
      if (!signalGroup(pgid, 0)) return resolve();
      if (Date.now() >= deadline) {
        signalGroup(pgid, 'SIGKILL');
        return resolve();
      }
      setTimeout(poll, Math.min(POLL_MS, Math.max(0, deadline - Date.now())));
    };
    setTimeout(poll, Math.min(POLL_MS, graceMs));
  });
}
