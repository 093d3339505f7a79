/**
 * Presence over y-protocols awareness (COLLAB.md): `{ user, cursor, selection, viewport, mode, runId }`.
 * Remote cursors and selection outlines live on a dedicated SVG layer so they pan and zoom with
 * the diagram; remote selections also get a `collab-selected` marker; "follow" copies a peer's viewport.
 */
import type { Awareness } from 'y-protocols/awareness';
import type { CollabUser } from '../userSettings.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- bpmn-js services are untyped here */
export interface PeerState {
  user?: CollabUser;
  cursor?: { x: number; y: number };
  selection?: string[];
  viewport?: { x: number; y: number; width: number; height: number };
  /** A move in progress: the shapes being dragged and by how much (drag previews are not commands). */
  drag?: { ids: string[]; dx: number; dy: number } | null;
  mode?: 'model' | 'monitor';
  runId?: string;
}

export interface Peer extends PeerState {
  clientId: number;
}

const SVG = 'http://www.w3.org/2000/svg';
const CURSOR_HZ = 20;

export class Presence {
  following: number | undefined;
  #layer: SVGGElement;
  #marked = new Set<string>();
  #listeners = new Set<() => void>();
  #lastCursor = 0;
  #cleanup: (() => void)[] = [];

  constructor(
    private modeler: any,
    readonly awareness: Awareness,
    user: CollabUser
  ) {
    const canvas = modeler.get('canvas');
    const eventBus = modeler.get('eventBus');
    this.#layer = canvas.getLayer('collab-cursors', 1000);
    awareness.setLocalState({ user, mode: 'model', selection: [], viewport: canvas.viewbox() } satisfies PeerState);
    const container: HTMLElement = canvas.getContainer();
    const onMove = (event: PointerEvent) => {
      const now = performance.now();
      if (now - this.#lastCursor < 1000 / CURSOR_HZ) return;
      this.#lastCursor = now;
      const box = canvas.viewbox();
      const rect = container.getBoundingClientRect();
      awareness.setLocalStateField('cursor', { x: box.x + (event.clientX - rect.left) / box.scale, y: box.y + (event.clientY - rect.top) / box.scale });
    };
    container.addEventListener('pointermove', onMove);
    this.#cleanup.push(() => container.removeEventListener('pointermove', onMove));
    const onSelection = (e: { newSelection: { id: string }[] }) => awareness.setLocalStateField('selection', e.newSelection.map((s) => s.id));
    const onViewbox = () => {
      const { x, y, width, height } = canvas.viewbox();
      awareness.setLocalStateField('viewport', { x, y, width, height });
    };
    // Live "ghosts" of a drag go through awareness, never the doc (COLLAB.md), at the cursor's rate.
    let lastDrag = 0;
    const onDragMove = (event: { dx: number; dy: number; context: { shapes?: { id: string }[] } }) => {
      const now = performance.now();
      if (now - lastDrag < 1000 / CURSOR_HZ) return;
      lastDrag = now;
      const ids = (event.context.shapes ?? []).slice(0, 50).map((s) => s.id);
      awareness.setLocalStateField('drag', { ids, dx: Math.round(event.dx), dy: Math.round(event.dy) });
    };
    const onDragEnd = () => {
      if ((awareness.getLocalState() as PeerState | null)?.drag) awareness.setLocalStateField('drag', null);
    };
    eventBus.on('shape.move.move', onDragMove);
    eventBus.on('shape.move.cleanup', onDragEnd);
    this.#cleanup.push(() => {
      eventBus.off('shape.move.move', onDragMove);
      eventBus.off('shape.move.cleanup', onDragEnd);
    });
    eventBus.on('selection.changed', onSelection);
    eventBus.on('canvas.viewbox.changed', onViewbox);
    this.#cleanup.push(() => {
      eventBus.off('selection.changed', onSelection);
      eventBus.off('canvas.viewbox.changed', onViewbox);
    });
    // Closing the tab is leaving: say so (a dropped socket alone is not, the relay keeps the entry
    // until it expires). A page restored from the back/forward cache comes back.
    let parked: PeerState | null = null;
    const onHide = () => {
      parked = awareness.getLocalState() as PeerState | null;
      awareness.setLocalState(null);
    };
    const onShow = (event: PageTransitionEvent) => {
      if (event.persisted && parked && awareness.getLocalState() === null) awareness.setLocalState(parked);
    };
    window.addEventListener('pagehide', onHide);
    window.addEventListener('pageshow', onShow);
    this.#cleanup.push(() => {
      window.removeEventListener('pagehide', onHide);
      window.removeEventListener('pageshow', onShow);
    });
    const onChange = () => this.#render();
    awareness.on('change', onChange);
    // A re-import (the binding rebuilding the canvas from the doc) drops markers: draw again.
    const onImport = () => {
      this.#marked = new Set();
      this.#render();
    };
    eventBus.on('import.done', onImport);
    this.#cleanup.push(() => {
      awareness.off('change', onChange);
      eventBus.off('import.done', onImport);
    });
    this.#render();
  }

  peers(): Peer[] {
    const out: Peer[] = [];
    for (const [clientId, state] of this.awareness.getStates()) {
      if (clientId !== this.awareness.clientID && (state as PeerState).user) out.push({ clientId, ...(state as PeerState) });
    }
    return out;
  }

  setUser(user: CollabUser): void {
    this.awareness.setLocalStateField('user', user);
  }

  follow(clientId: number | undefined): void {
    this.following = clientId;
    this.#render();
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  destroy(): void {
    this.#cleanup.forEach((c) => c());
    this.awareness.setLocalState(null);
    this.#layer.replaceChildren();
  }

  #render(): void {
    const canvas = this.modeler.get('canvas');
    const registry = this.modeler.get('elementRegistry');
    const peers = this.peers();
    this.#layer.replaceChildren();
    const selected = new Set<string>();
    for (const peer of peers) {
      const color = peer.user!.color;
      for (const id of peer.selection ?? []) {
        const element = registry.get(id);
        if (!element || element.waypoints) continue;
        selected.add(id);
        this.#layer.append(svg('rect', { x: element.x - 6, y: element.y - 6, width: element.width + 12, height: element.height + 12, rx: 6, fill: 'none', stroke: color, 'stroke-width': 2.5, 'stroke-dasharray': '6 3', class: 'collab-selection' }));
      }
      for (const id of peer.drag?.ids ?? []) {
        const element = registry.get(id);
        if (!element || element.waypoints) continue;
        this.#layer.append(svg('rect', { x: element.x + peer.drag!.dx, y: element.y + peer.drag!.dy, width: element.width, height: element.height, rx: 8, fill: color, 'fill-opacity': 0.12, stroke: color, 'stroke-width': 1.5, 'stroke-dasharray': '4 3', class: 'collab-ghost' }));
      }
      if (peer.cursor) {
        const g = svg('g', { class: 'collab-cursor', transform: `translate(${peer.cursor.x} ${peer.cursor.y})`, 'data-user': peer.user!.name });
        g.append(svg('path', { d: 'M0 0 L0 16 L4.5 12 L8 19 L10.5 18 L7.2 11 L13 11 Z', fill: color, stroke: '#fff', 'stroke-width': 1 }));
        const label = svg('text', { x: 14, y: 26, fill: '#fff', 'font-size': 12, 'font-family': 'sans-serif' });
        label.textContent = peer.user!.name;
        const width = 8 + 7 * peer.user!.name.length;
        g.append(svg('rect', { x: 10, y: 14, width, height: 17, rx: 4, fill: color }), label);
        this.#layer.append(g);
      }
    }
    for (const id of this.#marked) if (!selected.has(id) && registry.get(id)) canvas.removeMarker(id, 'collab-selected');
    for (const id of selected) if (!this.#marked.has(id)) canvas.addMarker(id, 'collab-selected');
    this.#marked = selected;
    const followed = peers.find((p) => p.clientId === this.following);
    if (followed?.viewport) canvas.viewbox(followed.viewport);
    this.#listeners.forEach((l) => l());
  }
}

function svg(name: string, attrs: Record<string, string | number>): SVGElement {
  const element = document.createElementNS(SVG, name) as SVGElement;
  for (const [k, v] of Object.entries(attrs)) element.setAttribute(k, String(v));
  return element;
}
