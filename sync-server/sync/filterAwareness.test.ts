import { describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { AwarenessRefusedError, filterAwareness } from './filterAwareness.js';

function updateFor(states: Record<number, unknown>): Uint8Array {
  const awareness = new awarenessProtocol.Awareness(new Y.Doc());
  const ids = Object.keys(states).map(Number);
  for (const id of ids) {
    awareness.states.set(id, states[id] as Record<string, unknown>);
    awareness.meta.set(id, { clock: 1, lastUpdated: 0 });
  }
  const update = awarenessProtocol.encodeAwarenessUpdate(awareness, ids);
  awareness.destroy();
  return update;
}

describe('sync-server/sync/filterAwareness', () => {
  it('keeps only the entries the peer may speak for', () => {
    const { update, clientIds } = filterAwareness(updateFor({ 1: { user: 'a' }, 2: { user: 'b' } }), (id) => id === 1);
    expect(clientIds).toEqual([1]);
    const target = new awarenessProtocol.Awareness(new Y.Doc());
    awarenessProtocol.applyAwarenessUpdate(target, update, null);
    expect(target.getStates().get(1)).toEqual({ user: 'a' });
    expect(target.getStates().has(2)).toBe(false);
    target.destroy();
  });

  it('refuses too many entries and oversized states; throws on garbage', () => {
    const many = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [i + 1, {}]));
    expect(() => filterAwareness(updateFor(many), () => true)).toThrow(AwarenessRefusedError);
    expect(() => filterAwareness(updateFor({ 1: { pad: 'x'.repeat(40_000) } }), () => true)).toThrow(AwarenessRefusedError);
    expect(() => filterAwareness(Uint8Array.of(1, 1, 1, 3, 123, 123, 123), () => true)).toThrow(SyntaxError);
  });
});
