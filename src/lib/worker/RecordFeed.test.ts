import { describe, expect, it } from 'vitest';
import type { TokenRecord } from '../engine/index.js';
import { RecordFeed } from './RecordFeed.js';

const rec = (seq: number) => ({ seq }) as TokenRecord;
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('worker/RecordFeed', () => {
  it('posts offered records at once, without reading and without waiting for the page, each once and in order', async () => {
    const stored: TokenRecord[] = [];
    let reads = 0;
    const got: number[] = [];
    const stamps: (number | undefined)[] = [];
    let clock = 100;
    const feed = new RecordFeed(
      'r',
      0,
      async (_id, from) => {
        reads += 1;
        return stored.filter((r) => r.seq >= from);
      },
      (records, committedAt) => {
        got.push(...records.map((r) => r.seq));
        stamps.push(committedAt);
        return new Promise<void>(() => undefined); // the page never answers
      },
      () => clock++
    );
    stored.push(rec(0), rec(1));
    feed.offer([rec(0), rec(1)]);
    stored.push(rec(2));
    feed.offer([rec(2)]);
    stored.push(rec(3), rec(4));
    feed.offer([rec(3), rec(4)]);
    // delivered synchronously, each with the time the feed heard of its commit
    expect(got).toEqual([0, 1, 2, 3, 4]);
    expect(stamps).toEqual([100, 101, 102]);
    expect(reads).toBe(0);
    // a gap (records committed by another tab) falls back to reading the store, without a stamp
    stored.push(rec(5), rec(6));
    feed.offer([rec(6)]);
    await tick();
    expect(got).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(stamps.at(-1)).toBeUndefined();
    expect(reads).toBe(1);
  });

  it('holds records offered during a read and posts them after it, once, without reading again', async () => {
    const stored: TokenRecord[] = [rec(0), rec(1)];
    const got: number[] = [];
    let reads = 0;
    let finishRead: (() => void) | undefined;
    const feed = new RecordFeed(
      'r',
      0,
      (_id, from) => {
        reads += 1;
        const upTo = stored.length; // what the store has when the read starts
        return new Promise((resolve) => (finishRead = () => resolve(stored.slice(0, upTo).filter((r) => r.seq >= from))));
      },
      (records) => void got.push(...records.map((r) => r.seq))
    );
    feed.poke();
    stored.push(rec(2));
    feed.offer([rec(2)]); // committed while the read is under way
    stored.push(rec(3));
    feed.offer([rec(3)]);
    finishRead!();
    await tick();
    expect(got).toEqual([0, 1, 2, 3]);
    expect(reads).toBe(1);
    feed.offer([rec(4)]);
    expect(got).toEqual([0, 1, 2, 3, 4]);
  });

  it('stops feeding a subscriber whose delivery rejects (its page went away)', async () => {
    const got: number[] = [];
    const feed = new RecordFeed(
      'r',
      0,
      async () => [],
      (records) => {
        got.push(...records.map((r) => r.seq));
        return Promise.reject(new Error('gone'));
      }
    );
    feed.offer([rec(0)]);
    await tick();
    feed.offer([rec(1)]);
    expect(got).toEqual([0]);
  });
});
