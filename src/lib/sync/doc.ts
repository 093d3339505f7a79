/**
 * The shape of a diagram's Y.Doc (COLLAB.md): `meta`, `elements` (one Y.Map per semantic element),
 * `roots` (Message, Error, Signal, Escalation, … with their ids) and `comments`, with typed accessors.
 * Geometry (`bounds`, `waypoints`, `label`) and every `props` value are atomic JSON values:
 * a move never half-merges; different fields of one element merge per field.
 */
import * as Y from 'yjs';
import type { Json, JsonObject } from './moddleJson.js';

export const SCHEMA_VERSION = 1;

/** Origin of every transaction the local user makes; remote appliers and undo key on it. */
export const LOCAL_ORIGIN = Symbol('tessera.local');

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface Point {
  x: number;
  y: number;
}

/** Everything one element contributes to the model; `props` holds the rest of its semantics. */
export interface ElementSnapshot {
  type: string;
  /** Id of the containing element (process, sub-process, lane set, collaboration, activity, …). */
  parent: string;
  /** The parent's property holding it: flowElements, artifacts, lanes, participants, … */
  slot: string;
  /** Order within the parent's slot; ties break by id. */
  z: number;
  name?: string;
  source?: string;
  target?: string;
  host?: string;
  bounds?: Bounds;
  waypoints?: Point[];
  label?: Bounds;
  /** The DI element's own attributes: id, isExpanded, isHorizontal, colours, … */
  di?: JsonObject;
  props: Record<string, Json>;
  /** `bpmn:extensionElements` serialized as one XML block (last writer wins). */
  ext?: string;
}

export interface DiagramMeta {
  schema: number;
  definitions: JsonObject;
  planes: PlaneInfo[];
}

export interface PlaneInfo {
  diagramId: string;
  planeId: string;
  element: string;
  name?: string;
}

/** Who last changed an element (entry field `by`, written with each local change): "changed by X". */
export interface Author {
  id: string;
  name: string;
}

/** The author of the newest local change to `entry` that a client recorded, if any. */
export function authorOf(entry: Y.Map<unknown> | undefined): Author | undefined {
  const by = entry?.get('by') as Partial<Author> | undefined;
  return by && typeof by.id === 'string' && typeof by.name === 'string' ? { id: by.id, name: by.name } : undefined;
}

const FIELDS = ['type', 'parent', 'slot', 'z', 'name', 'source', 'target', 'host', 'bounds', 'waypoints', 'label', 'di', 'ext'] as const;

export const elementsOf = (doc: Y.Doc): Y.Map<Y.Map<unknown>> => doc.getMap('elements');
export const metaOf = (doc: Y.Doc): Y.Map<unknown> => doc.getMap('meta');
export const rootsOf = (doc: Y.Doc): Y.Map<JsonObject> => doc.getMap('roots');
/** DI of objects that live inside an element's props (data inputs/outputs): id → geometry. */
export const nestedDiOf = (doc: Y.Doc): Y.Map<JsonObject> => doc.getMap('nestedDi');
export const commentsOf = (doc: Y.Doc): Y.Map<JsonObject> => doc.getMap('comments');

export function readMeta(doc: Y.Doc): DiagramMeta | undefined {
  const meta = metaOf(doc);
  if (meta.get('schema') === undefined) return undefined;
  return {
    schema: meta.get('schema') as number,
    definitions: meta.get('definitions') as JsonObject,
    planes: (meta.get('planes') as PlaneInfo[] | undefined) ?? []
  };
}

export function writeMeta(doc: Y.Doc, meta: DiagramMeta): void {
  const map = metaOf(doc);
  map.set('schema', meta.schema);
  map.set('definitions', meta.definitions);
  map.set('planes', meta.planes);
}

export function readElement(entry: Y.Map<unknown>): ElementSnapshot {
  const snapshot = { props: {} } as ElementSnapshot;
  for (const field of FIELDS) {
    const value = entry.get(field);
    if (value !== undefined) (snapshot as unknown as Record<string, unknown>)[field] = value;
  }
  const props = entry.get('props');
  if (props instanceof Y.Map) snapshot.props = props.toJSON() as Record<string, Json>;
  return snapshot;
}

export function readElements(doc: Y.Doc): Map<string, ElementSnapshot> {
  const out = new Map<string, ElementSnapshot>();
  for (const [id, entry] of elementsOf(doc)) out.set(id, readElement(entry));
  return out;
}

/**
 * Upserts `snapshot` under `id`, writing only fields (and props keys) whose value changed.
 * Call inside a transaction. Returns whether anything was written.
 */
export function writeElement(elements: Y.Map<Y.Map<unknown>>, id: string, snapshot: ElementSnapshot): boolean {
  let entry = elements.get(id);
  let changed = false;
  if (!entry) {
    entry = new Y.Map<unknown>();
    entry.set('props', new Y.Map<unknown>());
    elements.set(id, entry);
    changed = true;
  }
  for (const field of FIELDS) {
    const next = snapshot[field];
    const current = entry.get(field);
    if (next === undefined) {
      if (current !== undefined) {
        entry.delete(field);
        changed = true;
      }
    } else if (!sameJson(current, next)) {
      entry.set(field, next);
      changed = true;
    }
  }
  let props = entry.get('props') as Y.Map<unknown> | undefined;
  if (!(props instanceof Y.Map)) {
    props = new Y.Map<unknown>();
    entry.set('props', props);
  }
  for (const key of [...props.keys()]) {
    if (!(key in snapshot.props)) {
      props.delete(key);
      changed = true;
    }
  }
  for (const [key, value] of Object.entries(snapshot.props)) {
    if (!sameJson(props.get(key), value)) {
      props.set(key, value);
      changed = true;
    }
  }
  return changed;
}

/**
 * An id rename (COLLAB.md: delete + create + rewrite references): moves entry `from` to `to` and
 * points every parent, end, host, `{ref}` in props and roots, and plane at `to`. Call inside a transaction.
 */
export function renameEntry(doc: Y.Doc, from: string, to: string): void {
  const elements = elementsOf(doc);
  const entry = elements.get(from);
  if (!entry || elements.has(to)) return;
  writeElement(elements, to, readElement(entry));
  if (entry.get('by') !== undefined) elements.get(to)!.set('by', entry.get('by'));
  elements.delete(from);
  for (const other of elements.values()) {
    for (const field of ['parent', 'source', 'target', 'host'] as const) if (other.get(field) === from) other.set(field, to);
    const props = other.get('props');
    if (!(props instanceof Y.Map)) continue;
    for (const [key, value] of props.entries()) {
      const next = replaceRef(value, from, to);
      if (next !== value) props.set(key, next);
    }
  }
  const roots = rootsOf(doc);
  for (const [id, value] of roots.entries()) {
    const next = replaceRef(value, from, to);
    if (next !== value) roots.set(id, next as JsonObject);
  }
  const planes = metaOf(doc).get('planes') as PlaneInfo[] | undefined;
  if (planes?.some((p) => p.element === from)) metaOf(doc).set('planes', planes.map((p) => (p.element === from ? { ...p, element: to } : p)));
}

/** `value` with every `{ ref: from }` replaced by `{ ref: to }`; the same object when nothing matched. */
function replaceRef(value: unknown, from: string, to: string): unknown {
  if (Array.isArray(value)) {
    const next = value.map((v) => replaceRef(v, from, to));
    return next.some((v, i) => v !== value[i]) ? next : value;
  }
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  if (record.ref === from && Object.keys(record).length === 1) return { ref: to };
  let changed = false;
  const next: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(record)) {
    next[key] = replaceRef(v, from, to);
    if (next[key] !== v) changed = true;
  }
  return changed ? next : value;
}

export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
