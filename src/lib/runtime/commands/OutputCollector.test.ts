import { describe, expect, it } from 'vitest';
import { OutputCollector } from './OutputCollector.js';

describe('runtime/commands/OutputCollector', () => {
  it('keeps everything under the cap', () => {
    const out = new OutputCollector(10);
    out.push(Buffer.from('hello'));
    expect([out.text([]), out.truncated]).toEqual(['hello', false]);
  });

  it('cuts at the cap with a marker line and counts what it dropped', () => {
    const out = new OutputCollector(4);
    out.push(Buffer.from('abcdef'));
    out.push(Buffer.from('ghij'));
    expect(out.truncated).toBe(true);
    expect(out.text([])).toBe('abcd\n…[output truncated at 4 bytes]\n');
  });

  it('never splits a UTF-8 character at the cap', () => {
    const out = new OutputCollector(4);
    out.push(Buffer.from('ab€cd')); // € is 3 bytes: the cap falls inside it
    expect(out.text([])).toBe('ab\n…[output truncated at 4 bytes]\n');
  });

  it('redacts a secret that straddles the cap', () => {
    const out = new OutputCollector(6, 6);
    out.push(Buffer.from('key=SECRET and more'));
    expect(out.text(['SECRET'])).toBe('key=**\n…[output truncated at 6 bytes]\n');
  });
});
