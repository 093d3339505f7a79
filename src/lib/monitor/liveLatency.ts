/**
 * How long the live view takes: records are stamped when the page receives them (with the time
 * the worker committed them, when it says) and measured again when their overlay is on screen.
 * For `npm run bench:analytics` and people debugging in the console; it changes nothing shown.
 */
import type { TokenRecord } from '../engine/chain/record.js';

interface Stamp {
  /** Epoch ms when the worker committed the record (absent: read from the store, e.g. another tab's). */
  committedAt?: number;
  receivedAt: number;
}

/** Latencies in ms, oldest first (each list keeps at least its newest 50,000 entries). */
export interface LiveLatencies {
  /** Per record: the worker's commit → its overlay painted. */
  commitToOverlay: number[];
  /** Per record: the engine step's clock (`record.at`, before the commit) → its overlay painted. */
  stepToOverlay: number[];
  /** Per batch: the worker's commit → the records in the page. */
  arrival: number[];
  /** Per frame: the oldest record in the page → the frame with its overlay painted. */
  inPage: number[];
}

export const liveLatency: LiveLatencies = { commitToOverlay: [], stepToOverlay: [], arrival: [], inPage: [] };

const stamps = new WeakMap<TokenRecord, Stamp>();

/** Epoch milliseconds with sub-millisecond resolution, comparable between the worker and the page. */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

/** Records just received from the worker (`committedAt`: when it committed them, if it says). */
export function noteReceived(records: readonly TokenRecord[], committedAt?: number): void {
  const receivedAt = epochNow();
  const stamp: Stamp = committedAt === undefined ? { receivedAt } : { committedAt, receivedAt };
  for (const record of records) stamps.set(record, stamp);
  if (committedAt !== undefined) push(liveLatency.arrival, receivedAt - committedAt);
}

/** A frame's records are on screen now (called after the frame that drew them was painted). */
export function noteShown(records: readonly TokenRecord[], shownAt: number = epochNow()): void {
  let oldest = Infinity;
  for (const record of records) {
    const stamp = stamps.get(record);
    push(liveLatency.stepToOverlay, shownAt - record.at);
    if (!stamp) continue;
    oldest = Math.min(oldest, stamp.receivedAt);
    if (stamp.committedAt !== undefined) push(liveLatency.commitToOverlay, shownAt - stamp.committedAt);
  }
  if (oldest !== Infinity) push(liveLatency.inPage, shownAt - oldest);
}

function push(list: number[], value: number): void {
  list.push(Math.round(value * 10) / 10);
  if (list.length > 100_000) list.splice(0, 50_000);
}
