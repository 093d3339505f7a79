import { describe, expect, it } from 'vitest';
import type { TokenRecord } from '../engine/index.js';
import { RecordFeed } from './RecordFeed.js';

const rec = (seq: number) => ({ seq }) as TokenRecord;
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('worker/RecordFeed', () => {
  it('delivers offered records without reading, each once and in order, and reads on a gap', async () => {
    const stored: TokenRecord[] = [];
    let reads = 0;
    const got: number[] = [];
    let release: (() => void) | undefined;
    const feed = new RecordFeed(
      'r',
      0,
      async (_id, from) => {
        reads += 1;
        return stored.filter((r) => r.seq >= from);
      },
      (records) => {
        got.push(...records.map((r) => r.seq));
        return new Promise<void>((resolve) => (release = resolve));
      }
    );
    stored.push(rec(0), rec(1));
    feed.offer([rec(0), rec(1)]);
    // while that delivery waits on the page, more commits are buffered
    stored.push(rec(2));
    feed.offer([rec(2)]);
    stored.push(rec(3), rec(4));
    feed.offer([rec(3), rec(4)]);
    release!();
    await tick();
    release!();
    await tick();
    expect(got).toEqual([0, 1, 2, 3, 4]);
    expect(reads).toBe(0);
    // a gap (records committed by another tab) falls back to reading the store
    stored.push(rec(5), rec(6));
    feed.offer([rec(6)]);
    await tick();
    release!();
    await tick();
    expect(got).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(reads).toBeGreaterThan(0);
  });
});
