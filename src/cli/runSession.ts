/**
 * What run, complete, message, signal and cancel share: an executor over the SQLite store with
 * local jobs and --answer auto-completion, driven until the run can only wait for people.
 */
import type { RunSummary } from '../lib/engine/api.js';
import type { ProcessModel } from '../lib/engine/definition/model.js';
import * as engine from '../lib/engine/index.js';
import type { RunState } from '../lib/engine/state.js';
import { Executor } from '../lib/runtime/Executor.js';
import type { JobDispatcher, RunMeta, RunStore } from '../lib/runtime/ports.js';
import { SystemClock } from '../lib/runtime/SystemClock.js';
import { UsageError } from './args.js';
import { runAllowListedCommand, runSandboxedScript } from './jobRunners.js';
import { LocalJobs } from './localJobs.js';
import { openStore } from './openStore.js';

export interface SessionOptions {
  allow: string[];
  allowScripts: boolean;
  /** User-task answers by node id: each time such a task opens, it is completed with this data. */
  answers: ReadonlyMap<string, Record<string, unknown>>;
  file?: string;
  /** Where jobs run instead of in this process (a relay's runners). */
  jobs?: JobDispatcher;
}

// A model that loops through an answered user task forever must still end: stop answering then.
const MAX_ANSWERS = 10_000;
const OWNER = 'cli';



/** An executor for `model` whose user tasks named in `answers` complete themselves. */
export function createExecutor(model: ProcessModel, store: RunStore, opts: SessionOptions): Executor<RunState> {
  const jobs = opts.jobs ?? new LocalJobs({
    allow: opts.allow,
    allowScripts: opts.allowScripts,
    runCommand: runAllowListedCommand,
    runScript: runSandboxedScript
  });
  const executor = new Executor<RunState>({
    engine,
    model,
    store,
    clock: new SystemClock(),
    jobs,
    ...(opts.file === undefined ? {} : { file: opts.file })
  });
  let answered = 0;
  executor.subscribe(({ effects }) => {
    for (const effect of effects) {
      if (effect.type !== 'userTask.open') continue;
      const answer = opts.answers.get(effect.node);
      if (!answer || answered >= MAX_ANSWERS) continue;
      answered += 1;
      executor
        .dispatch({ type: 'userTask.completed', instance: effect.instance, variables: answer, owner: OWNER })
        .catch(() => undefined);
    }
  });
  return executor;
}

/** A stored run's meta and the model compiled from the exact XML it started with. */
export async function loadStoredRun(store: RunStore, runId: string): Promise<{ meta: RunMeta; model: ProcessModel }> {
  const meta = await store.getRun(runId);
  if (!meta) throw new UsageError(`no run ${runId} in the store`);
  const xml = await store.getXml(meta.xmlSha256);
  if (xml === undefined) throw new Error(`the store lacks the BPMN (sha256 ${meta.xmlSha256}) run ${runId} started from`);
  return { meta, model: await engine.compile(xml) };
}

/**
 * Waits until nothing is queued, no job runs and no timer is pending (real timers really wait);
 * the summary's `visited` is read from the committed records (the state does not keep it).
 */
export async function settle(executor: Executor<RunState>, store: RunStore): Promise<RunSummary> {
  await executor.whenIdle();
  const summary = executor.summary();
  return { ...summary, visited: engine.visitedFrom(await store.records(summary.runId)) };
}

export const owner = OWNER;

/**
 * Recovers a stored run, lets `act` apply one or more events, settles, and returns its summary.
 * The store is closed afterwards whatever happens.
 */
export async function continueStoredRun(
  storePath: string,
  runId: string,
  opts: Omit<SessionOptions, 'file'>,
  act: (executor: Executor<RunState>) => Promise<unknown>
): Promise<RunSummary> {
  const store = openStore(storePath, true);
  try {
    const { meta, model } = await loadStoredRun(store, runId);
    const executor = createExecutor(model, store, { ...opts, ...(meta.file === undefined ? {} : { file: meta.file }) });
    await executor.recover(runId);
    try {
      await act(executor);
      return await settle(executor, store);
    } finally {
      executor.close();
    }
  } finally {
    await store.close();
  }
}
