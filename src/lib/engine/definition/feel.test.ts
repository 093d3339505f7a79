import { describe, expect, it } from 'vitest';
import { compileExpr, compileValue, feelSyntaxError, normaliseFeel } from './feel.js';

describe('engine/definition/feel', () => {
  it.each([
    ['=amount > 100', 'amount > 100'],
    ['  = approval == true', 'approval = true'],
    ['a != b', 'a != b'],
    ['a >= 1 and b <= 2', 'a >= 1 and b <= 2'],
    ['name == "a == b"', 'name = "a == b"'],
    ['x == "say \\"==\\""', 'x = "say \\"==\\""']
  ])('given %j when normalised then %j', (source, feel) => {
    expect(normaliseFeel(source)).toBe(feel);
  });

  it.each(['amount > 100', 'approval = true', 'count(items[price > 3]) > 0', 'if a then "x" else "y"', '{a: 1}.a'])(
    'given %j then it parses',
    (feel) => {
      expect(feelSyntaxError(feel)).toBeUndefined();
    }
  );

  it.each(['', 'foo(', '"a" +', '1 +* 2', '${approved}'])('given %j then it does not parse', (feel) => {
    expect(feelSyntaxError(feel)).toBeTypeOf('number');
  });

  it('given bad FEEL when compiled then the element and expression are reported', () => {
    const problems: [string, string][] = [];
    const expr = compileExpr('=a +', 'conditionExpression', 'Flow_1', (element, message) => problems.push([element, message]));
    expect(expr).toEqual({ feel: 'a +', origin: 'conditionExpression' });
    expect(problems).toEqual([['Flow_1', expect.stringMatching(/conditionExpression: FEEL expression "=a \+" does not parse/)]]);
  });

  it('given an attribute when compiled then a leading = makes it FEEL, else a literal', () => {
    const report = () => {};
    expect(compileValue('=x', 'arg', 'T', report)).toEqual({ expr: { feel: 'x', origin: 'arg' } });
    expect(compileValue('x == y', 'arg', 'T', report)).toEqual({ literal: 'x == y' });
  });
});
