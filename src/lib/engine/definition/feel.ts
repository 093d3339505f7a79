/**
 * FEEL as compile sees it: normalise what modelers write (`=` prefix, `==`) and reject what
 * feelin cannot parse, so a bad expression is a compile problem rather than a run-time null.
 */
import { parseExpression } from 'feelin';
import type { Expr, Value } from './model.js';
import { parseSimpleComparison } from '../feel/simpleComparison.js';

/** Reports a problem on an element. */
export type Report = (element: string, message: string) => void;

/** FEEL source as feelin wants it: no leading `=`, and `==` read as FEEL's `=` outside strings. */
export function normaliseFeel(source: string): string {
  const body = source.trim().replace(/^=\s*/, '');
  let out = '';
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const char = body[i];
    if (inString) {
      out += char;
      if (char === '\\') out += body[++i] ?? '';
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
      out += char;
    } else if (char === '=' && body[i + 1] === '=') {
      out += '=';
      i++;
    } else {
      out += char;
    }
  }
  return out.trim();
}

// Parsing is ~0.1 ms an expression and models repeat theirs; the memo is a pure cache, bounded.
const MEMO_LIMIT = 2000;
const syntaxMemo = new Map<string, number | undefined>();

/** Where FEEL source fails to parse (offset of the first error node), or undefined when it parses. */
export function feelSyntaxError(feel: string): number | undefined {
  if (syntaxMemo.has(feel)) return syntaxMemo.get(feel);
  const at = firstError(feel);
  if (syntaxMemo.size >= MEMO_LIMIT) syntaxMemo.clear();
  syntaxMemo.set(feel, at);
  return at;
}

function firstError(feel: string): number | undefined {
  if (feel === '') return 0;
  let at: number | undefined;
  parseExpression(feel, {}, undefined).iterate({
    enter(node) {
      if (at !== undefined) return false;
      if (node.type.isError) at = node.from;
      return undefined;
    }
  });
  return at;
}

/** Compiles FEEL text into an Expr, reporting it on `element` when it does not parse. */
export function compileExpr(source: string, origin: string, element: string, report: Report): Expr {
  const feel = normaliseFeel(source);
  const at = feelSyntaxError(feel);
  if (at !== undefined) {
    report(element, `${origin}: FEEL expression ${JSON.stringify(source.trim())} does not parse (at character ${at + 1})`);
  }
  const simple = parseSimpleComparison(feel);
  return simple ? { feel, origin, simple } : { feel, origin };
}

/** An attribute value: FEEL when it starts with `=`, else a literal string. */
export function compileValue(source: string, origin: string, element: string, report: Report): Value {
  return isFeel(source) ? { expr: compileExpr(source, origin, element, report) } : { literal: source };
}

/** Whether an attribute value is written as FEEL (leading `=`). */
export function isFeel(source: string): boolean {
  return source.trimStart().startsWith('=');
}
