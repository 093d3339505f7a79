import { describe, expect, it } from 'vitest';
import { redactSecrets } from './redactSecrets.js';

describe('runtime/commands/redactSecrets', () => {
  it('replaces every occurrence, longest secret first', () => {
    expect(redactSecrets('abc abcdef abc', ['abc', 'abcdef'])).toBe('*** *** ***');
  });

  it('ignores empty secrets', () => {
    expect(redactSecrets('text', [''])).toBe('text');
  });
});
