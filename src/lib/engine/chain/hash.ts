/**
 * SHA-256 via @noble/hashes: synchronous (WebCrypto's digest is async-only, which would make
 * every pure engine step async), audited, dependency-free, and identical in Node and browsers.
 */
import { sha256 } from '@noble/hashes/sha2.js';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** SHA-256 of a UTF-8 string or bytes, as lowercase hex. */
export function sha256Hex(data: string | Uint8Array): string {
  const digest = sha256(typeof data === 'string' ? utf8(data) : data);
  // join() makes one flat string; concatenating 32 pieces (as bytesToHex does) leaves a rope of
  // ~870 bytes per hash in V8, and every run state and record holds a few.
  const parts = new Array<string>(digest.length);
  for (let i = 0; i < digest.length; i++) parts[i] = HEX[digest[i]!]!;
  return parts.join('');
}

/**
 * UTF-8 bytes of a string (lone surrogates become U+FFFD, as TextEncoder does). noble's
 * utf8ToBytes builds a new TextEncoder per call, which in a Chromium worker cost more than the
 * hashing itself; the engine's lib has no TextEncoder type anyway.
 */
export function utf8(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 3);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      out[n++] = c;
      continue;
    }
    if (c < 0x800) {
      out[n++] = 0xc0 | (c >> 6);
      out[n++] = 0x80 | (c & 0x3f);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        const point = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i += 1;
        out[n++] = 0xf0 | (point >> 18);
        out[n++] = 0x80 | ((point >> 12) & 0x3f);
        out[n++] = 0x80 | ((point >> 6) & 0x3f);
        out[n++] = 0x80 | (point & 0x3f);
        continue;
      }
      c = 0xfffd;
    }
    out[n++] = 0xe0 | (c >> 12);
    out[n++] = 0x80 | ((c >> 6) & 0x3f);
    out[n++] = 0x80 | (c & 0x3f);
  }
  return out.subarray(0, n);
}
