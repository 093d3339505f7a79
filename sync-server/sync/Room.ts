import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { SyncMessageType } from '../../src/lib/protocol/syncProtocol.js';
import { filterAwareness } from './filterAwareness.js';
import type { SqliteUpdateLog } from './SqliteUpdateLog.js';

/** Awareness client ids one peer may speak for (a tab has one; a few cover reloads). */
const IDS_PER_PEER = 4;

/** What a room needs from a connection: send frames, and a key for tracking awareness ids. */
export interface RoomPeer {
  send(frame: Uint8Array): void;
  /** The authenticated user (token `sub`) behind the peer, when known. */
  readonly user?: string;
}

export interface RoomOptions {
  /** Compact the room's log into one snapshot when it holds more than this many updates. */
  compactAfter?: number;
  /** Called when storing an update failed: the room must close (memory would be ahead of disk). */
  onStorageFailure?: (error: unknown) => void;
}

/**
 * One shared doc: loaded from the log in the constructor (so nothing is served before the stored
 * state is in), every doc change appended to the log BEFORE it is sent to the other peers.
 */
export class Room {
  readonly name: string;
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness: awarenessProtocol.Awareness;
  readonly #peers = new Map<RoomPeer, Set<number>>();
  /** Which peer first spoke for an awareness client id: nobody else may. */
  readonly #owners = new Map<number, RoomPeer>();
  readonly #log: SqliteUpdateLog;
  readonly #compactAfter: number;
  #dirty = false;
  /** Bytes of stored state (snapshot + log): the room's size as far as limits go. */
  #storedBytes = 0;

  constructor(name: string, log: SqliteUpdateLog, options: RoomOptions = {}) {
    this.name = name;
    this.#log = log;
    this.#compactAfter = options.compactAfter ?? 500;
    const stored = log.load(name);
    this.#storedBytes = (stored.snapshot?.byteLength ?? 0) + stored.updates.reduce((n, u) => n + u.byteLength, 0);
    // Stored updates were validated before they were stored; they are trusted here.
    Y.transact(this.doc, () => {
      if (stored.snapshot) Y.applyUpdate(this.doc, stored.snapshot);
      for (const update of stored.updates) Y.applyUpdate(this.doc, update);
    });
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      try {
        const length = log.append(name, update);
        this.#dirty = true;
        this.#storedBytes += update.byteLength;
        if (length > this.#compactAfter) this.compact();
      } catch (error) {
        options.onStorageFailure?.(error);
        return;
      }
      this.#broadcast(syncFrame(update), origin);
    });
    this.awareness = new awarenessProtocol.Awareness(this.doc);
    this.awareness.setLocalState(null);
    this.awareness.on('update', this.#onAwareness);
  }

  get storedBytes(): number {
    return this.#storedBytes;
  }

  get peerCount(): number {
    return this.#peers.size;
  }

  /** Adds a peer and starts its sync: our state vector (step 1) and everyone's awareness. */
  join(peer: RoomPeer): void {
    this.#peers.set(peer, new Set());
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, SyncMessageType.sync);
    syncProtocol.writeSyncStep1(encoder, this.doc);
    peer.send(encoding.toUint8Array(encoder));
    const states = [...this.awareness.getStates().keys()];
    if (states.length > 0) peer.send(this.awarenessFrame(states));
  }

  /** Removes a peer and the awareness states it owned. */
  leave(peer: RoomPeer): void {
    const ids = this.#peers.get(peer);
    this.#peers.delete(peer);
    if (!ids) return;
    for (const id of ids) this.#owners.delete(id);
    const present = [...ids].filter((id) => this.awareness.getStates().has(id));
    if (present.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, present, null);
  }

  /** Answers a peer's sync step 1 (its state vector) with what it is missing. */
  answerStep1(peer: RoomPeer, stateVector: Uint8Array): void {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, SyncMessageType.sync);
    encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2);
    encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(this.doc, stateVector));
    peer.send(encoding.toUint8Array(encoder));
  }

  /** Applies a VALIDATED update from `peer`; the doc's update event stores and forwards it. */
  applyUpdate(peer: RoomPeer, update: Uint8Array): void {
    Y.applyUpdate(this.doc, update, peer);
  }

  /** Applies a peer's awareness entries for ids it owns (or may claim); drops the rest. */
  applyAwareness(peer: RoomPeer, update: Uint8Array): void {
    const owned = this.#peers.get(peer);
    if (!owned) return;
    const filtered = filterAwareness(update, (id) => {
      const owner = this.#owners.get(id);
      if (owner === peer) return true;
      // A reconnect of the same user may arrive before its old socket is closed: the id moves to
      // the new connection. Another user can never take it over.
      if (owner && (owner.user === undefined || owner.user !== peer.user)) return false;
      if (owned.size >= IDS_PER_PEER) return false;
      if (owner) this.#peers.get(owner)?.delete(id);
      this.#owners.set(id, peer);
      owned.add(id);
      return true;
    });
    if (filtered.clientIds.length > 0) awarenessProtocol.applyAwarenessUpdate(this.awareness, filtered.update, peer);
  }

  awarenessFrame(clients: number[]): Uint8Array {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, SyncMessageType.awareness);
    encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients));
    return encoding.toUint8Array(encoder);
  }

  /** Merges the log into one snapshot row (in one transaction). */
  compact(): void {
    const state = Y.encodeStateAsUpdate(this.doc);
    this.#log.compact(this.name, state);
    this.#dirty = false;
    this.#storedBytes = state.byteLength;
  }

  /** Compacts what this session appended, then frees the doc. */
  destroy(): void {
    try {
      if (this.#dirty) this.compact();
    } finally {
      this.awareness.destroy();
      this.doc.destroy();
      this.#peers.clear();
    }
  }

  #onAwareness = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }): void => {
    this.#broadcast(this.awarenessFrame([...added, ...updated, ...removed]), undefined);
  };

  #broadcast(frame: Uint8Array, except: unknown): void {
    for (const peer of this.#peers.keys()) if (peer !== except) peer.send(frame);
  }
}

/** Reads the sync sub-message type and its payload (state vector or update) from a sync frame. */
export function readSyncPayload(decoder: decoding.Decoder): { step: number; payload: Uint8Array } {
  const step = decoding.readVarUint(decoder);
  return { step, payload: decoding.readVarUint8Array(decoder) };
}

function syncFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, SyncMessageType.sync);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}
