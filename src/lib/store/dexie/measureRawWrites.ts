/**
 * The raw IndexedDB limit a benchmark compares the engine with: the same rows (chain segments and
 * run meta) written by dexie bulkAdd/bulkPut into the same schema, in the same transactions, with
 * no engine.
 * Uses a scratch database that it deletes afterwards.
 */
import { Dexie } from 'dexie';
import type { RunMeta } from '../../runtime/ports.js';
import { openTesseraDb, type IdbDeps, type SegmentRow } from './db.js';

export async function measureRawWrites(
  rows: { segments: readonly SegmentRow[]; runs: readonly RunMeta[] },
  batches: readonly (readonly [number, number])[],
  deps?: IdbDeps
): Promise<{ rows: number; records: number; transactions: number; ms: number }> {
  const name = `tessera-raw-bench-${Date.now()}`;
  const db = openTesseraDb(name, deps);
  await db.open();
  let segmentAt = 0;
  let runAt = 0;
  let records = 0;
  let transactions = 0;
  const started = performance.now();
  for (const [segmentCount, runCount] of batches) {
    if (segmentAt >= rows.segments.length && runAt >= rows.runs.length) break;
    const segments = rows.segments.slice(segmentAt, segmentAt + segmentCount);
    const runs = rows.runs.slice(runAt, runAt + runCount);
    segmentAt += segments.length;
    runAt += runs.length;
    records += segments.reduce((sum, row) => sum + row.records.length, 0);
    transactions += 1;
    await db.transaction('rw', db.segments, db.runs, async () => {
      await db.segments.bulkAdd(segments);
      await db.runs.bulkPut(runs);
    });
  }
  const ms = performance.now() - started;
  db.close();
  await Dexie.delete(name);
  return { rows: segmentAt + runAt, records, transactions, ms };
}
