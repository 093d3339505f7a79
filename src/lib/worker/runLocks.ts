/**
 * A run executes in exactly one tab: whoever holds the Web Lock `run:<id>`. Others queue for it
 * and take over when the holder's tab (or worker) goes away, since the browser then releases it.
 */
export interface RunLocks {
  /** Runs `fn` while holding the run's exclusive lock, waiting for it as long as it takes. */
  hold(runId: string, fn: () => Promise<void>): Promise<void>;
  /** The runs whose lock some tab of this origin holds. */
  held(): Promise<Set<string>>;
}

const PREFIX = 'run:';

/** RunLocks over `navigator.locks` (pages and workers alike). */
export function webLocks(locks: LockManager = navigator.locks): RunLocks {
  return {
    hold: async (runId, fn) => {
      await locks.request(PREFIX + runId, { mode: 'exclusive' }, fn);
    },
    async held() {
      const snapshot = await locks.query();
      const names = (snapshot.held ?? []).map((lock) => lock.name ?? '');
      return new Set(names.filter((name) => name.startsWith(PREFIX)).map((name) => name.slice(PREFIX.length)));
    }
  };
}
