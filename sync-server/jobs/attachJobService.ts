import { join } from 'node:path';
import { getQuickJS } from 'quickjs-emscripten';
import { SystemClock } from '../../src/lib/runtime/SystemClock.js';
import { runScript } from '../../src/lib/runtime/sandbox/runScript.js';
import { TaskTypeRegistry, commandTaskType, httpTaskType, scriptTaskType, type TaskType } from '../../src/lib/runtime/taskTypes/index.js';
import type { Relay } from '../createRelay.js';
import { attachJobs } from './attachJobs.js';
import { JobHub } from './JobHub.js';
import type { RelayJobConfig } from './relayJobConfig.js';
import { SqliteJobStore } from './SqliteJobStore.js';
import { DEFAULT_POOL_SIZE, startRunnerPool } from './startRunnerPool.js';

const SCRIPT_LIMITS = { timeoutMs: 5_000, memoryBytes: 64 * 1024 * 1024 };

export interface JobServiceOptions {
  secret: string;
  allow: readonly string[];
  config: RelayJobConfig;
  /** Where queued jobs persist (`jobs.sqlite`); without it the queue lives in memory only. */
  dataDir?: string;
  /** Extra task types (plugins) for the in-process runners. */
  taskTypes?: readonly TaskType[];
  log?: (line: string) => void;
}

/** The built-in task types with a runner's settings. */
export function builtInTaskTypes(opts: { allow: readonly string[]; secrets?: Record<string, string>; httpHosts?: readonly string[] }): TaskType[] {
  return [
    commandTaskType({ allow: opts.allow, ...(opts.secrets ? { secrets: opts.secrets } : {}) }),
    httpTaskType({ allowHosts: opts.httpHosts ?? [] }),
    scriptTaskType(async (source, variables) => {
      const outcome = runScript(await getQuickJS(), source, variables, SCRIPT_LIMITS);
      return outcome.ok ? { ok: true, value: outcome.value } : { ok: false, error: { message: outcome.error.message } };
    })
  ];
}

/** Adds the job hub, the `/jobs` websockets and the in-process runner pool to a relay. */
export function attachJobService(relay: Relay, opts: JobServiceOptions): { hub: JobHub; poolSize: number } {
  const store = opts.dataDir === undefined ? undefined : new SqliteJobStore(join(opts.dataDir, 'jobs.sqlite'));
  const hub = new JobHub({
    clock: new SystemClock(),
    ...(store ? { store } : {}),
    ...(opts.config.leaseMs ? { leaseMs: opts.config.leaseMs } : {}),
    newId: () => crypto.randomUUID(),
    ...(opts.log ? { log: opts.log } : {})
  });
  attachJobs(relay, hub, { secret: opts.secret, ...(opts.log ? { log: opts.log } : {}) });
  const registry = new TaskTypeRegistry([
    ...builtInTaskTypes({ allow: opts.allow, ...(opts.config.secrets ? { secrets: opts.config.secrets } : {}), ...(opts.config.httpHosts ? { httpHosts: opts.config.httpHosts } : {}) }),
    ...(opts.taskTypes ?? [])
  ]);
  const poolSize = opts.config.runners ?? DEFAULT_POOL_SIZE;
  const pool = startRunnerPool(hub, { size: poolSize, concurrency: opts.config.concurrency ?? 2, allow: opts.allow, registry, ...(opts.log ? { log: opts.log } : {}) });
  // For the modeler's properties panel: the task types the connected runners offer.
  relay.routeHttp('/api/task-types', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    // The in-process pool says hello with the relay's registry, remote runners with theirs.
    res.end(JSON.stringify({ ok: true, taskTypes: hub.taskTypes() }));
  });
  relay.onClose(() => {
    pool.stop();
    store?.close();
  });
  return { hub, poolSize };
}
