import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export const AWARENESS_LIMITS = {
  /** Entries in one awareness message. */
  entries: 8,
  /** Characters of one client's JSON state (cursor, selection, user, viewport). */
  stateChars: 32 * 1024
} as const;

export class AwarenessRefusedError extends Error {}

/**
 * Re-encodes an untrusted awareness update keeping only entries whose client id (and clock) `mayUse` allows
 * (a peer may speak for its own ids, never for another peer's). Throws AwarenessRefusedError on
 * too many entries or an oversized state, and lib0/JSON errors on malformed bytes.
 */
export function filterAwareness(update: Uint8Array, mayUse: (clientId: number, clock: number) => boolean): { update: Uint8Array; clientIds: number[] } {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  if (count > AWARENESS_LIMITS.entries) throw new AwarenessRefusedError(`awareness message with ${count} entries`);
  const kept: { clientId: number; clock: number; state: string }[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const state = decoding.readVarString(decoder);
    if (state.length > AWARENESS_LIMITS.stateChars) throw new AwarenessRefusedError('awareness state too large');
    JSON.parse(state);
    if (mayUse(clientId, clock)) kept.push({ clientId, clock, state });
  }
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, kept.length);
  for (const entry of kept) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, entry.state);
  }
  return { update: encoding.toUint8Array(encoder), clientIds: kept.map((e) => e.clientId) };
}
