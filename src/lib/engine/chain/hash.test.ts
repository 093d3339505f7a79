import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sha256Hex, utf8 } from './hash.js';

describe('engine/chain/hash', () => {
  it('matches the FIPS 180-2 test vectors', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
  it('hashes UTF-8, not UTF-16', () => {
    expect(sha256Hex('€')).toBe(sha256Hex(new Uint8Array([0xe2, 0x82, 0xac])));
  });
  it('encodes UTF-8 exactly like TextEncoder, lone surrogates included', () => {
    const encoder = new TextEncoder();
    for (const text of ['', 'abc', 'é€𝄞', '\ud800', 'a\udc00b', '\ud83d\ude00\ud83d']) {
      expect(utf8(text)).toEqual(encoder.encode(text));
    }
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => {
      expect(utf8(text)).toEqual(encoder.encode(text));
    }));
  });
});
