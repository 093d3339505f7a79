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

const linter = new Linter(bpmnlintConfig);

export async function lintDefinitions(definitions: unknown): Promise<LintIssue[]> {
  const results = (await linter.lint(definitions)) as Record<string, Report[]>;
  return Object.values(results)
    .flat()
    .filter((report) => report.category === 'error' || report.category === 'warn')
    .map((report) => ({ element: report.id, message: report.message, severity: report.category === 'error' ? 'error' : 'warning' }));
}
