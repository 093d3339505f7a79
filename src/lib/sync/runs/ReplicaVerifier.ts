/**
 * Verifies a replicated chain as it grows (DESIGN.md: a record from a collaborator that does not
 * verify is shown as tampered and never applied). Only records past the verified prefix are
 * checked; anything but a plain append (an edited or removed record) re-verifies from seq 0.
 */
import { recordHash } from '../../engine/chain/sealRecord.js';
import { verifyChain, type TokenRecord } from '../../engine/index.js';

export interface Tampered {
  seq: number;
  record: TokenRecord;
  reason: string;
}

export interface ReplicaState {
  /** The verified prefix: the only records shown as facts and applied. */
  records: readonly TokenRecord[];
  /** The first record that does not verify; nothing after it is applied either. */
  tampered: Tampered | undefined;
}

export class ReplicaVerifier {
  #verified: TokenRecord[] = [];
  #tampered: Tampered | undefined;

  get state(): ReplicaState {
    return { records: this.#verified, tampered: this.#tampered };
  }

  /** Takes the doc's whole record array; returns true when what is shown changed. */
  update(all: readonly TokenRecord[]): boolean {
    const before = this.#verified.length;
    const hadTampered = this.#tampered;
    const prefixKept = all.length >= before && (before === 0 || all[before - 1] === this.#verified[before - 1]);
    if (!prefixKept) {
      this.#verified = [];
      this.#tampered = undefined;
    }
    if (this.#tampered && prefixKept && all[this.#tampered.seq] === this.#tampered.record) return false;
    this.#tampered = undefined;
    const added: TokenRecord[] = [];
    for (let seq = this.#verified.length; seq < all.length; seq++) {
      const record = all[seq]!;
      const previous = seq === 0 ? undefined : (added.at(-1) ?? this.#verified[seq - 1]);
      if (!linksUp(record, seq, previous, this.#verified[0] ?? added[0] ?? record)) {
        const verdict = verifyChain(all.slice(0, seq + 1));
        this.#tampered = { seq, record, reason: verdict.ok ? 'does not verify' : verdict.reason };
        break;
      }
      added.push(record);
    }
    if (added.length > 0) this.#verified = [...this.#verified, ...added];
    return !prefixKept || added.length > 0 || hadTampered !== this.#tampered;
  }
}

function linksUp(record: TokenRecord, seq: number, previous: TokenRecord | undefined, first: TokenRecord): boolean {
  if (record === null || typeof record !== 'object' || record.v !== 1 || record.seq !== seq) return false;
  if (record.runId !== first.runId || record.prevHash !== (previous?.hash ?? '')) return false;
  if (seq === 0 && (record.kind !== 'run' || record.status !== 'started')) return false;
  try {
    const { hash, ...rest } = record;
    return hash === recordHash(rest);
  } catch {
    return false;
  }
}
