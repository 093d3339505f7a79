import { describe, expect, it } from 'vitest';
import { completionVariables, errorSummary, parseFormJsSchema } from './formJsSchema.js';

describe('components/forms/formJsSchema', () => {
  it('accepts a form-js schema and keeps unknown properties for the renderer', () => {
    const parsed = parseFormJsSchema('{"schemaVersion":16,"components":[{"type":"textfield","key":"name","validate":{"required":true}}]}');
    expect(parsed).toEqual({
      ok: true,
      schema: { schemaVersion: 16, components: [{ type: 'textfield', key: 'name', validate: { required: true } }] }
    });
  });

  it('says why a schema is refused: bad JSON, no components, a component without type', () => {
    const bad = parseFormJsSchema('{"components": [');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.problem).toMatch(/not valid JSON/);
    const none = parseFormJsSchema('{"title":"x"}');
    expect(!none.ok && none.problem).toMatch(/not a form-js form at components/);
    const untyped = parseFormJsSchema('{"components":[{"key":"a"}]}');
    expect(!untyped.ok && untyped.problem).toMatch(/components\.0\.type/);
    expect(parseFormJsSchema('[]').ok).toBe(false);
  });

  it('summarises errors by label and turns data into variables', () => {
    const labels: Record<string, string> = { Field_1: 'Requester' };
    expect(errorSummary({ Field_1: ['Field is required.'], Field_2: [] }, (id) => labels[id])).toBe(
      'Not completed — Requester: Field is required.'
    );
    expect(errorSummary({}, () => undefined)).toBe('');
    expect(completionVariables({ a: 1, b: true })).toEqual({ a: 1, b: true });
    expect(() => completionVariables([1])).toThrow();
  });
});
