import { describe, expect, it } from 'vitest';
import { evaluateCondition, evaluateFeel } from './evaluateFeel.js';

const expr = (feel: string) => ({ feel, origin: 'test' });
const NOW = Date.UTC(2024, 0, 2, 3, 4, 5);

describe('engine/feel/evaluateFeel', () => {
  it('evaluates against variables', () => {
    expect(evaluateFeel(expr('amount * 2'), { amount: 21 }, NOW)).toEqual({ ok: true, value: 42 });
  });
  it('takes now() and today() from the given clock, as ISO text', () => {
    expect(evaluateFeel(expr('now()'), {}, NOW)).toEqual({ ok: true, value: '2024-01-02T03:04:05Z' });
    expect(evaluateFeel(expr('today()'), {}, NOW)).toEqual({ ok: true, value: '2024-01-02' });
  });
  it('turns a missing variable into a failure naming it', () => {
    const outcome = evaluateFeel(expr('b > 5'), {}, NOW);
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.message).toMatch(/'b'/);
  });
  it('refuses a non-boolean condition instead of treating it as false', () => {
    expect(evaluateCondition(expr('1 + 1'), {}, NOW).ok).toBe(false);
    expect(evaluateCondition(expr('x = 1'), { x: 1 }, NOW)).toEqual({ ok: true, value: true });
  });
  it('reports syntax errors as failures, not exceptions', () => {
    expect(evaluateFeel(expr('a +* '), { a: 1 }, NOW).ok).toBe(false);
  });
});
