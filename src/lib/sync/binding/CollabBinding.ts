/**
 * The bpmn-js ↔ Y binding (COLLAB.md). Local → shared on `elements.changed` (low priority, one
 * LOCAL_ORIGIN transaction, changed fields only, skipped while applying remote changes); shared →
 * local via observeDeep, batched per animation frame and deferred while the user drags or edits
 * text; per-user undo with a Y.UndoManager bound to the editor's undo/redo actions.
 */
import * as Y from 'yjs';
import { elementsOf, LOCAL_ORIGIN, metaOf, readMeta, renameEntry, writeElement, type Author } from '../doc.js';
import { generateXml } from '../generateXml.js';
import type { ModdleObject } from '../moddleJson.js';
import { applyRemote, parseExtensions, type Services } from './applyRemote.js';
import { ensureAncestors, ownerOf, snapshotOfElement, type DiagramElement } from './captureLocal.js';
import { structureDiffers } from './structure.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- bpmn-js services are untyped here */
export default class CollabBinding {
  static $inject = ['eventBus', 'injector'];

  doc: Y.Doc | undefined;
  undoManager: Y.UndoManager | undefined;
  /** Lines of what the post-apply repair had to put back (for tests and the console). */
  readonly repairs: string[] = [];
  /** Who local edits are recorded as (`by` on each entry they change: "changed by X"). */
  author: Author | undefined;
  /** Canvas rebuilds from the doc for remote pool/lane/root changes (for tests and the console). */
  rebuilds = 0;
  /** Ids changed locally (properties panel, undo of that), old → new, moved with the next capture. */
  #renamed = new Map<string, string>();
  #applying = false;
  #rebuilding = false;
  #flushing = false;
  #busy = 0;
  #pending = new Set<string>();
  #frame = 0;
  #unbind: (() => void) | undefined;

  constructor(
    private eventBus: any,
    private injector: any
  ) {
    eventBus.on('elements.changed', 250, (event: { elements: DiagramElement[] }) => this.#capture(event.elements));
    // Fired before the registry and the moddle element take the new id: remember the old one.
    eventBus.on('element.updateId', (event: { element: DiagramElement; newId: string }) => {
      const old = event.element.businessObject?.id;
      if (this.#applying || !this.doc || ownerOf(event.element) !== event.element || !old || old === event.newId) return;
      this.#renamed.set(old, event.newId);
    });
    const busy = (delta: number) => () => {
      this.#busy = Math.max(0, this.#busy + delta);
      if (this.#busy === 0) this.#schedule();
    };
    eventBus.on('drag.init', busy(1));
    eventBus.on('drag.cleanup', busy(-1));
    eventBus.on('directEditing.activate', busy(1));
    eventBus.on(['directEditing.complete', 'directEditing.cancel', 'directEditing.deactivate'], () => {
      if (this.#busy > 0) busy(-1)();
    });
  }

  get applying(): boolean {
    return this.#applying;
  }

  /** True while the canvas is re-imported from the doc (not a user's Open file). */
  get rebuilding(): boolean {
    return this.#rebuilding;
  }

  /** Starts binding the (already imported) canvas to `doc`. */
  bind(doc: Y.Doc): void {
    this.unbind();
    this.doc = doc;
    const elements = elementsOf(doc);
    const observer = (events: Y.YEvent<any>[], transaction: Y.Transaction) => {
      if (transaction.origin === LOCAL_ORIGIN) return;
      for (const event of events) {
        if (event.target === elements) for (const key of (event as Y.YMapEvent<unknown>).keysChanged) this.#pending.add(key);
        else if (typeof event.path[0] === 'string') this.#pending.add(event.path[0]);
      }
      this.#schedule();
    };
    elements.observeDeep(observer);
    // meta too: the main plane follows the root when a pool makes the diagram a collaboration.
    this.undoManager = new Y.UndoManager([elements, metaOf(doc)], { trackedOrigins: new Set([LOCAL_ORIGIN]), captureTimeout: 300 });
    const actions = this.injector.get('editorActions', false);
    const previous = actions ? { undo: actions._actions.undo, redo: actions._actions.redo } : undefined;
    if (actions) {
      actions._actions.undo = () => this.undoManager?.undo();
      actions._actions.redo = () => this.undoManager?.redo();
    }
    this.#unbind = () => {
      elements.unobserveDeep(observer);
      this.undoManager?.destroy();
      if (actions && previous) Object.assign(actions._actions, previous);
    };
  }

  unbind(): void {
    this.#unbind?.();
    this.#unbind = undefined;
    this.doc = undefined;
  }

  /** Writes the whole canvas into the doc (seeding by the room's creator uses XML instead). */
  captureAll(): void {
    this.#capture(this.injector.get('elementRegistry').getAll());
  }

  #capture(changed: DiagramElement[]): void {
    if (this.#applying || !this.doc) return;
    const registry = this.injector.get('elementRegistry');
    const elements = elementsOf(this.doc);
    const doc = this.doc;
    const definitions = this.#definitions();
    this.doc.transact(() => {
      for (const [from, to] of this.#renamed) renameEntry(doc, from, to);
      this.#renamed.clear();
      const seen = new Set<string>();
      for (const element of changed) {
        const owner = ownerOf(element);
        if (!owner || seen.has(owner.id)) continue;
        seen.add(owner.id);
        const id = owner.businessObject.id;
        // A process that stopped being the canvas root (the first pool made the diagram a
        // collaboration) is still in the model, as that pool's process.
        const inModel = registry.get(owner.id) || (!owner.parent && definitions?.rootElements?.includes(owner.businessObject));
        if (!inModel) {
          elements.delete(id);
          continue;
        }
        ensureAncestors(elements, owner.businessObject);
        if (writeElement(elements, id, snapshotOfElement(elements, owner)) && this.author) elements.get(id)!.set('by', this.author);
      }
      syncMainPlane(doc, definitions);
    }, LOCAL_ORIGIN);
  }

  #definitions(): ModdleObject | undefined {
    return this.injector.get('bpmnjs', false)?.getDefinitions?.();
  }

  #schedule(): void {
    if (this.#frame || this.#pending.size === 0 || this.#busy > 0) return;
    const run = () => {
      this.#frame = 0;
      void this.flush();
    };
    this.#frame = typeof requestAnimationFrame === 'function' ? requestAnimationFrame(run) : (setTimeout(run, 16) as unknown as number);
  }

  /** Applies pending remote changes now (deferred while dragging or editing text). */
  async flush(): Promise<void> {
    if (!this.doc || this.#busy > 0 || this.#pending.size === 0 || this.#flushing) return;
    const ids = this.#pending;
    this.#pending = new Set();
    const definitions = this.#definitions();
    if (structureDiffers(elementsOf(this.doc), definitions, ids, mainPlaneElement(definitions), readMeta(this.doc)?.planes[0]?.element)) {
      this.#flushing = true;
      try {
        await this.#rebuild();
      } finally {
        this.#flushing = false;
      }
      this.eventBus.fire('collab.applied', { ids: [...ids] });
      this.#schedule();
      return;
    }
    const services: Services = Object.fromEntries(
      ['elementRegistry', 'modeling', 'elementFactory', 'bpmnFactory', 'canvas', 'moddle'].map((name) => [name, this.injector.get(name)])
    ) as unknown as Services;
    const elements = elementsOf(this.doc);
    try {
      const ext = await parseExtensions(services, elements, ids);
      this.#applying = true;
      const repaired = applyRemote(services, elements, ids, ext);
      for (const line of repaired) console.warn(`[collab] repaired ${line}`);
      this.repairs.push(...repaired);
    } catch (error) {
      console.error('[collab] applying remote changes failed', error);
    } finally {
      this.#applying = false;
    }
    this.eventBus.fire('collab.applied', { ids: [...ids] });
    this.#schedule();
  }

  /** Re-imports the canvas from the doc, keeping viewport and selection; undo lives in Y, so it survives. */
  async #rebuild(): Promise<void> {
    const doc = this.doc!;
    const canvas = this.injector.get('canvas');
    const selection = this.injector.get('selection', false);
    const { x, y, width, height } = canvas.viewbox();
    const selected: string[] = selection?.get().map((e: { id: string }) => e.id) ?? [];
    this.#applying = true;
    this.#rebuilding = true;
    try {
      await this.injector.get('bpmnjs').importXML(await generateXml(doc));
      this.rebuilds++;
    } catch (error) {
      console.error('[collab] rebuilding the canvas from the shared doc failed', error);
    } finally {
      this.#applying = false;
      this.#rebuilding = false;
    }
    canvas.viewbox({ x, y, width, height });
    const registry = this.injector.get('elementRegistry');
    selection?.select(selected.map((id) => registry.get(id)).filter(Boolean));
  }
}

/** The element the local main diagram plane shows (the process, or the collaboration once pools exist). */
function mainPlaneElement(definitions: ModdleObject | undefined): string | undefined {
  return definitions?.diagrams?.[0]?.plane?.bpmnElement?.id;
}

/** Keeps the doc's main plane on the canvas's root: it changes when the first pool is added or the last removed. */
function syncMainPlane(doc: Y.Doc, definitions: ModdleObject | undefined): void {
  const root = mainPlaneElement(definitions);
  const meta = readMeta(doc);
  const main = meta?.planes[0];
  if (!root || !meta || !main || main.element === root) return;
  metaOf(doc).set('planes', [{ ...main, element: root }, ...meta.planes.slice(1)]);
}
