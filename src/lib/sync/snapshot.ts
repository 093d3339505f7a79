/**
 * One moddle element (+ its DI) → its `ElementSnapshot`. Seeding and the bpmn-js binding share it,
 * so what a client writes for an element is exactly what seeding would have written.
 */
import { Writer } from 'moddle-xml';
import type { Bounds, ElementSnapshot, Point } from './doc.js';
import { toJson, type JsonObject, type ModdleObject } from './moddleJson.js';

/** Containment properties whose members become elements of their own (not props of the parent). */
export const STRUCTURAL_SLOTS = [
  'flowElements',
  'artifacts',
  'laneSets',
  'lanes',
  'childLaneSet',
  'participants',
  'messageFlows',
  'dataInputAssociations',
  'dataOutputAssociations',
  'conversations',
  'conversationLinks'
] as const;

/** Root element types that live in `elements` (everything else in `rootElements` goes to `roots`). */
export const STRUCTURAL_ROOTS = new Set(['bpmn:Process', 'bpmn:Collaboration']);

const TOP_LEVEL = new Set(['id', 'name', 'incoming', 'outgoing', 'attachedToRef', 'extensionElements', 'boundaryEventRefs', 'di']);

export function snapshotOf(element: ModdleObject, di: ModdleObject | undefined, parent: string, slot: string, z: number): ElementSnapshot {
  const skip = new Set<string>([...TOP_LEVEL, ...STRUCTURAL_SLOTS]);
  const snapshot: ElementSnapshot = { type: element.$type, parent, slot, z, props: {} };
  if (typeof element.name === 'string') snapshot.name = element.name;
  for (const end of ['source', 'target'] as const) {
    const ref = element[`${end}Ref`];
    if (ref && !Array.isArray(ref) && ref.id) {
      snapshot[end] = ref.id;
      skip.add(`${end}Ref`);
    }
  }
  if (element.attachedToRef?.id) snapshot.host = element.attachedToRef.id;
  const json = toJson(element, skip);
  delete json.$type;
  snapshot.props = json;
  if (element.extensionElements) snapshot.ext = extensionXml(element.extensionElements);
  if (di) Object.assign(snapshot, diFields(di));
  return snapshot;
}

export function extensionXml(extensionElements: ModdleObject): string {
  return new Writer({ format: false }).toXML(extensionElements);
}

function diFields(di: ModdleObject): Partial<ElementSnapshot> {
  const out: Partial<ElementSnapshot> = {};
  if (di.bounds) out.bounds = boundsOf(di.bounds);
  if (di.waypoint) out.waypoints = (di.waypoint as Point[]).map((p) => ({ x: p.x, y: p.y }));
  if (di.label?.bounds) out.label = boundsOf(di.label.bounds);
  const attrs = toJson(di, new Set(['bpmnElement', 'bounds', 'waypoint', 'label', 'sourceElement', 'targetElement']));
  delete attrs.$type;
  out.di = attrs as JsonObject;
  return out;
}

function boundsOf(b: Bounds): Bounds {
  return { x: b.x, y: b.y, width: b.width, height: b.height };
}
