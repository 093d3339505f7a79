import type { VerifyResult } from '../api.js';
import { recordHash } from './sealRecord.js';
import type { TokenRecord } from './record.js';

/**
 * What the store remembers about a run's chain independently of the records: a chain cut short
 * (or rewritten and re-sealed from some point on) still links up, so only an anchor reveals it.
 */
export interface ChainAnchor {
  /** Hash of the last record the store committed. */
  head?: string;
  /** Number of records the store committed. */
  count?: number;
}

/** Recomputes every hash and link, checks the optional anchor; names the first bad seq. */
export function verifyChain(chain: readonly TokenRecord[], expected?: ChainAnchor): VerifyResult {
  if (chain.length === 0) return { ok: false, seq: 0, reason: 'empty chain: no run record at seq 0' };
  const first: unknown = chain[0];
  const runId = first !== null && typeof first === 'object' ? (first as TokenRecord).runId : undefined;
  let prevHash = '';
  for (let i = 0; i < chain.length; i++) {
    const record = chain[i]!;
    if (expected?.count !== undefined && i >= expected.count) {
      return { ok: false, seq: i, reason: `record beyond the anchored end of the chain (${expected.count} records)` };
    }
    const problem = recordProblem(record, i, runId, prevHash);
    if (problem) return { ok: false, seq: i, reason: problem };
    prevHash = record.hash;
  }
  const anchorProblem = checkAnchor(chain.length, prevHash, expected);
  if (anchorProblem) return anchorProblem;
  return { ok: true, count: chain.length, head: prevHash };
}

function checkAnchor(count: number, head: string, expected: ChainAnchor | undefined): VerifyResult | null {
  if (!expected) return null;
  if (expected.count !== undefined && count < expected.count) {
    return {
      ok: false,
      seq: count,
      reason: `truncated chain: ${count} records, the store committed ${expected.count} (seq ${count} onwards missing)`
    };
  }
  if (expected.head !== undefined && head !== expected.head) {
    // Every link verified, so the chain was re-sealed or cut: the last record is where it shows.
    return { ok: false, seq: count - 1, reason: 'head does not match the anchored head (truncated or rewritten chain)' };
  }
  return null;
}

function recordProblem(record: TokenRecord, index: number, runId: unknown, prevHash: string): string | null {
  if (record === null || typeof record !== 'object') return 'not a record object';
  if (record.v !== 1) return `unknown record version ${String(record.v)}`;
  if (record.seq !== index) return `seq is ${String(record.seq)}, expected ${index} (missing, inserted or reordered record)`;
  if (typeof record.runId !== 'string' || record.runId !== runId) {
    return `record belongs to run ${String(record.runId)}, not ${String(runId)}`;
  }
  if (index === 0 && (record.kind !== 'run' || record.status !== 'started')) {
    return 'seq 0 must be the run-started record';
  }
  if (record.prevHash !== prevHash) return 'prevHash does not match the previous record\'s hash';
  const { hash, ...rest } = record;
  let expected: string;
  try {
    expected = recordHash(rest);
  } catch (error) {
    return `record cannot be canonicalised: ${(error as Error).message}`;
  }
  if (hash !== expected) return 'hash does not match the record\'s content (modified record)';
  return null;
}
