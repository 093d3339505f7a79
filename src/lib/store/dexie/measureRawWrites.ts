/**
 * The raw IndexedDB limit a benchmark compares the engine with: the same rows (chain segments)
 * written by dexie bulkAdd into the same schema, in the same transaction sizes, with no engine.
 * Uses a scratch database that it deletes afterwards.
 */
import { Dexie } from 'dexie';
import { openTesseraDb, type IdbDeps, type SegmentRow } from './db.js';

export async function measureRawWrites(
  rows: readonly SegmentRow[],
  batches: readonly number[],
  deps?: IdbDeps
): Promise<{ rows: number; records: number; transactions: number; ms: number }> {
  const name = `tessera-raw-bench-${Date.now()}`;
  const db = openTesseraDb(name, deps);
  await db.open();
  let offset = 0;
  let records = 0;
  let transactions = 0;
  const started = performance.now();
  for (const size of batches) {
    if (offset >= rows.length) break;
    const slice = rows.slice(offset, offset + size);
    offset += slice.length;
    records += slice.reduce((sum, row) => sum + row.records.length, 0);
    transactions += 1;
    await db.transaction('rw', db.segments, () => db.segments.bulkAdd(slice));
  }
  const ms = performance.now() - started;
  db.close();
  await Dexie.delete(name);
  return { rows: offset, records, transactions, ms };
}
