/**
 * SHA-256 via @noble/hashes: synchronous (WebCrypto's digest is async-only, which would make
 * every pure engine step async), audited, dependency-free, and identical in Node and browsers.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/** SHA-256 of a UTF-8 string or bytes, as lowercase hex. */
export function sha256Hex(data: string | Uint8Array): string {
  return bytesToHex(sha256(typeof data === 'string' ? utf8ToBytes(data) : data));
}
