import { describe, expect, it } from 'vitest';
import { parseAllowList, parseAnswers, parseCommandArgs, parseVarAssignments, parseVarsJson, UsageError } from './args.js';

describe('cli/args', () => {
  it('parses flags, repeated lists and positionals', () => {
    const parsed = parseCommandArgs(['a.bpmn', '--json', '--var', 'x=1', '--var', 'y=z', '--store', 's.db'], {
      json: 'boolean', var: 'list', store: 'string'
    });
    expect(parsed).toEqual({ positionals: ['a.bpmn'], flags: { json: true, var: ['x=1', 'y=z'], store: 's.db' } });
  });

  it('turns an unknown flag or a missing value into a UsageError', () => {
    expect(() => parseCommandArgs(['--nope'], { json: 'boolean' })).toThrow(UsageError);
    expect(() => parseCommandArgs(['--store'], { store: 'string' })).toThrow(UsageError);
  });

  it('reads --var values as JSON when they are JSON, else as strings', () => {
    expect(parseVarAssignments(['amount=100', 'ok=true', 'name=Ada', 'list=[1,2]', 'eq=a=b', 'empty='])).toEqual({
      amount: 100, ok: true, name: 'Ada', list: [1, 2], eq: 'a=b', empty: ''
    });
    expect(() => parseVarAssignments(['=1'])).toThrow(/name=value/);
  });

  it('requires --vars to be a JSON object', () => {
    expect(parseVarsJson('{"a":1}')).toEqual({ a: 1 });
    expect(parseVarsJson(undefined)).toEqual({});
    expect(() => parseVarsJson('{a:1}')).toThrow(/--vars is not valid JSON/);
    expect(() => parseVarsJson('[1]')).toThrow(/JSON object/);
  });

  it('parses answers by node and allow-lists split on commas', () => {
    expect(parseAnswers(['Review={"approved":true}', 'Ack='])).toEqual(new Map([['Review', { approved: true }], ['Ack', {}]]));
    expect(() => parseAnswers(['Review={bad'])).toThrow(/--answer Review is not valid JSON/);
    expect(parseAllowList(['node,git', ' echo '])).toEqual(['node', 'git', 'echo']);
  });
});
