import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type Canvas from 'diagram-js/lib/core/Canvas';
import type ElementRegistry from 'diagram-js/lib/core/ElementRegistry';
import type EventBus from 'diagram-js/lib/core/EventBus';
import type Overlays from 'diagram-js/lib/features/overlays/Overlays';
import ProblemMarkers from './ProblemMarkers.js';

/** Counts what reaches the canvas: markers and overlays added and removed. */
function setup(ids: string[]) {
  const listeners = new Map<string, ((event: unknown) => void)[]>();
  const markers = new Map<string, Set<string>>();
  const overlays = new Map<string, string>();
  const calls = { addMarker: 0, removeMarker: 0, addOverlay: 0, removeOverlay: 0 };
  let next = 0;
  const canvas = {
    addMarker(id: string, marker: string) {
      calls.addMarker++;
      markers.set(id, new Set([...(markers.get(id) ?? []), marker]));
    },
    removeMarker(id: string, marker: string) {
      calls.removeMarker++;
      markers.get(id)?.delete(marker);
    }
  };
  const registry = { get: (id: string) => (ids.includes(id) ? { id } : undefined) };
  const overlayService = {
    add(element: string) {
      calls.addOverlay++;
      const id = `ov${next++}`;
      overlays.set(id, element);
      return id;
    },
    remove(id: string) {
      calls.removeOverlay++;
      overlays.delete(id);
    }
  };
  const bus = {
    on(events: string | string[], callback: (event: unknown) => void) {
      for (const event of [events].flat()) listeners.set(event, [...(listeners.get(event) ?? []), callback]);
    },
    fire(event: string, data: unknown = {}) {
      for (const callback of listeners.get(event) ?? []) callback(data);
    }
  };
  const problemMarkers = new ProblemMarkers(canvas as unknown as Canvas, registry as unknown as ElementRegistry, overlayService as unknown as Overlays, bus as unknown as EventBus);
  return { problemMarkers, markers, overlays, calls, bus };
}

describe('ProblemMarkers', () => {
  beforeEach(() => {
    vi.stubGlobal('document', {
      createElement: () => ({ setAttribute() {} })
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('marks each element with a problem once, red for errors and amber for advice only', () => {
    const { problemMarkers, markers, overlays } = setup(['A', 'B']);
    problemMarkers.show([
      { element: 'A', message: 'no script' },
      { element: 'A', message: 'lint', severity: 'warning' },
      { element: 'B', message: 'lint', severity: 'warning' },
      { element: 'Gone', message: 'not on the canvas' }
    ]);
    expect([...markers.get('A')!]).toEqual(['tessera-problem']);
    expect([...markers.get('B')!]).toEqual(['tessera-warning']);
    expect([...overlays.values()].sort()).toEqual(['A', 'B']);
  });

  it('after the next validation touches only what changed', () => {
    const ids = Array.from({ length: 100 }, (_, i) => `T${i}`);
    const { problemMarkers, markers, overlays, calls } = setup(ids);
    const problems = ids.map((id) => ({ element: id, message: 'lint', severity: 'warning' as const }));
    problemMarkers.show(problems);
    Object.assign(calls, { addMarker: 0, removeMarker: 0, addOverlay: 0, removeOverlay: 0 });
    // one fixed, one changed to an error, the rest as they were
    problemMarkers.show([...problems.slice(2), { element: 'T1', message: 'cannot run' }]);
    expect(calls).toEqual({ addMarker: 1, removeMarker: 2, addOverlay: 1, removeOverlay: 2 });
    expect(markers.get('T0')!.size).toBe(0);
    expect([...markers.get('T1')!]).toEqual(['tessera-problem']);
    expect(overlays.size).toBe(99);
  });

  it('shows everything again after an import cleared the canvas, and clear() removes all', () => {
    const { problemMarkers, overlays, calls, bus } = setup(['A']);
    problemMarkers.show([{ element: 'A', message: 'x' }]);
    overlays.clear(); // what bpmn-js's Overlays does on diagram.clear
    bus.fire('diagram.clear');
    problemMarkers.show([{ element: 'A', message: 'x' }]);
    expect(calls.addOverlay).toBe(2);
    problemMarkers.clear();
    expect(overlays.size).toBe(0);
  });

  it('re-marks an element brought back by undo', () => {
    const { problemMarkers, calls, bus } = setup(['A']);
    problemMarkers.show([{ element: 'A', message: 'x' }]);
    bus.fire('shape.removed', { element: { id: 'A' } });
    problemMarkers.show([{ element: 'A', message: 'x' }]);
    expect(calls.addMarker).toBe(2);
  });
});
