/**
 * Modeler-level edits straight on the diagram doc, each one transaction with LOCAL_ORIGIN:
 * what the bpmn-js binding writes for the same gesture. Used by headless clients and the fuzz.
 */
import * as Y from 'yjs';
import { elementsOf, LOCAL_ORIGIN, metaOf, readElement, readMeta, renameEntry, writeElement, type Author, type Bounds, type ElementSnapshot } from './doc.js';

export function addShape(doc: Y.Doc, id: string, shape: { type: string; parent: string; bounds: Bounds; name?: string }): void {
  doc.transact(() => {
    const snapshot: ElementSnapshot = { type: shape.type, parent: shape.parent, slot: 'flowElements', z: nextZ(doc, shape.parent), bounds: shape.bounds, di: { id: `${id}_di` }, props: {} };
    if (shape.name !== undefined) snapshot.name = shape.name;
    writeElement(elementsOf(doc), id, snapshot);
  }, LOCAL_ORIGIN);
}

export function connect(doc: Y.Doc, id: string, source: string, target: string): void {
  const elements = elementsOf(doc);
  const from = elements.get(source);
  const to = elements.get(target);
  if (!from || !to) return;
  const a = from.get('bounds') as Bounds;
  const b = to.get('bounds') as Bounds;
  doc.transact(() => {
    writeElement(elements, id, {
      type: 'bpmn:SequenceFlow',
      parent: from.get('parent') as string,
      slot: 'flowElements',
      z: nextZ(doc, from.get('parent') as string),
      source,
      target,
      waypoints: [center(a), center(b)],
      di: { id: `${id}_di` },
      props: {}
    });
  }, LOCAL_ORIGIN);
}

export function move(doc: Y.Doc, id: string, dx: number, dy: number): void {
  const entry = elementsOf(doc).get(id);
  const bounds = entry?.get('bounds') as Bounds | undefined;
  if (!entry || !bounds) return;
  doc.transact(() => entry.set('bounds', { ...bounds, x: bounds.x + dx, y: bounds.y + dy }), LOCAL_ORIGIN);
}

/** Renames `id`; with `by`, records who changed it last (the binding's "changed by X"). */
export function rename(doc: Y.Doc, id: string, name: string, by?: Author): void {
  const entry = elementsOf(doc).get(id);
  if (!entry) return;
  doc.transact(() => {
    entry.set('name', name);
    if (by) entry.set('by', by);
  }, LOCAL_ORIGIN);
}

/** Changes an element's id, rewriting what refers to it (what the binding writes for an id edit). */
export function renameId(doc: Y.Doc, from: string, to: string): void {
  doc.transact(() => renameEntry(doc, from, to), LOCAL_ORIGIN);
}

/** Adds a lane to `process`'s lane set (creating one with an id of its own), as bpmn-js's splitLane does. */
export function addLane(doc: Y.Doc, id: string, process: string, bounds: Bounds, name?: string): void {
  const elements = elementsOf(doc);
  if (!elements.has(process)) return;
  doc.transact(() => {
    let laneSet = [...elements.entries()].find(([, e]) => e.get('type') === 'bpmn:LaneSet' && e.get('parent') === process)?.[0];
    if (!laneSet) {
      laneSet = `LaneSet_${id}`;
      writeElement(elements, laneSet, { type: 'bpmn:LaneSet', parent: process, slot: 'laneSets', z: 0, props: {} });
    }
    const lane: ElementSnapshot = { type: 'bpmn:Lane', parent: laneSet, slot: 'lanes', z: nextZ(doc, laneSet), bounds, di: { id: `${id}_di`, isHorizontal: true }, props: {} };
    if (name !== undefined) lane.name = name;
    writeElement(elements, id, lane);
  }, LOCAL_ORIGIN);
}

/**
 * Wraps `process` in a pool, as bpmn-js does for the first participant: a collaboration (created
 * once) becomes the main plane's element, with a participant whose process is `process`.
 */
export function addPool(doc: Y.Doc, id: string, process: string, bounds: Bounds): void {
  const elements = elementsOf(doc);
  const meta = readMeta(doc);
  const definitionsId = meta?.definitions.id;
  if (!meta || typeof definitionsId !== 'string' || !elements.has(process)) return;
  doc.transact(() => {
    let collaboration = [...elements.entries()].find(([, e]) => e.get('type') === 'bpmn:Collaboration')?.[0];
    if (!collaboration) {
      collaboration = `Collaboration_${id}`;
      writeElement(elements, collaboration, { type: 'bpmn:Collaboration', parent: definitionsId, slot: 'rootElements', z: nextZ(doc, definitionsId), props: {} });
    }
    writeElement(elements, id, {
      type: 'bpmn:Participant',
      parent: collaboration,
      slot: 'participants',
      z: nextZ(doc, collaboration),
      bounds,
      di: { id: `${id}_di`, isHorizontal: true },
      props: { processRef: { ref: process } }
    });
    const [main, ...rest] = meta.planes;
    if (main && main.element !== collaboration) metaOf(doc).set('planes', [{ ...main, element: collaboration }, ...rest]);
  }, LOCAL_ORIGIN);
}

export function setCondition(doc: Y.Doc, flowId: string, body: string): void {
  const entry = elementsOf(doc).get(flowId);
  const props = entry?.get('props');
  if (props instanceof Y.Map) {
    doc.transact(() => props.set('conditionExpression', { $type: 'bpmn:FormalExpression', body }), LOCAL_ORIGIN);
  }
}

/** Deletes an element with its descendants and the connections that touch it, as bpmn-js would. */
export function remove(doc: Y.Doc, id: string): void {
  const elements = elementsOf(doc);
  if (!elements.has(id)) return;
  const doomed = new Set([id]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [other, entry] of elements) {
      if (doomed.has(other)) continue;
      const e = readElement(entry);
      if ([e.parent, e.source, e.target, e.host].some((ref) => ref !== undefined && doomed.has(ref))) {
        doomed.add(other);
        grew = true;
      }
    }
  }
  doc.transact(() => doomed.forEach((d) => elements.delete(d)), LOCAL_ORIGIN);
}

function nextZ(doc: Y.Doc, parent: string): number {
  let z = -1;
  for (const entry of elementsOf(doc).values()) if (entry.get('parent') === parent) z = Math.max(z, entry.get('z') as number);
  return z + 1;
}

function center(b: Bounds): { x: number; y: number } {
  return { x: Math.round(b.x + b.width / 2), y: Math.round(b.y + b.height / 2) };
}
