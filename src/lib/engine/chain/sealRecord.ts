import { canonicalJson } from './canonicalJson.js';
import { sha256Hex } from './hash.js';
import type { TokenRecord, UnsealedRecord } from './record.js';

/** Hash of a record: SHA-256 over the canonical JSON of every field but `hash` (any fields it has). */
export function recordHash(record: Omit<TokenRecord, 'hash'>): string {
  return sha256Hex(canonicalJson(record));
}

/** Places a record at `seq` after the record whose hash is `prevHash`, and seals it. */
export function sealRecord(record: UnsealedRecord, seq: number, prevHash: string): TokenRecord {
  const sealed: TokenRecord = {
    v: record.v,
    runId: record.runId,
    seq,
    id: record.id,
    kind: record.kind,
    token: record.token,
    previousToken: record.previousToken,
    node: record.node,
    instance: record.instance,
    ...(record.flow !== undefined ? { flow: record.flow } : {}),
    status: record.status,
    owner: record.owner,
    at: record.at,
    ...(record.data !== undefined ? { data: record.data } : {}),
    prevHash,
    hash: ''
  };
  sealed.hash = sha256Hex(canonicalRecord(sealed));
  return sealed;
}

/**
 * canonicalJson of a record's own fields (all but `hash`), written in their sorted order without
 * sorting: byte-identical to canonicalJson for records of exactly these fields, and ~2.5× faster.
 */
export function canonicalRecord(r: TokenRecord): string {
  const s = JSON.stringify;
  return (
    `{"at":${s(r.at)}` +
    (r.data !== undefined ? `,"data":${canonicalJson(r.data)}` : '') +
    (r.flow !== undefined ? `,"flow":${s(r.flow)}` : '') +
    `,"id":${s(r.id)},"instance":${s(r.instance)},"kind":${s(r.kind)},"node":${s(r.node)},"owner":${s(r.owner)}` +
    `,"prevHash":${s(r.prevHash)},"previousToken":${s(r.previousToken)},"runId":${s(r.runId)},"seq":${s(r.seq)}` +
    `,"status":${s(r.status)},"token":${s(r.token)},"v":${s(r.v)}}`
  );
}
