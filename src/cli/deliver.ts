/** Delivering a message or signal to stored runs: each waiting run in turn, skipping those that refuse it. */
import type { EngineEvent } from '../lib/engine/events.js';
import { runOutput, type RunOutput } from './runOutput.js';
import { openStore } from './openStore.js';
import { continueStoredRun, type SessionOptions } from './runSession.js';
import { isEngineRefusal } from './storedRunCommand.js';

/** Runs still running in the store (they are the only ones a message or signal can reach). */
export async function runningRunIds(storePath: string): Promise<string[]> {
  const store = openStore(storePath, true);
  try {
    return (await store.listRuns({ status: 'running' })).map((run) => run.runId);
  } finally {
    await store.close();
  }
}

/**
 * Gives `event` to each run; a run that refuses it (nothing waits for it) is skipped unless it
 * is the only one asked for, then the refusal is thrown.
 */
export async function deliver(
  storePath: string,
  runIds: readonly string[],
  event: EngineEvent,
  opts: Omit<SessionOptions, 'file'>,
  single: boolean
): Promise<RunOutput[]> {
  const outputs: RunOutput[] = [];
  for (const runId of runIds) {
    try {
      outputs.push(runOutput(await continueStoredRun(storePath, runId, opts, (executor) => executor.dispatch(event))));
    } catch (error) {
      if (single || !isEngineRefusal(error)) throw error;
    }
  }
  return outputs;
}
