import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonicalJson.js';

describe('engine/chain/canonicalJson', () => {
  it('sorts keys by UTF-16 code units and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], c: undefined, '\u20ac': 1, '\r': 2 })).toBe(
      '{"\\r":2,"a":[true,null,"x"],"b":1,"\u20ac":1}'
    );
  });
  it('serialises numbers the ECMAScript way (RFC 8785 appendix B samples)', () => {
    expect(canonicalJson([1e21, 1e-7, 333333333.3333333, -0, 4.5, 0.000001, 9007199254740992])).toBe(
      '[1e+21,1e-7,333333333.3333333,0,4.5,0.000001,9007199254740992]'
    );
  });
  it('refuses values JSON cannot represent', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/NaN/);
    expect(() => canonicalJson({ a: Infinity })).toThrow(/Infinity/);
  });
  it('nests objects inside arrays canonically', () => {
    expect(canonicalJson([{ z: 1, y: { b: 2, a: 1 } }])).toBe('[{"y":{"a":1,"b":2},"z":1}]');
  });
});
