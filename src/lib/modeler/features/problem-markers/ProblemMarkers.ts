/**
 * The engine's compile problems on the canvas: a marker on each element that has one and a
 * small badge overlay naming them. Markers and overlays only: nothing is written to the model.
 *
 * Validation runs after every edit, and a big diagram can have a problem on most elements, so
 * `show` changes only what differs from what is shown (re-adding a thousand markers and overlays
 * blocked the editor for about half a second after each edit).
 */
import type Canvas from 'diagram-js/lib/core/Canvas';
import type ElementRegistry from 'diagram-js/lib/core/ElementRegistry';
import type EventBus from 'diagram-js/lib/core/EventBus';
import type Overlays from 'diagram-js/lib/features/overlays/Overlays';

export interface ElementProblem {
  element: string;
  message: string;
  /** Errors stop a run (the engine's problems); warnings are advice (bpmnlint). Default error. */
  severity?: 'error' | 'warning';
}

const MARKER = { error: 'tessera-problem', warning: 'tessera-warning' } as const;
const OVERLAY_TYPE = 'tessera-problem';

interface Shown {
  marker: string;
  /** Severity and messages: what the badge says. */
  text: string;
  overlay: string;
}

export default class ProblemMarkers {
  static $inject = ['canvas', 'elementRegistry', 'overlays', 'eventBus'];

  /** What is on the canvas now, by element id. */
  #shown = new Map<string, Shown>();

  constructor(
    private readonly canvas: Canvas,
    private readonly elementRegistry: ElementRegistry,
    private readonly overlays: Overlays,
    eventBus: EventBus
  ) {
    // An import or clear removes every element with its markers and overlays.
    eventBus.on('diagram.clear', () => this.#shown.clear());
    // A removed element takes its marker and overlay with it; undo brings back a plain one.
    eventBus.on(['shape.removed', 'connection.removed'], (event: { element: { id: string } }) => this.#shown.delete(event.element.id));
    // A new id: drop what the old one showed, the next validation names the element anew.
    eventBus.on('element.updateId', (event: { element: { id: string } }) => this.#remove(event.element.id));
  }

  /** Replaces the shown problems; problems on ids not on the canvas are left to the list. */
  show(problems: readonly ElementProblem[]): void {
    const byElement = new Map<string, ElementProblem[]>();
    for (const problem of problems) {
      if (!this.elementRegistry.get(problem.element)) continue;
      byElement.set(problem.element, [...(byElement.get(problem.element) ?? []), problem]);
    }
    for (const id of [...this.#shown.keys()]) if (!byElement.has(id)) this.#remove(id);
    for (const [id, found] of byElement) {
      const severity = found.some((problem) => (problem.severity ?? 'error') === 'error') ? 'error' : 'warning';
      const messages = found.map((problem) => problem.message);
      const text = `${severity}\n${messages.join('\n')}`;
      if (this.#shown.get(id)?.text === text) continue;
      this.#remove(id);
      this.canvas.addMarker(id, MARKER[severity]);
      const overlay = this.overlays.add(id, OVERLAY_TYPE, { position: { top: -10, left: -10 }, html: badge(severity, messages) });
      this.#shown.set(id, { marker: MARKER[severity], text, overlay });
    }
  }

  clear(): void {
    for (const id of [...this.#shown.keys()]) this.#remove(id);
  }

  #remove(id: string): void {
    const shown = this.#shown.get(id);
    if (!shown) return;
    this.#shown.delete(id);
    if (this.elementRegistry.get(id)) this.canvas.removeMarker(id, shown.marker);
    this.overlays.remove(shown.overlay);
  }
}

function badge(severity: 'error' | 'warning', messages: string[]): HTMLElement {
  const element = document.createElement('div');
  element.className = `tessera-problem-badge ${severity}`;
  element.textContent = severity === 'error' ? '!' : 'i';
  element.title = messages.join('\n');
  element.setAttribute('role', 'img');
  element.setAttribute('aria-label', `${severity === 'error' ? 'Cannot run' : 'Hint'}: ${messages.join('; ')}`);
  return element;
}
