import { canonicalJson } from './canonicalJson.js';
import { sha256Hex } from './hash.js';
import type { TokenRecord, UnsealedRecord } from './record.js';

/** Hash of a record: SHA-256 over the canonical JSON of every field but `hash`. */
export function recordHash(record: Omit<TokenRecord, 'hash'>): string {
  return sha256Hex(canonicalJson(record));
}

/** Places a record at `seq` after the record whose hash is `prevHash`, and seals it. */
export function sealRecord(record: UnsealedRecord, seq: number, prevHash: string): TokenRecord {
  const unsealed: Omit<TokenRecord, 'hash'> = { ...record, seq, prevHash };
  return { ...unsealed, hash: recordHash(unsealed) };
}
