/**
 * bpmnlint over the modeler's definitions, with the bundled recommended rules. Called by the
 * editor after edits settle (debounced), not on every change: on a 1,000-element diagram a lint
 * pass costs tens of milliseconds and bpmn-js-bpmnlint would run one per command, before paint.
 */
import { Linter } from 'bpmnlint';
import { bpmnlintConfig } from './bpmnlintConfig.js';

export interface LintIssue {
  element: string;
  message: string;
  severity: 'error' | 'warning';
}

interface Report {
  id: string;
  message: string;
  category: 'error' | 'warn' | 'info' | 'rule-error';
}

/** bpmnlint's findings on the definitions: errors and warnings, by element id. */
export async function lintDefinitions(definitions: unknown): Promise<LintIssue[]> {
  // A new Linter each time: it caches rule instances, and some rules keep state between lint
  // runs (no-duplicate-sequence-flows remembers every flow it saw, so from the second run on it
  // called every sequence flow a duplicate).
  const results = (await new Linter(bpmnlintConfig).lint(definitions)) as Record<string, Report[]>;
  return Object.values(results)
    .flat()
    .filter((report) => report.category === 'error' || report.category === 'warn')
    .map((report) => ({ element: report.id, message: report.message, severity: report.category === 'error' ? 'error' : 'warning' }));
}
