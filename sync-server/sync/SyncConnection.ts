import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as authProtocol from 'y-protocols/auth';
import { SyncCloseCode, SyncMessageType, SyncStep, WRITING_ROLES, type Role } from '../../src/lib/protocol/syncProtocol.js';
import { AwarenessRefusedError } from './filterAwareness.js';
import { RateLimit } from './RateLimit.js';
import { readSyncPayload, type Room, type RoomPeer } from './Room.js';
import type { Validation } from './UpdateValidator.js';

/** The part of a websocket a connection uses (ws's WebSocket fits; tests pass fakes). */
export interface SyncSocket {
  send(frame: Uint8Array): void;
  close(code: number, reason: string): void;
  /** Drops the connection at once (a slow reader's queue is not worth flushing). */
  terminate(): void;
  readonly bufferedAmount: number;
}

export interface ConnectionLimits {
  messagesPerSecond: number;
  messageBurst: number;
  bytesPerSecond: number;
  byteBurst: number;
  /** Bytes queued to a reader beyond which it is dropped. */
  maxBufferedBytes: number;
  /** Stored size of a room beyond which its writers are refused. */
  maxRoomBytes: number;
}

export const defaultConnectionLimits: ConnectionLimits = {
  messagesPerSecond: 200,
  messageBurst: 400,
  bytesPerSecond: 4 * 1024 * 1024,
  byteBurst: 8 * 1024 * 1024,
  maxBufferedBytes: 16 * 1024 * 1024,
  maxRoomBytes: 64 * 1024 * 1024
};

const EMPTY_UPDATE_LENGTH = 2;

/**
 * One client in one room: decodes its frames in order, applies what its role allows, and closes
 * only itself on a bad frame. Updates are validated (off-thread, time-limited) before the room
 * sees them; a viewer's updates are dropped and answered with a permission-denied auth message.
 */
export class SyncConnection implements RoomPeer {
  readonly user: string | undefined;
  readonly #socket: SyncSocket;
  readonly #room: Room;
  readonly #canWrite: boolean;
  readonly #validate: (update: Uint8Array) => Promise<Validation>;
  readonly #limits: ConnectionLimits;
  readonly #messages: RateLimit;
  readonly #bytes: RateLimit;
  #queue: Promise<void> = Promise.resolve();
  #closed = false;
  #toldReadOnly = false;

  constructor(options: {
    socket: SyncSocket;
    room: Room;
    role: Role;
    /** The token's `sub`: lets this user's reconnect take over its own awareness ids. */
    user?: string;
    validate: (update: Uint8Array) => Promise<Validation>;
    limits?: Partial<ConnectionLimits>;
  }) {
    this.#socket = options.socket;
    this.#room = options.room;
    this.user = options.user;
    this.#canWrite = WRITING_ROLES.includes(options.role);
    this.#validate = options.validate;
    this.#limits = { ...defaultConnectionLimits, ...options.limits };
    this.#messages = new RateLimit(this.#limits.messagesPerSecond, this.#limits.messageBurst);
    this.#bytes = new RateLimit(this.#limits.bytesPerSecond, this.#limits.byteBurst);
    this.#room.join(this);
  }

  get closed(): boolean {
    return this.#closed;
  }

  send(frame: Uint8Array): void {
    if (this.#closed) return;
    this.#socket.send(frame);
    if (this.#socket.bufferedAmount > this.#limits.maxBufferedBytes) {
      this.#end();
      this.#socket.terminate();
    }
  }

  /** A frame from the client; frames are handled strictly in arrival order. */
  receive(frame: Uint8Array): void {
    if (this.#closed) return;
    if (!this.#messages.take() || !this.#bytes.take(frame.byteLength)) {
      this.close(SyncCloseCode.policy, 'rate limit exceeded');
      return;
    }
    this.#queue = this.#queue.then(() => this.#handle(frame)).catch((error: unknown) => {
      if (error instanceof AwarenessRefusedError) this.close(SyncCloseCode.policy, error.message);
      else this.close(SyncCloseCode.malformed, 'malformed message');
    });
  }

  /** Closes this connection (only this one) with a reason the client can show. */
  close(code: number, reason: string): void {
    if (this.#closed) return;
    this.#end();
    this.#socket.close(code, reason);
  }

  /** The socket went away: leave the room. */
  closedByPeer(): void {
    this.#end();
  }

  async #handle(frame: Uint8Array): Promise<void> {
    if (this.#closed) return;
    const decoder = decoding.createDecoder(frame);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case SyncMessageType.sync: {
        const { step, payload } = readSyncPayload(decoder);
        if (step === SyncStep.step1) this.#room.answerStep1(this, payload);
        else if (step === SyncStep.step2 || step === SyncStep.update) await this.#update(payload);
        else this.close(SyncCloseCode.malformed, `unknown sync message ${step}`);
        return;
      }
      case SyncMessageType.awareness:
        this.#room.applyAwareness(this, decoding.readVarUint8Array(decoder));
        return;
      case SyncMessageType.queryAwareness:
        this.send(this.#room.awarenessFrame([...this.#room.awareness.getStates().keys()], this));
        return;
      case SyncMessageType.auth:
        return;
      default:
        this.close(SyncCloseCode.malformed, `unknown message type ${type}`);
    }
  }

  async #update(update: Uint8Array): Promise<void> {
    if (!this.#canWrite) {
      if (update.byteLength > EMPTY_UPDATE_LENGTH && !this.#toldReadOnly) {
        this.#toldReadOnly = true;
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, SyncMessageType.auth);
        authProtocol.writePermissionDenied(encoder, 'read-only: this token has role "view"; your changes are not saved or shared');
        this.send(encoding.toUint8Array(encoder));
      }
      return;
    }
    if (this.#room.storedBytes + update.byteLength > this.#limits.maxRoomBytes) {
      this.close(SyncCloseCode.policy, `room is full (${Math.round(this.#limits.maxRoomBytes / 2 ** 20)} MiB)`);
      return;
    }
    const validation = await this.#validate(update);
    if (this.#closed) return;
    if (!validation.ok) {
      this.close(SyncCloseCode.malformed, `invalid update: ${validation.reason}`.slice(0, 120));
      return;
    }
    this.#room.applyUpdate(this, update);
  }

  #end(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#room.leave(this);
  }
}
