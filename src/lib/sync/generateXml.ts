/**
 * A diagram Y.Doc → BPMN 2.0 XML, headless (moddle only, no DOM): the browser, the worker and the
 * relay can all build the model from the shared doc. Deterministic: children ordered by (z, id);
 * what a merge left dangling (a flow to a deleted node, a boundary event without host, an orphan
 * of a deleted container) is left out, identically on every client.
 */
import type * as Y from 'yjs';
import { nestedDiOf, readElements, readMeta, rootsOf, type Bounds, type ElementSnapshot, type PlaneInfo } from './doc.js';
import { createModdle, fromJson, linkParents, resolveRefs, type JsonObject, type ModdleObject, type PendingRef } from './moddleJson.js';

/** Connection types whose both ends are always elements of their own. */
const CONNECTIONS = new Set(['bpmn:SequenceFlow', 'bpmn:MessageFlow', 'bpmn:Association']);

export async function generateXml(doc: Y.Doc): Promise<string> {
  const definitions = await generateDefinitions(doc);
  const { xml } = await definitions.$model.toXML(definitions, { format: true });
  return xml as string;
}

export async function generateDefinitions(doc: Y.Doc, moddle: ModdleObject = createModdle()): Promise<ModdleObject> {
  const meta = readMeta(doc);
  if (!meta) throw new Error('the diagram doc has not been seeded');
  const byId = new Map<string, ModdleObject>();
  const refs: PendingRef[] = [];
  const definitions = fromJson(moddle, meta.definitions, byId, refs);
  const entries = readElements(doc);
  const childrenOf = groupChildren(entries);
  const live = liveIds(definitions.id, entries, childrenOf);

  const roots = [...rootsOf(doc).entries()].sort(([a, x], [b, y]) => Number(x.z ?? 0) - Number(y.z ?? 0) || cmp(a, b));
  const rootElements: ModdleObject[] = roots.map(([, json]) => {
    const { z: _z, ...rest } = json;
    return fromJson(moddle, rest as JsonObject, byId, refs);
  });
  const built: { id: string; snapshot: ElementSnapshot; element: ModdleObject }[] = [];
  const build = async (id: string, snapshot: ElementSnapshot): Promise<ModdleObject> => {
    const element = fromJson(moddle, { ...snapshot.props, $type: snapshot.type }, byId, refs);
    element.id = id;
    byId.set(id, element);
    if (snapshot.name !== undefined) element.name = snapshot.name;
    if (snapshot.source) refs.push({ target: element, name: 'sourceRef', ids: [snapshot.source], many: false });
    if (snapshot.target) refs.push({ target: element, name: 'targetRef', ids: [snapshot.target], many: false });
    if (snapshot.host) refs.push({ target: element, name: 'attachedToRef', ids: [snapshot.host], many: false });
    if (snapshot.ext) {
      const { rootElement } = await moddle.fromXML(snapshot.ext, 'bpmn:ExtensionElements');
      for (const key of Object.keys(rootElement.$attrs)) if (key.startsWith('xmlns')) delete rootElement.$attrs[key];
      element.extensionElements = rootElement;
    }
    built.push({ id, snapshot, element });
    for (const child of childrenOf.get(id) ?? []) {
      if (!live.has(child)) continue;
      const childSnapshot = entries.get(child)!;
      const slot = childSnapshot.slot;
      const descriptor = element.$descriptor.propertiesByName?.[slot];
      // A slot this parent does not have (a bad client, or a merge): left out, the same everywhere.
      if (!descriptor) continue;
      const value = await build(child, childSnapshot);
      if (descriptor && !descriptor.isMany) element.set(slot, value);
      else element.get(slot).push(value);
    }
    return element;
  };
  for (const id of childrenOf.get(definitions.id) ?? []) {
    if (live.has(id)) rootElements.push(await build(id, entries.get(id)!));
  }
  definitions.set('rootElements', rootElements);
  resolveRefs(refs, byId);
  linkFlows(built);
  for (const [id, geometry] of [...nestedDiOf(doc).entries()].sort(([a], [b]) => cmp(a, b))) {
    const element = byId.get(id);
    if (element) built.push({ id, element, snapshot: { ...(geometry as unknown as ElementSnapshot), parent: '', props: {} } });
  }
  definitions.set('diagrams', buildDiagrams(moddle, meta.planes, built, entries, definitions.id));
  linkParents(definitions);
  return definitions;
}

/** Children ids per parent, ordered by (z, id). */
function groupChildren(entries: Map<string, ElementSnapshot>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [id, e] of entries) {
    const list = out.get(e.parent) ?? [];
    list.push(id);
    out.set(e.parent, list);
  }
  for (const list of out.values()) list.sort((a, b) => entries.get(a)!.z - entries.get(b)!.z || cmp(a, b));
  return out;
}

/** Ids reachable from the definitions whose source, target and host exist too (to a fixpoint). */
function liveIds(rootId: string, entries: Map<string, ElementSnapshot>, childrenOf: Map<string, string[]>): Set<string> {
  let live = new Set<string>();
  const reach = (id: string, set: Set<string>): void => {
    for (const child of childrenOf.get(id) ?? []) {
      if (set.has(child) || !entries.has(child)) continue;
      set.add(child);
      reach(child, set);
    }
  };
  reach(rootId, live);
  for (;;) {
    const next = new Set<string>();
    const ok = (id: string): boolean => {
      const e = entries.get(id)!;
      const ends = CONNECTIONS.has(e.type) ? [e.source, e.target, e.host] : [e.host];
      return ends.every((ref) => ref === undefined || live.has(ref));
    };
    const walk = (id: string): void => {
      for (const child of childrenOf.get(id) ?? []) {
        if (!live.has(child) || !ok(child)) continue;
        next.add(child);
        walk(child);
      }
    };
    walk(rootId);
    if (next.size === live.size) return next;
    live = next;
  }
}

function linkFlows(built: { snapshot: ElementSnapshot; element: ModdleObject }[]): void {
  for (const { snapshot, element } of built) {
    if (snapshot.type !== 'bpmn:SequenceFlow') continue;
    element.sourceRef?.get('outgoing').push(element);
    element.targetRef?.get('incoming').push(element);
  }
}

function buildDiagrams(
  moddle: ModdleObject,
  planes: PlaneInfo[],
  built: { id: string; snapshot: ElementSnapshot; element: ModdleObject }[],
  entries: Map<string, ElementSnapshot>,
  definitionsId: string
): ModdleObject[] {
  const builtIds = new Map(built.map((b) => [b.id, b.element]));
  const usable = planes.filter((p) => p.element === definitionsId || builtIds.has(p.element));
  if (usable.length === 0) {
    const first = built.find((b) => b.snapshot.parent === definitionsId);
    if (!first) return [];
    usable.push({ diagramId: 'BPMNDiagram_1', planeId: 'BPMNPlane_1', element: first.id });
  }
  const planeFor = new Map<string, ModdleObject>();
  const diagrams = usable.map((info) => {
    const plane = moddle.create('bpmndi:BPMNPlane', { id: info.planeId, bpmnElement: builtIds.get(info.element) });
    planeFor.set(info.element, plane);
    return moddle.create('bpmndi:BPMNDiagram', { id: info.diagramId, plane, ...(info.name ? { name: info.name } : {}) });
  });
  const mainPlane = diagrams[0].plane;
  const owningPlane = (id: string): ModdleObject => {
    let parent = entries.get(id)?.parent;
    while (parent !== undefined) {
      const plane = planeFor.get(parent);
      if (plane) return plane;
      parent = entries.get(parent)?.parent;
    }
    return mainPlane;
  };
  for (const { id, snapshot, element } of built) {
    if (!snapshot.bounds && !snapshot.waypoints) continue;
    const { id: diId, ...attrs } = (snapshot.di ?? {}) as JsonObject;
    const di = fromJson(moddle, { ...attrs, $type: snapshot.waypoints ? 'bpmndi:BPMNEdge' : 'bpmndi:BPMNShape' }, new Map(), []);
    di.id = (diId as string | undefined) ?? `${id}_di`;
    di.bpmnElement = element;
    if (snapshot.bounds) di.bounds = bounds(moddle, snapshot.bounds);
    if (snapshot.waypoints) di.waypoint = snapshot.waypoints.map((p) => moddle.create('dc:Point', { x: p.x, y: p.y }));
    if (snapshot.label) di.label = moddle.create('bpmndi:BPMNLabel', { bounds: bounds(moddle, snapshot.label) });
    owningPlane(id).get('planeElement').push(di);
  }
  return diagrams;
}

function bounds(moddle: ModdleObject, b: Bounds): ModdleObject {
  return moddle.create('dc:Bounds', { x: b.x, y: b.y, width: b.width, height: b.height });
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
