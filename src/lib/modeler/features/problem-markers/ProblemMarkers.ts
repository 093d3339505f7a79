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
}

const MARKER = 'tessera-problem';
const OVERLAY_TYPE = 'tessera-problem';

export default class ProblemMarkers {
  static $inject = ['canvas', 'elementRegistry', 'overlays'];

  #marked: string[] = [];

  constructor(
    private readonly canvas: Canvas,
    private readonly elementRegistry: ElementRegistry,
    private readonly overlays: Overlays
  ) {}

  /** Replaces the shown problems; problems on ids not on the canvas are left to the list. */
  show(problems: readonly ElementProblem[]): void {
    this.clear();
    const byElement = new Map<string, string[]>();
    for (const problem of problems) {
      if (!this.elementRegistry.get(problem.element)) continue;
      byElement.set(problem.element, [...(byElement.get(problem.element) ?? []), problem.message]);
    }
    for (const [id, messages] of byElement) {
      this.canvas.addMarker(id, MARKER);
      this.#marked.push(id);
      const badge = document.createElement('div');
      badge.className = 'tessera-problem-badge';
      badge.textContent = '!';
      badge.title = messages.join('\n');
      badge.setAttribute('role', 'img');
      badge.setAttribute('aria-label', `Cannot run: ${messages.join('; ')}`);
      this.overlays.add(id, OVERLAY_TYPE, { position: { top: -10, left: -10 }, html: badge });
    }
  }

  clear(): void {
    for (const id of this.#marked) if (this.elementRegistry.get(id)) this.canvas.removeMarker(id, MARKER);
    this.#marked = [];
    this.overlays.remove({ type: OVERLAY_TYPE });
  }
}
