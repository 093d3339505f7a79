import type { VerifyResult } from '../api.js';
import { recordHash } from './sealRecord.js';
import type { TokenRecord } from './record.js';

/** Recomputes every hash and link; names the first bad seq (the position in the chain). */
export function verifyChain(chain: readonly TokenRecord[]): VerifyResult {
  if (chain.length === 0) return { ok: false, seq: 0, reason: 'empty chain: no run record at seq 0' };
  const runId = chain[0]!.runId;
  let prevHash = '';
  for (let i = 0; i < chain.length; i++) {
    const record = chain[i]!;
    const problem = recordProblem(record, i, runId, prevHash);
    if (problem) return { ok: false, seq: i, reason: problem };
    prevHash = record.hash;
  }
  return { ok: true, count: chain.length, head: prevHash };
}

function recordProblem(record: TokenRecord, index: number, runId: string, prevHash: string): string | null {
  if (record === null || typeof record !== 'object') return 'not a record object';
  if (record.v !== 1) return `unknown record version ${String(record.v)}`;
  if (record.seq !== index) return `seq is ${String(record.seq)}, expected ${index} (missing, inserted or reordered record)`;
  if (record.runId !== runId) return `record belongs to run ${String(record.runId)}, not ${runId}`;
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
