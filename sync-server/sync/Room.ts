import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as authProtocol from 'y-protocols/auth';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { SyncMessageType } from '../../src/lib/protocol/syncProtocol.js';
import { filterAwareness } from './filterAwareness.js';
import type { RoomPolicy } from './RoomPolicy.js';
import type { SqliteUpdateLog } from './SqliteUpdateLog.js';

/** Awareness client ids one peer may speak for (a tab has one; a few cover reloads). */
const IDS_PER_PEER = 4;
/**
 * Awareness clocks from here up are relay stamps (see Room#encodeAwareness); a client's own clock
 * counts its state changes and never gets near (20 Hz for 1500 years).
 */
const RELAY_STAMP_FLOOR = 1e12;

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
  /** Rules for what peers may write (run rooms: the executor lease), made once the doc is loaded. */
  policy?: (doc: Y.Doc) => RoomPolicy;
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
  readonly #policy: RoomPolicy | undefined;
  readonly #compactAfter: number;
  #dirty = false;
  /** Bytes of stored state (snapshot + log): the room's size as far as limits go. */
  #storedBytes = 0;
  /** The clock last stamped on awareness entries sent to peers that do not own them (see #stamp). */
  #lastStamp = 0;

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
    this.#policy = options.policy?.(this.doc);
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
    if (states.length > 0) peer.send(this.awarenessFrame(states, peer));
  }

  /**
   * Removes a peer. Its awareness entries stay until they expire (30 s without renewal) or it says
   * goodbye (a null state): a closed socket is not "left the document" (COLLAB.md; background tabs
   * and flaky networks drop sockets). Meanwhile only the same user may take those ids over.
   */
  leave(peer: RoomPeer): void {
    this.#peers.delete(peer);
    this.#policy?.left(peer);
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
    const admission = this.#policy?.admit(peer, update);
    if (admission && !admission.ok) {
      // Dropped before storing or forwarding; the peer learns why (y-protocols auth message).
      peer.send(deniedFrame(admission.reason));
      return;
    }
    Y.applyUpdate(this.doc, update, peer);
    this.#policy?.applied(peer);
  }

  /** Applies a peer's awareness entries for ids it owns (or may claim); drops the rest. */
  applyAwareness(peer: RoomPeer, update: Uint8Array): void {
    const owned = this.#peers.get(peer);
    if (!owned) return;
    const filtered = filterAwareness(update, (id, clock) => {
      // y-websocket re-broadcasts EVERY awareness change, including the entries we sent it about
      // others: those carry our stamps and are dropped (a peer relaying a departed colleague's
      // removal would otherwise claim that id and lock its owner out when it comes back).
      if (clock >= RELAY_STAMP_FLOOR) return false;
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

  /** An awareness frame for `to` with the current states of `clients` (see #encodeAwareness on clocks). */
  awarenessFrame(clients: number[], to?: RoomPeer): Uint8Array {
    return this.#encodeAwareness(clients, this.#stamp(), to);
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
    const clients = [...added, ...updated, ...removed];
    const stamp = this.#stamp();
    const shared = this.#encodeAwareness(clients, stamp, undefined);
    for (const [peer, owned] of this.#peers) {
      peer.send(clients.some((id) => owned.has(id)) ? this.#encodeAwareness(clients, stamp, peer) : shared);
    }
    // A removed entry is forgotten here: its owner's re-announce after a reconnect carries the SAME
    // clock (y-websocket does not bump it), which y-protocols would otherwise drop as "not newer".
    for (const id of removed) {
      this.awareness.meta.delete(id);
      const owner = this.#owners.get(id);
      if (owner && !this.#peers.has(owner)) this.#owners.delete(id);
    }
  };

  /**
   * Awareness clocks as peers see them. y-protocols keeps a removed peer's clock and ignores any
   * entry that is not newer, and a y-websocket client removes everyone else on disconnect WITHOUT
   * bumping their clocks; replaying states to it after a reconnect with the owners' own (unchanged)
   * clocks would be ignored, so a collaborator's cursor never came back. So every entry sent to a
   * peer that does not own it carries a relay stamp, strictly increasing and above any stamp of an
   * earlier relay process (wall-clock milliseconds); the owner gets its own clock back (an echo it
   * ignores, but that keeps its connection alive).
   */
  #encodeAwareness(clients: number[], stamp: number, to: RoomPeer | undefined): Uint8Array {
    const own = to ? this.#peers.get(to) : undefined;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, SyncMessageType.awareness);
    const inner = encoding.createEncoder();
    encoding.writeVarUint(inner, clients.length);
    for (const id of clients) {
      encoding.writeVarUint(inner, id);
      encoding.writeVarUint(inner, own?.has(id) ? (this.awareness.meta.get(id)?.clock ?? 0) : stamp);
      encoding.writeVarString(inner, JSON.stringify(this.awareness.getStates().get(id) ?? null));
    }
    encoding.writeVarUint8Array(encoder, encoding.toUint8Array(inner));
    return encoding.toUint8Array(encoder);
  }

  #stamp(): number {
    this.#lastStamp = Math.max(this.#lastStamp + 1, Date.now(), RELAY_STAMP_FLOOR);
    return this.#lastStamp;
  }

  #broadcast(frame: Uint8Array, except: unknown): void {
    for (const peer of this.#peers.keys()) if (peer !== except) peer.send(frame);
  }
}

/** Reads the sync sub-message type and its payload (state vector or update) from a sync frame. */
export function readSyncPayload(decoder: decoding.Decoder): { step: number; payload: Uint8Array } {
  const step = decoding.readVarUint(decoder);
  return { step, payload: decoding.readVarUint8Array(decoder) };
}

function deniedFrame(reason: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, SyncMessageType.auth);
  authProtocol.writePermissionDenied(encoder, reason);
  return encoding.toUint8Array(encoder);
}

function syncFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, SyncMessageType.sync);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}
