/** The immutable token record: one per token state change, hash-linked into the run's chain. */

export const RecordKind = {
  run: 'run',
  token: 'token',
  incident: 'incident',
  variables: 'variables',
  intent: 'intent'
} as const;
export type RecordKind = (typeof RecordKind)[keyof typeof RecordKind];

export const RecordStatus = {
  started: 'started',
  waiting: 'waiting',
  completed: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
  merged: 'merged',
  ended: 'ended',
  opened: 'opened',
  resolved: 'resolved'
} as const;
export type RecordStatus = (typeof RecordStatus)[keyof typeof RecordStatus];

export interface TokenRecord {
  v: 1;
  runId: string;
  seq: number;
  id: string;
  kind: RecordKind;
  token: string;
  previousToken: string | null;
  node: string;
  instance: string;
  flow?: string;
  status: RecordStatus;
  owner: string;
  at: number;
  data?: unknown;
  prevHash: string;
  hash: string;
}

/** A record before it is sealed into the chain (seq, prevHash and hash are assigned then). */
export type UnsealedRecord = Omit<TokenRecord, 'seq' | 'prevHash' | 'hash'>;
