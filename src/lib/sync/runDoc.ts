/**
 * A run's Y.Doc ("run:<id>", shape in protocol/runRoom.ts): its records, appended by the lease
 * holder only; the run's info (process, XML); intents collaborators post for the executor to
 * apply, and what applying each gave. Typed accessors and the few writes each side makes.
 */
import type * as Y from 'yjs';
import { verifyChain, type TokenRecord, type VerifyResult } from '../engine/index.js';
import {
  intentOutcomeSchema,
  LEASE_KEY,
  runInfoSchema,
  runIntentSchema,
  runLeaseSchema,
  RunRoomType,
  type IntentOutcome,
  type RunInfoEntry,
  type RunIntent,
  type RunLease
} from '../protocol/runRoom.js';
import { LOCAL_ORIGIN } from './doc.js';

export type { IntentOutcome, RunInfoEntry, RunIntent, RunLease };

export const runRecordsOf = (doc: Y.Doc): Y.Array<TokenRecord> => doc.getArray(RunRoomType.records);
export const runIntentsOf = (doc: Y.Doc): Y.Array<unknown> => doc.getArray(RunRoomType.intents);
export const runOutcomesOf = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(RunRoomType.outcomes);
export const runInfoOf = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(RunRoomType.info);
export const runLeaseOf = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(RunRoomType.lease);

/** Executor side: append newly committed records (already sealed), in order. */
export function appendRecords(doc: Y.Doc, records: readonly TokenRecord[]): void {
  if (records.length > 0) doc.transact(() => runRecordsOf(doc).push([...records]), LOCAL_ORIGIN);
}

/** Executor side: publish what a viewer needs to draw the run (once; the XML never changes). */
export function publishInfo(doc: Y.Doc, info: RunInfoEntry): void {
  const map = runInfoOf(doc);
  if (map.get('xmlSha256') === info.xmlSha256) return;
  doc.transact(() => {
    for (const [key, value] of Object.entries(info)) if (value !== undefined) map.set(key, value);
  }, LOCAL_ORIGIN);
}

export function readInfo(doc: Y.Doc): RunInfoEntry | undefined {
  const parsed = runInfoSchema.safeParse(runInfoOf(doc).toJSON());
  return parsed.success ? parsed.data : undefined;
}

/** Asks the relay for the executor lease (it answers by writing the lease map). */
export function claimLease(doc: Y.Doc, by: string, at: number): void {
  doc.transact(() => doc.getArray(RunRoomType.claims).push([{ client: doc.clientID, by, at }]), LOCAL_ORIGIN);
}

export function readLease(doc: Y.Doc): RunLease | undefined {
  const parsed = runLeaseSchema.safeParse(runLeaseOf(doc).get(LEASE_KEY));
  return parsed.success ? parsed.data : undefined;
}

/** True when this doc's client holds the lease: only then may it append records. */
export function holdsLease(doc: Y.Doc): boolean {
  return readLease(doc)?.client === doc.clientID;
}

export function postIntent(doc: Y.Doc, intent: RunIntent): void {
  doc.transact(() => runIntentsOf(doc).push([intent]), LOCAL_ORIGIN);
}

/** The well-formed intents, in order (the relay refuses others; a replica skips them too). */
export function readIntents(doc: Y.Doc): RunIntent[] {
  return runIntentsOf(doc)
    .toArray()
    .flatMap((entry) => {
      const parsed = runIntentSchema.safeParse(entry);
      return parsed.success ? [parsed.data] : [];
    });
}

export function recordOutcome(doc: Y.Doc, intentId: string, outcome: IntentOutcome): void {
  doc.transact(() => runOutcomesOf(doc).set(intentId, outcome), LOCAL_ORIGIN);
}

export function readOutcomes(doc: Y.Doc): Map<string, IntentOutcome> {
  const outcomes = new Map<string, IntentOutcome>();
  for (const [id, value] of runOutcomesOf(doc)) {
    const parsed = intentOutcomeSchema.safeParse(value);
    if (parsed.success) outcomes.set(id, parsed.data);
  }
  return outcomes;
}

export interface ReplicaView {
  /** The records that verify, in order: the only ones a replica shows as facts. */
  records: TokenRecord[];
  verify: VerifyResult;
  /** The first record that does not verify, shown as tampered and never applied. */
  tampered?: TokenRecord;
}

/** Verifies the whole replicated chain (runs/ReplicaVerifier does it incrementally). */
export function readReplica(doc: Y.Doc): ReplicaView {
  const all = runRecordsOf(doc).toArray();
  if (all.length === 0) return { records: [], verify: { ok: true, count: 0, head: '' } };
  const verify = verifyChain(all);
  if (verify.ok) return { records: all, verify };
  return { records: all.slice(0, verify.seq), verify, tampered: all[verify.seq] };
}

/**
 * Executor side: calls `apply` once for every intent collaborators post (those already there and
 * new ones), in order; `applied` holds ids handled before (e.g. those with an outcome in the doc).
 */
export function handleIntents(doc: Y.Doc, apply: (intent: RunIntent) => void, applied: Set<string> = new Set()): () => void {
  const intents = runIntentsOf(doc);
  const drain = () => {
    for (const intent of readIntents(doc)) {
      if (applied.has(intent.id)) continue;
      applied.add(intent.id);
      apply(intent);
    }
  };
  drain();
  intents.observe(drain);
  return () => intents.unobserve(drain);
}
