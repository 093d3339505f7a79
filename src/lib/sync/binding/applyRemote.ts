/**
 * Shared → local: applies the entries of `ids` to the canvas in ordered passes with explicit ids
 * (COLLAB.md): 1 deletions, connections first; 2 creations, parents before children, hosts before
 * boundary events, connections once both ends exist; 3 geometry with layout off; 4 waypoints;
 * 5 semantics through modeling. Then a repair diff: what a behavior changed is put back.
 */
import type * as Y from 'yjs';
import { readElement, sameJson, type ElementSnapshot } from '../doc.js';
import { fromJson, resolveRefs, type Json, type ModdleObject, type PendingRef } from '../moddleJson.js';
import { ownerOf, snapshotOfElement, type DiagramElement } from './captureLocal.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- bpmn-js services are untyped here */
export interface Services {
  elementRegistry: any;
  modeling: any;
  elementFactory: any;
  bpmnFactory: any;
  canvas: any;
  moddle: any;
}

type Shape = DiagramElement & { x: number; y: number; width: number; height: number; host?: Shape; label?: Shape; source?: Shape; target?: Shape };

/** Parses the extension blocks of `ids` (moddle reads XML asynchronously), before applying. */
export async function parseExtensions(services: Services, elements: Y.Map<Y.Map<unknown>>, ids: Set<string>): Promise<Map<string, ModdleObject>> {
  const ext = new Map<string, ModdleObject>();
  for (const id of ids) {
    const xml = elements.get(id)?.get('ext');
    if (typeof xml === 'string') ext.set(id, (await services.moddle.fromXML(xml, 'bpmn:ExtensionElements')).rootElement);
  }
  return ext;
}

export function applyRemote(services: Services, elements: Y.Map<Y.Map<unknown>>, ids: Set<string>, ext: Map<string, ModdleObject>): string[] {
  const { elementRegistry: registry, modeling } = services;
  const wanted = new Map<string, ElementSnapshot>();
  for (const id of ids) {
    const entry = elements.get(id);
    if (entry) wanted.set(id, readElement(entry));
  }
  const before = new Set<string>(registry.getAll().map((e: DiagramElement) => e.id));

  // 1. deletions (and type changes: delete, then create again), connections first
  const doomed = [...ids]
    .map((id) => registry.get(id) as Shape | undefined)
    .filter((e): e is Shape => !!e && ownerOf(e) === e && (!wanted.has(e.id) || wanted.get(e.id)!.type !== e.businessObject.$type));
  doomed.sort((a, b) => Number(!a.waypoints) - Number(!b.waypoints));
  for (const element of doomed) if (registry.get(element.id)) modeling.removeElements([element]);

  // 2. creations with explicit ids, as long as something can be placed
  let pending = [...wanted.entries()].filter(([id, s]) => !registry.get(id) && (s.bounds || s.waypoints));
  for (let progress = true; progress && pending.length > 0; ) {
    progress = false;
    for (const [id, snapshot] of pending) {
      if (create(services, id, snapshot, ext.get(id)) && registry.get(id)) progress = true;
    }
    pending = pending.filter(([id]) => !registry.get(id));
  }

  // 3. geometry, 4. waypoints, 5. semantics
  for (const [id, snapshot] of wanted) applyGeometry(services, registry.get(id), snapshot);
  for (const [id, snapshot] of wanted) applyWaypoints(services, registry.get(id), snapshot);
  for (const [id, snapshot] of wanted) applySemantics(services, elements, registry.get(id), snapshot, ext.get(id));

  // repair: behaviors may create elements (a start event inside a new sub-process) or move things
  const repaired: string[] = [];
  for (const element of registry.getAll() as Shape[]) {
    if (before.has(element.id) || ownerOf(element) !== element || elements.has(element.businessObject.id)) continue;
    if (!element.parent) continue;
    repaired.push(`${element.id}: created by a behavior, not in the shared doc`);
    if (registry.get(element.id)) modeling.removeElements([element]);
  }
  for (const [id, snapshot] of wanted) {
    const element = registry.get(id) as Shape | undefined;
    if (!element) continue;
    const local = snapshotOfElement(elements, element);
    if (!sameJson(local.bounds, snapshot.bounds) || (snapshot.waypoints && !sameJson(local.waypoints, snapshot.waypoints))) {
      repaired.push(`${id}: geometry`);
      applyGeometry(services, element, snapshot);
      applyWaypoints(services, element, snapshot);
    }
  }
  return repaired;
}

function create(services: Services, id: string, snapshot: ElementSnapshot, ext: ModdleObject | undefined): boolean {
  const { elementRegistry: registry, modeling, elementFactory, bpmnFactory } = services;
  const parent = containerShape(services, snapshot.parent);
  if (!parent) return false;
  const bo = bpmnFactory.create(snapshot.type, { id });
  hydrate(services, bo, snapshot, ext);
  if (snapshot.waypoints) {
    const source = snapshot.source ? registry.get(snapshot.source) : undefined;
    const target = snapshot.target ? registry.get(snapshot.target) : undefined;
    if (!source || !target) return false;
    const connection = elementFactory.createConnection({ type: snapshot.type, businessObject: bo, waypoints: snapshot.waypoints });
    modeling.createConnection(source, target, connection, parent.waypoints ? parent.parent : parent);
    return true;
  }
  const host = snapshot.host ? registry.get(snapshot.host) : undefined;
  if (snapshot.host && !host) return false;
  const b = snapshot.bounds!;
  const attrs: Record<string, unknown> = { type: snapshot.type, businessObject: bo, width: b.width, height: b.height };
  if (snapshot.di?.isExpanded !== undefined) attrs.isExpanded = snapshot.di.isExpanded;
  const shape = elementFactory.createShape(attrs);
  const center = { x: b.x + b.width / 2, y: b.y + b.height / 2 };
  modeling.createShape(shape, center, host ?? parent, host ? { attach: true } : {});
  return true;
}

/**
 * The shape that holds children of semantic parent `id`: the root, the element's shape, a drilled-down
 * sub-process plane, or the pool whose process it is (flow nodes of a pool live in its process).
 */
function containerShape(services: Services, id: string, planes = true): Shape | undefined {
  const { elementRegistry: registry, canvas } = services;
  const root = canvas.getRootElement() as Shape;
  if (id === root.businessObject.id) return root;
  const own = registry.get(id) ?? (planes ? registry.get(`${id}_plane`) : undefined);
  if (own) return own;
  return registry.find((e: Shape) => e.type === 'bpmn:Participant' && e.businessObject.processRef?.id === id);
}

function hydrate(services: Services, bo: ModdleObject, snapshot: ElementSnapshot, ext: ModdleObject | undefined): void {
  if (snapshot.name !== undefined) bo.name = snapshot.name;
  for (const [key, value] of Object.entries(snapshot.props)) bo.set(key, toModdle(services, key, value, bo));
  if (ext) bo.extensionElements = ext;
}

function applyGeometry(services: Services, element: Shape | undefined, snapshot: ElementSnapshot): void {
  if (!element || !snapshot.bounds || element.waypoints) return;
  const { modeling } = services;
  const b = snapshot.bounds;
  const parent = containerShape(services, snapshot.parent, false);
  const reparent = parent && element.parent && parent !== element.parent && !element.host ? parent : undefined;
  if (b.width !== element.width || b.height !== element.height) {
    modeling.resizeShape(element, { x: element.x, y: element.y, width: b.width, height: b.height }, null, { layout: false });
  }
  const delta = { x: b.x - element.x, y: b.y - element.y };
  if (delta.x !== 0 || delta.y !== 0 || reparent) modeling.moveShape(element, delta, reparent, undefined, { layout: false, recurse: false });
  if (snapshot.label && element.label) {
    const l = snapshot.label;
    const label = element.label;
    const d = { x: l.x - label.x, y: l.y - label.y };
    if (d.x !== 0 || d.y !== 0) modeling.moveShape(label, d, undefined, undefined, { layout: false });
  }
}

function applyWaypoints(services: Services, element: Shape | undefined, snapshot: ElementSnapshot): void {
  if (!element?.waypoints || !snapshot.waypoints) return;
  const { modeling, elementRegistry: registry } = services;
  const source = snapshot.source ? registry.get(snapshot.source) : element.source;
  const target = snapshot.target ? registry.get(snapshot.target) : element.target;
  if (source && target && (source !== element.source || target !== element.target)) {
    modeling.reconnect(element, source, target, snapshot.waypoints);
  } else if (!sameJson(element.waypoints.map((p) => ({ x: p.x, y: p.y })), snapshot.waypoints)) {
    modeling.updateWaypoints(element, snapshot.waypoints);
  }
}

function applySemantics(
  services: Services,
  elements: Y.Map<Y.Map<unknown>>,
  element: Shape | undefined,
  snapshot: ElementSnapshot,
  ext: ModdleObject | undefined
): void {
  if (!element) return;
  const { modeling } = services;
  const bo = element.businessObject;
  const local = snapshotOfElement(elements, element);
  const changes: Record<string, unknown> = {};
  if ((bo.name ?? undefined) !== snapshot.name) changes.name = snapshot.name;
  for (const key of new Set([...Object.keys(local.props), ...Object.keys(snapshot.props)])) {
    if (!sameJson(local.props[key], snapshot.props[key])) {
      changes[key] = snapshot.props[key] === undefined ? undefined : toModdle(services, key, snapshot.props[key]!, bo);
    }
  }
  if (local.ext !== snapshot.ext) changes.extensionElements = ext;
  if (Object.keys(changes).length > 0) modeling.updateProperties(element, changes);
}

/** A props value → moddle: contained objects created, `{ref}` resolved against what the canvas has. */
function toModdle(services: Services, key: string, value: Json, bo: ModdleObject): unknown {
  const refs: PendingRef[] = [];
  const byId = new Map<string, ModdleObject>();
  const created = fromJson(services.moddle, { $type: bo.$type, [key]: value }, byId, refs);
  for (const ref of refs) for (const id of ref.ids) if (!byId.has(id)) {
    const found = services.elementRegistry.get(id)?.businessObject ?? findRoot(services, id);
    if (found) byId.set(id, found);
  }
  resolveRefs(refs, byId);
  const result = created.get(key);
  for (const child of Array.isArray(result) ? result : [result]) if (child && typeof child === 'object' && '$type' in child) child.$parent = bo;
  return result;
}

function findRoot(services: Services, id: string): ModdleObject | undefined {
  const definitions = services.canvas.getRootElement().businessObject.$parent;
  return definitions?.rootElements?.find((r: ModdleObject) => r.id === id);
}
