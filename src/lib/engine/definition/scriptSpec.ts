/** A script task's or business rule task's script: `zeebe:script` FEEL, or a standard `bpmn:script`. */
import type { ScriptSpec } from './model.js';
import { extension, idOf, text, type ModdleNode } from './moddleNode.js';
import { compileExpr, type Report } from './feel.js';

const JAVASCRIPT_FORMATS = new Set(['javascript', 'js', 'ecmascript', 'text/javascript', 'application/javascript']);

/** The script of a task, or undefined when it has none. */
export function compileScript(node: ModdleNode, report: Report): ScriptSpec | undefined {
  const id = idOf(node);
  const zeebe = extension(node, 'zeebe:Script');
  const resultVariable = zeebe && text(zeebe, 'resultVariable');
  const withResult = resultVariable === undefined ? {} : { resultVariable };
  const expression = zeebe && text(zeebe, 'expression');
  if (expression !== undefined) {
    if (resultVariable === undefined) report(id, `zeebe:script needs a resultVariable to store the expression's value in`);
    return { language: 'feel', source: compileExpr(expression, 'zeebe:script', id, report).feel, ...withResult };
  }
  const source = text(node, 'script');
  if (source === undefined) return undefined;
  const format = (text(node, 'scriptFormat') ?? '').trim().toLowerCase();
  if (format === 'feel') return { language: 'feel', source: compileExpr(source, 'script', id, report).feel, ...withResult };
  if (JAVASCRIPT_FORMATS.has(format)) return { language: 'javascript', source, ...withResult };
  report(id, `scriptFormat ${JSON.stringify(format)} is not supported: use javascript or feel`);
  return undefined;
}
