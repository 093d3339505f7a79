import { describe, expect, it } from 'vitest';
import { RateLimit } from './RateLimit.js';

describe('sync-server/sync/RateLimit', () => {
  it('allows a burst, refuses beyond it, refills with time', () => {
    let now = 0;
    const limit = new RateLimit(10, 3, () => now);
    expect([limit.take(), limit.take(), limit.take(), limit.take()]).toEqual([true, true, true, false]);
    now = 100;
    expect(limit.take()).toBe(true);
    expect(limit.take()).toBe(false);
  });
});
