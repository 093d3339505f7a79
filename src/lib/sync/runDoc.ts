/**
 * A run's Y.Doc ("run:<id>"): its records, appended by the executing client only, and intents
 * that collaborators post for the executor to apply (complete a user task, retry an incident).
 * Replicas verify the chain and expose only the verified prefix; the rest is shown as tampered.
 */
import type * as Y from 'yjs';
import { verifyChain, type TokenRecord, type VerifyResult } from '../engine/index.js';
import { LOCAL_ORIGIN } from './doc.js';

export interface RunIntent {
  id: string;
  kind: 'task.complete' | 'incident.retry';
  node: string;
  token?: string;
  variables?: Record<string, unknown>;
  by: string;
  at: number;
}

export const runRecordsOf = (doc: Y.Doc): Y.Array<TokenRecord> => doc.getArray('records');
export const runIntentsOf = (doc: Y.Doc): Y.Array<RunIntent> => doc.getArray('intents');

/** Executor side: append newly committed records (already sealed), in order. */
export function appendRecords(doc: Y.Doc, records: readonly TokenRecord[]): void {
  if (records.length > 0) doc.transact(() => runRecordsOf(doc).push([...records]), LOCAL_ORIGIN);
}

export function postIntent(doc: Y.Doc, intent: RunIntent): void {
  doc.transact(() => runIntentsOf(doc).push([intent]), LOCAL_ORIGIN);
}

export interface ReplicaView {
  /** The records that verify, in order: the only ones a replica shows as facts. */
  records: TokenRecord[];
  verify: VerifyResult;
  /** The first record that does not verify, shown as tampered and never applied. */
  tampered?: TokenRecord;
}

export function readReplica(doc: Y.Doc): ReplicaView {
  const all = runRecordsOf(doc).toArray();
  if (all.length === 0) return { records: [], verify: { ok: true, count: 0, head: '' } };
  const verify = verifyChain(all);
  if (verify.ok) return { records: all, verify };
  const bad = verify.seq;
  return { records: all.slice(0, bad), verify, tampered: all[bad] };
}

/**
 * Executor side: calls `apply` once for every intent collaborators post (those already there and
 * new ones), in order; `applied` holds ids handled before (e.g. restored from the run's records).
 */
export function handleIntents(doc: Y.Doc, apply: (intent: RunIntent) => void, applied: Set<string> = new Set()): () => void {
  const intents = runIntentsOf(doc);
  const drain = () => {
    for (const intent of intents.toArray()) {
      if (applied.has(intent.id)) continue;
      applied.add(intent.id);
      apply(intent);
    }
  };
  drain();
  intents.observe(drain);
  return () => intents.unobserve(drain);
}
