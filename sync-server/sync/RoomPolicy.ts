/** What a Room asks of a write policy (run rooms have one: RunRoomPolicy; diagram rooms none). */
export type Admission = { ok: true } | { ok: false; reason: string };

/** The part of a room's peer a policy sees: who it is. */
export interface PolicyPeer {
  /** The authenticated user (token `sub`). */
  readonly user?: string;
}

export interface RoomPolicy {
  /** Decides on a validated update from `peer` before anything applies, stores or forwards it. */
  admit(peer: PolicyPeer, update: Uint8Array): Admission;
  /** After `peer`'s admitted update was applied (and stored and forwarded). */
  applied(peer: PolicyPeer): void;
  /** `peer` left the room. */
  left(peer: PolicyPeer): void;
}
