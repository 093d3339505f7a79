import { afterEach, describe, expect, it, vi } from 'vitest';
import { SystemClock } from './SystemClock.js';

describe('runtime/SystemClock', () => {
  afterEach(() => vi.useRealTimers());

  it('fires at the due time, and never when cleared', () => {
    vi.useFakeTimers({ now: 1_000 });
    const clock = new SystemClock();
    const fired: number[] = [];
    clock.setTimer(1_500, () => fired.push(Date.now()));
    const cleared = clock.setTimer(1_200, () => fired.push(-1));
    clock.clearTimer(cleared);
    vi.advanceTimersByTime(499);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual([1_500]);
  });

  it('waits longer than setTimeout can (about 24.8 days) without firing early', () => {
    vi.useFakeTimers({ now: 0 });
    const clock = new SystemClock();
    const days40 = 40 * 24 * 3600 * 1000;
    let fired = false;
    clock.setTimer(days40, () => (fired = true));
    vi.advanceTimersByTime(days40 - 1);
    expect(fired).toBe(false);
    vi.advanceTimersByTime(1);
    expect(fired).toBe(true);
  });

  it('fires a due time in the past at once', () => {
    vi.useFakeTimers({ now: 5_000 });
    let fired = false;
    new SystemClock().setTimer(1, () => (fired = true));
    vi.advanceTimersByTime(0);
    expect(fired).toBe(true);
  });
});
