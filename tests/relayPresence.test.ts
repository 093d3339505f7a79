import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSyncRelay, type SyncRelay } from './helpers/startSyncRelay.js';
import { syncClient, waitFor, type SyncClient } from './helpers/syncClient.js';

/**
 * Presence across reconnects (y-protocols awareness keeps a removed peer's clock, so a re-announce
 * with the same clock is "not newer" and silently dropped, unless the relay and clients forget it).
 */
describe('relay presence over 127.0.0.1', () => {
  let relay: SyncRelay;
  const clients: SyncClient[] = [];
  const client = async (room: string, sub: string) => {
    const c = syncClient(relay.url, room, await relay.token(room, 'edit', 600, sub));
    clients.push(c);
    await c.synced();
    return c;
  };
  const sees = (viewer: SyncClient, other: SyncClient) => viewer.provider.awareness.getStates().get(other.doc.clientID)?.name;

  beforeAll(async () => {
    relay = await startSyncRelay();
  });

  afterAll(async () => {
    for (const c of clients) c.destroy();
    await relay.stop();
  });

  it('after B goes offline and comes back (its state unchanged), A and B see each other again', async () => {
    const a = await client('diagram:presence', 'alice');
    const b = await client('diagram:presence', 'bob');
    a.provider.awareness.setLocalState({ name: 'A' });
    b.provider.awareness.setLocalState({ name: 'B' });
    await waitFor(() => sees(a, b) === 'B' && sees(b, a) === 'A', 5000, 'initial presence');
    for (let round = 0; round < 3; round++) {
      // when B disconnects (A sees B leave) and reconnects without touching its state
      b.provider.disconnect();
      await waitFor(() => sees(a, b) === undefined, 5000, 'B gone at A');
      b.provider.connect();
      await b.synced();
      // then both see each other again
      await waitFor(() => sees(a, b) === 'B', 5000, `A sees B again (round ${round})`);
      await waitFor(() => sees(b, a) === 'A', 5000, `B sees A again (round ${round})`);
    }
    expect(sees(a, b)).toBe('B');
  });

  it("a dropped socket (no goodbye) is not 'left': B keeps A; after A's provider reconnects both see each other", async () => {
    const a = await client('diagram:presence-drop', 'alice');
    const b = await client('diagram:presence-drop', 'bob');
    a.provider.awareness.setLocalState({ name: 'A' });
    b.provider.awareness.setLocalState({ name: 'B' });
    await waitFor(() => sees(a, b) === 'B' && sees(b, a) === 'A', 5000, 'initial presence');
    const removedAtB: number[] = [];
    b.provider.awareness.on('change', ({ removed }: { removed: number[] }) => removedAtB.push(...removed));
    for (let round = 0; round < 3; round++) {
      // when A's socket drops (A's provider removes B locally) and reconnects by itself
      a.provider.ws?.close();
      await waitFor(() => !a.provider.wsconnected, 5000, 'A disconnected');
      await waitFor(() => a.provider.synced, 5000, 'A reconnected');
      // then both see each other again
      await waitFor(() => sees(a, b) === 'B', 5000, `A sees B again (round ${round})`);
      await waitFor(() => sees(b, a) === 'A', 5000, `B sees A again (round ${round})`);
    }
    expect(sees(b, a)).toBe('A');
    expect(removedAtB).not.toContain(a.doc.clientID);
  });
});
