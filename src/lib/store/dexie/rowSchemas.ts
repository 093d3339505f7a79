/** Row types of the chain tables and zod checks for rows read back from IndexedDB: rows must look right before use. */
import { z } from 'zod';
import type { TokenRecord } from '../../engine/chain/record.js';
import { RunStatus, type RunMeta } from '../../runtime/ports.js';
import { parseRecord } from '../recordSchema.js';

/**
 * The records one transaction appended to a run, in seq order, keyed by the first one's seq.
 * IndexedDB's cost is mostly per row (measured in Chromium: ~3.5k rows/s whether a row holds one
 * record or nothing, ~15k records/s when a row holds a step's 14), so a chain is stored as
 * segments. Keys are unique, and every write checks in its transaction that its records continue
 * the run's chain exactly (seq = count, prevHash = head), so no seq is ever stored twice.
 */
export interface SegmentRow {
  runId: string;
  seq: number;
  records: TokenRecord[];
}

/** Per diagram version: how many finished runs its `elementAgg` rows hold (to tell rows that missed runs). */
export interface VersionAggregate {
  xmlSha256: string;
  runs: number;
}

export const runMetaSchema = z.strictObject({
  runId: z.string(),
  processId: z.string(),
  xmlSha256: z.string(),
  status: z.enum(Object.values(RunStatus) as [RunStatus, ...RunStatus[]]),
  count: z.number().int().nonnegative(),
  head: z.string(),
  startedAt: z.number(),
  updatedAt: z.number(),
  file: z.string().optional()
});

export const segmentSchema = z.object({ runId: z.string(), seq: z.number().int().nonnegative(), records: z.array(z.unknown()).min(1) });

/** A stored run row, checked. */
export function parseRunMeta(row: unknown): RunMeta {
  return runMetaSchema.parse(row) as RunMeta;
}

/** The records of these segment rows from `fromSeq` on, each checked to be a record. */
export function recordsOf(rows: readonly unknown[], fromSeq = 0): TokenRecord[] {
  const records: TokenRecord[] = [];
  for (const row of rows) {
    for (const value of segmentSchema.parse(row).records) {
      const record = parseRecord(value);
      if (record.seq >= fromSeq) records.push(record);
    }
  }
  return records;
}

/**
 * Like recordsOf, but a row that is not what this code wrote gives [] instead of throwing: the
 * analytics skip a damaged chain (verifying it is the run page's job) rather than fail the
 * transaction that commits other runs' steps.
 */
export function recordsOrNone(rows: readonly unknown[]): TokenRecord[] {
  try {
    return recordsOf(rows);
  } catch {
    return [];
  }
}
