/**
 * The engine's compile problems on the canvas: a marker on each element that has one and a
 * small badge overlay naming them. Markers and overlays only: nothing is written to the model.
 */
import type Canvas from 'diagram-js/lib/core/Canvas';
import type ElementRegistry from 'diagram-js/lib/core/ElementRegistry';
import type Overlays from 'diagram-js/lib/features/overlays/Overlays';

export interface ElementProblem {
  element: string;
  message: string;
  /** Errors stop a run (the engine's problems); warnings are advice (bpmnlint). Default error. */
  severity?: 'error' | 'warning';
}

const MARKER = { error: 'tessera-problem', warning: 'tessera-warning' } as const;
const OVERLAY_TYPE = 'tessera-problem';

export default class ProblemMarkers {
  static $inject = ['canvas', 'elementRegistry', 'overlays'];

  #marked: [string, string][] = [];

  constructor(
    private readonly canvas: Canvas,
    private readonly elementRegistry: ElementRegistry,
    private readonly overlays: Overlays
  ) {}

  /** Replaces the shown problems; problems on ids not on the canvas are left to the list. */
  show(problems: readonly ElementProblem[]): void {
    this.clear();
    const byElement = new Map<string, ElementProblem[]>();
    for (const problem of problems) {
      if (!this.elementRegistry.get(problem.element)) continue;
      byElement.set(problem.element, [...(byElement.get(problem.element) ?? []), problem]);
    }
    for (const [id, found] of byElement) {
      const severity = found.some((problem) => (problem.severity ?? 'error') === 'error') ? 'error' : 'warning';
      const messages = found.map((problem) => problem.message);
      this.canvas.addMarker(id, MARKER[severity]);
      this.#marked.push([id, MARKER[severity]]);
      const badge = document.createElement('div');
      badge.className = `tessera-problem-badge ${severity}`;
      badge.textContent = severity === 'error' ? '!' : 'i';
      badge.title = messages.join('\n');
      badge.setAttribute('role', 'img');
      badge.setAttribute('aria-label', `${severity === 'error' ? 'Cannot run' : 'Hint'}: ${messages.join('; ')}`);
      this.overlays.add(id, OVERLAY_TYPE, { position: { top: -10, left: -10 }, html: badge });
    }
  }

  clear(): void {
    for (const [id, marker] of this.#marked) if (this.elementRegistry.get(id)) this.canvas.removeMarker(id, marker);
    this.#marked = [];
    this.overlays.remove({ type: OVERLAY_TYPE });
  }
}
