import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { SyncCloseCode, SyncMessageType } from '../../src/lib/protocol/syncProtocol.js';
import { Room } from './Room.js';
import { SqliteUpdateLog } from './SqliteUpdateLog.js';
import { SyncConnection, type SyncSocket } from './SyncConnection.js';
import type { Validation } from './UpdateValidator.js';

class FakeSocket implements SyncSocket {
  frames: Uint8Array[] = [];
  closed: { code: number; reason: string } | undefined;
  terminated = false;
  bufferedAmount = 0;
  send(frame: Uint8Array): void {
    this.frames.push(frame);
  }
  close(code: number, reason: string): void {
    this.closed = { code, reason };
  }
  terminate(): void {
    this.terminated = true;
  }
  types(): number[] {
    return this.frames.map((f) => decoding.readVarUint(decoding.createDecoder(f)));
  }
}

const accept = async (): Promise<Validation> => ({ ok: true });
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function updateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, SyncMessageType.sync);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

function edit(key: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('elements').set(key, 1);
  return Y.encodeStateAsUpdate(doc);
}

function setup(role: 'view' | 'edit', validate = accept) {
  const log = new SqliteUpdateLog(':memory:');
  const room = new Room('diagram:t', log);
  const writer = new FakeSocket();
  const other = new FakeSocket();
  const writerConnection = new SyncConnection({ socket: writer, room, role, validate });
  new SyncConnection({ socket: other, room, role: 'edit', validate });
  return { log, room, writer, other, writerConnection };
}

describe('sync-server/sync/SyncConnection', () => {
  it('starts every peer with sync step 1', () => {
    const { writer } = setup('edit');
    expect(writer.types()).toEqual([SyncMessageType.sync]);
  });

  it('stores an editor update, then forwards it to the others only', async () => {
    // given two peers, when the editor sends an update
    const { log, room, writer, other, writerConnection } = setup('edit');
    writerConnection.receive(updateFrame(edit('Task_1')));
    await settle();
    // then it is in the room, on disk, and at the other peer (not echoed)
    expect(room.doc.getMap('elements').get('Task_1')).toBe(1);
    expect(log.load('diagram:t').updates).toHaveLength(1);
    expect(other.frames).toHaveLength(2);
    expect(writer.frames).toHaveLength(1);
  });

  it("drops a viewer's updates and tells it once why", async () => {
    const { log, room, writer, other, writerConnection } = setup('view');
    writerConnection.receive(updateFrame(edit('Task_1')));
    writerConnection.receive(updateFrame(edit('Task_2')));
    await settle();
    expect(room.doc.getMap('elements').size).toBe(0);
    expect(log.load('diagram:t').updates).toHaveLength(0);
    expect(other.frames).toHaveLength(1);
    expect(writer.types()).toEqual([SyncMessageType.sync, SyncMessageType.auth]);
    expect(writer.closed).toBeUndefined();
  });

  it('closes only the sender of an invalid update or a malformed frame', async () => {
    const refuse = async (): Promise<Validation> => ({ ok: false, reason: 'bad' });
    const { writer, other, writerConnection } = setup('edit', refuse);
    writerConnection.receive(updateFrame(Uint8Array.of(9, 9, 9)));
    await settle();
    expect(writer.closed).toEqual({ code: SyncCloseCode.malformed, reason: 'invalid update: bad' });
    expect(other.closed).toBeUndefined();
    const next = setup('edit');
    next.writerConnection.receive(Uint8Array.of(0, 0, 200));
    await settle();
    expect(next.writer.closed?.code).toBe(SyncCloseCode.malformed);
    const unknown = setup('edit');
    unknown.writerConnection.receive(Uint8Array.of(77));
    await settle();
    expect(unknown.writer.closed?.reason).toBe('unknown message type 77');
  });

  it('closes a peer that sends too fast, and drops a reader that falls behind', async () => {
    const log = new SqliteUpdateLog(':memory:');
    const room = new Room('diagram:r', log);
    const fast = new FakeSocket();
    const connection = new SyncConnection({ socket: fast, room, role: 'edit', validate: accept, limits: { messageBurst: 3, messagesPerSecond: 1 } });
    for (let i = 0; i < 5; i++) connection.receive(Uint8Array.of(SyncMessageType.queryAwareness));
    expect(fast.closed).toEqual({ code: SyncCloseCode.policy, reason: 'rate limit exceeded' });
    const slow = new FakeSocket();
    new SyncConnection({ socket: slow, room, role: 'edit', validate: accept, limits: { maxBufferedBytes: 10 } });
    slow.bufferedAmount = 11;
    const writer = new SyncConnection({ socket: new FakeSocket(), room, role: 'edit', validate: accept });
    writer.receive(updateFrame(edit('Task_1')));
    await settle();
    expect(slow.terminated).toBe(true);
  });

  it('refuses writers of a room past its size cap', async () => {
    const log = new SqliteUpdateLog(':memory:');
    const room = new Room('diagram:full', log);
    const socket = new FakeSocket();
    const connection = new SyncConnection({ socket, room, role: 'edit', validate: accept, limits: { maxRoomBytes: 64 } });
    connection.receive(updateFrame(edit('Task_1')));
    connection.receive(updateFrame(edit('Task_2'.repeat(20))));
    await settle();
    expect(room.doc.getMap('elements').has('Task_1')).toBe(true);
    expect(socket.closed).toEqual({ code: SyncCloseCode.policy, reason: 'room is full (0 MiB)' });
  });

  it('loads stored state before the first peer syncs, and compacts past the limit', () => {
    // given a log with updates from an earlier relay run
    const log = new SqliteUpdateLog(':memory:');
    log.append('diagram:s', edit('Task_1'));
    log.append('diagram:s', edit('Task_2'));
    // when the room opens with a compaction limit of 2 and one more update arrives
    const room = new Room('diagram:s', log, { compactAfter: 2 });
    expect([...room.doc.getMap('elements').keys()].sort()).toEqual(['Task_1', 'Task_2']);
    Y.applyUpdate(room.doc, edit('Task_3'));
    // then the log is one snapshot with all three
    const stored = log.load('diagram:s');
    expect(stored.updates).toHaveLength(0);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, stored.snapshot!);
    expect(copy.getMap('elements').size).toBe(3);
  });

  it("lets a peer speak only for its own awareness ids; a dropped socket keeps them (not 'left'), a goodbye removes them", async () => {
    // given two peers, A (user ada) announcing client 7
    const { room, other } = setup('view');
    const writerConnection = new SyncConnection({ socket: new FakeSocket(), room, role: 'edit', user: 'ada', validate: accept });
    writerConnection.receive(awarenessFrame(7, { user: 'A' }));
    await settle();
    expect(room.awareness.getStates().get(7)).toEqual({ user: 'A' });
    // when another peer claims client 7
    const intruder = new SyncConnection({ socket: new FakeSocket(), room, role: 'edit', user: 'mallory', validate: accept });
    intruder.receive(awarenessFrame(7, { user: 'Mallory' }, 5));
    await settle();
    // then A's state stands; and when A's socket drops, it still stands (until it expires) and nobody else may take it
    expect(room.awareness.getStates().get(7)).toEqual({ user: 'A' });
    writerConnection.closedByPeer();
    expect(room.awareness.getStates().get(7)).toEqual({ user: 'A' });
    intruder.receive(awarenessFrame(7, { user: 'Mallory' }, 6));
    await settle();
    expect(room.awareness.getStates().get(7)).toEqual({ user: 'A' });
    // and when A says goodbye from its next connection, the entry is removed and the others hear it
    const back = new SyncConnection({ socket: new FakeSocket(), room, role: 'edit', user: 'ada', validate: accept });
    const before = other.frames.length;
    back.receive(awarenessFrame(7, null, 2));
    await settle();
    expect(room.awareness.getStates().has(7)).toBe(false);
    expect(other.frames.length).toBe(before + 1);
  });
});

function awarenessFrame(clientId: number, state: unknown, clock = 1): Uint8Array {
  const awareness = new awarenessProtocol.Awareness(new Y.Doc());
  awareness.states.set(clientId, state as Record<string, unknown>);
  awareness.meta.set(clientId, { clock, lastUpdated: 0 });
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, SyncMessageType.awareness);
  encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, [clientId]));
  awareness.destroy();
  return encoding.toUint8Array(encoder);
}
