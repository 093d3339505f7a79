import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TokenRecord } from '../engine/chain/record.js';
import { epochNow, liveLatency, noteReceived, noteShown } from './liveLatency.js';

const rec = (seq: number, at: number) => ({ seq, at }) as TokenRecord;

describe('monitor/liveLatency', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    for (const list of Object.values(liveLatency)) list.length = 0;
  });

  it('measures commit → shown per stamped record, step clock → shown for every record, and the page part per frame', () => {
    let now = 1000;
    vi.spyOn(performance, 'now').mockImplementation(() => now - performance.timeOrigin);
    expect(epochNow()).toBeCloseTo(1000);
    const mine = [rec(0, 980), rec(1, 985)];
    const other = [rec(2, 990)];
    noteReceived(mine, 995); // committed in this tab's worker at 995, here at 1000
    now = 1010;
    noteReceived(other); // read from the store: no commit time
    noteShown([...mine, ...other], 1030);
    expect(liveLatency.arrival).toEqual([5]);
    expect(liveLatency.commitToOverlay).toEqual([35, 35]);
    expect(liveLatency.stepToOverlay).toEqual([50, 45, 40]);
    expect(liveLatency.inPage).toEqual([30]);
  });
});
