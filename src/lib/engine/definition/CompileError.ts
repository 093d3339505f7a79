import type { Problem } from './model.js';

/** Thrown by `compile` with every problem found in the model, not just the first. */
export class CompileError extends Error {
  readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[]) {
    super(`invalid BPMN model:\n${problems.map(formatProblem).join('\n')}`);
    this.name = 'CompileError';
    this.problems = Object.freeze(problems.map((problem) => Object.freeze({ ...problem })));
  }
}

/** One problem as a line: `element: message`, or just the message when no element applies. */
export function formatProblem(problem: Problem): string {
  return problem.element === '' ? problem.message : `${problem.element}: ${problem.message}`;
}
