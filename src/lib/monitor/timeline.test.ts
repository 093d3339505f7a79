import { describe, expect, it } from 'vitest';
import type { TokenRecord } from '../engine/chain/record.js';
import { TimelineIndex, type TimelineFilter } from './timeline.js';
import { variablesAt } from './variables.js';

const base = { v: 1, runId: 'r', token: 't', previousToken: null, owner: 'me', prevHash: '', hash: '' } as const;
function rec(seq: number, over: Partial<TokenRecord>): TokenRecord {
  return { ...base, seq, id: `r:${seq}`, kind: 'token', node: 'A', instance: 'i', status: 'started', at: seq * 10, ...over } as TokenRecord;
}
const chain: TokenRecord[] = [
  rec(0, { kind: 'run', node: 'P', instance: 'root', status: 'started', data: { variables: { n: 1 } } }),
  rec(1, { node: 'Start', instance: 's', status: 'completed' }),
  rec(2, { node: 'Review', instance: 'rv', status: 'waiting' }),
  rec(3, { node: 'Review', instance: 'rv', status: 'completed', data: { vars: { root: { ok: true } } } }),
  rec(4, { kind: 'run', node: 'P', instance: 'root', status: 'ended' })
];
const none: TimelineFilter = { search: '', status: '', kind: '', node: '' };

describe('monitor/TimelineIndex', () => {
  it('folds only what is new and matches a fold from seq 0', () => {
    const index = new TimelineIndex();
    index.update(chain.slice(0, 2));
    expect(index.filter(none, {}).map((r) => r.seq)).toEqual([0, 1]);
    index.update(chain.slice(0, 4));
    expect(index.latestVariables).toEqual(variablesAt(chain, 3));
    expect(index.durationOf(chain[3]!)).toBe(10);
    expect(index.durationOf(chain[2]!)).toBeUndefined();
    expect(index.filter(none, {}).map((r) => r.seq)).toEqual([0, 1, 2, 3]);
    index.update(chain);
    expect(index.latestVariables).toEqual(variablesAt(chain, 4));
  });

  it('filters incrementally, keeps the same list when nothing new matches, refilters when the filter changes', () => {
    const index = new TimelineIndex();
    const names = { Review: 'Review order' };
    index.update(chain.slice(0, 3));
    const byName: TimelineFilter = { ...none, search: 'review ORDER' };
    const first = index.filter(byName, names);
    expect(first.map((r) => r.seq)).toEqual([2]);
    index.update(chain.slice(0, 4));
    expect(index.filter(byName, names).map((r) => r.seq)).toEqual([2, 3]);
    index.update(chain);
    const same = index.filter(byName, names);
    expect(index.filter(byName, names)).toBe(same);
    expect(index.filter({ ...none, kind: 'run' }, names).map((r) => r.seq)).toEqual([0, 4]);
    expect(index.filter({ ...none, status: 'completed', node: 'Start' }, names).map((r) => r.seq)).toEqual([1]);
  });

  it('starts over when the list is not the previous one grown', () => {
    const index = new TimelineIndex();
    index.update(chain);
    const other = [rec(0, { kind: 'run', node: 'P', instance: 'root', status: 'started', data: { variables: { n: 2 } } })];
    index.update(other);
    expect(index.latestVariables.root).toEqual({ n: 2 });
    expect(index.filter(none, {}).map((r) => r.seq)).toEqual([0]);
  });
});
