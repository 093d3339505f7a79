import { describe, expect, it } from 'vitest';
import { LiveOutput } from './LiveOutput.js';

function live(cap: number, secrets: string[] = []) {
  const out: string[] = [];
  const view = new LiveOutput(cap, secrets, (text) => out.push(text));
  return { out, push: (text: string | Buffer) => view.push(typeof text === 'string' ? Buffer.from(text) : text), end: () => view.end() };
}

describe('runtime/commands/LiveOutput', () => {
  it('passes text through as it comes', () => {
    const { out, push, end } = live(100);
    push('one\n');
    push('two\n');
    end();
    expect(out).toEqual(['one\n', 'two\n']);
  });

  it('redacts a secret split across chunks, holding back only what may start one', () => {
    const { out, push, end } = live(100, ['hunter2']);
    push('password: hun');
    expect(out).toEqual(['password: ']);
    push('ter2 ok hunter2\n');
    end();
    expect(out.join('')).toBe('password: *** ok ***\n');
    expect(out.join('')).not.toContain('hun');
  });

  it('sends a held-back tail that never became a secret at the end', () => {
    const { out, push, end } = live(100, ['hunter2']);
    push('a hunt');
    push('ing');
    end();
    expect(out.join('')).toBe('a hunting');
  });

  it('never splits a UTF-8 character between chunks', () => {
    const { out, push, end } = live(100);
    const euro = Buffer.from('€');
    push(euro.subarray(0, 1));
    push(euro.subarray(1));
    end();
    expect(out.join('')).toBe('€');
  });

  it('stops at the cap with a marker and ignores the rest', () => {
    const { out, push, end } = live(5);
    push('abc');
    push('defgh');
    push('more');
    end();
    expect(out.join('')).toBe('abcde\n…[output truncated at 5 bytes]\n');
  });
});
