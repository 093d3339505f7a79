import { Runner } from '../../src/lib/runtime/jobs/Runner.js';
import type { TaskTypeRegistry } from '../../src/lib/runtime/taskTypes/TaskTypeRegistry.js';
import type { JobHub } from './JobHub.js';

export const DEFAULT_POOL_SIZE = 2;

export interface RunnerPoolOptions {
  /** Workers (each runs `concurrency` jobs at once); 0 starts none. */
  size?: number;
  concurrency?: number;
  allow: readonly string[];
  registry: TaskTypeRegistry;
  log?: (line: string) => void;
}

/**
 * The relay's own runners: the same Runner loop and protocol as `tessera runner`, over an
 * in-memory connection (frames are delivered on a microtask, never re-entrantly).
 */
export function startRunnerPool(hub: JobHub, opts: RunnerPoolOptions): { stop(): void } {
  const stops: (() => void)[] = [];
  for (let i = 0; i < (opts.size ?? DEFAULT_POOL_SIZE); i++) {
    let stopped = false;
    const runner: Runner = new Runner({
      runnerId: `relay-${i + 1}`,
      concurrency: opts.concurrency ?? 1,
      allow: opts.allow,
      registry: opts.registry,
      send: (frame) => queueMicrotask(() => stopped || connection.receive(frame)),
      ...(opts.log ? { log: opts.log } : {})
    });
    const connection = hub.connectRunner((frame) => queueMicrotask(() => stopped || runner.receive(frame)));
    runner.start();
    stops.push(() => {
      stopped = true;
      runner.stop();
      connection.close();
    });
  }
  return { stop: () => stops.splice(0).forEach((stop) => stop()) };
}
