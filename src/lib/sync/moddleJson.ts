/**
 * Generic moddle ⇄ plain JSON: every descriptor property of an element, contained objects
 * recursively (with their ids), references as `{ ref: id }`, unknown attributes under `$attrs`.
 * Used for an element's `props` and for `roots`; plain JSON is what a Y.Map stores atomically.
 */
import { BpmnModdle } from 'bpmn-moddle';
import { moddleExtensions } from '../modeler/moddleExtensions.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/* eslint-disable @typescript-eslint/no-explicit-any -- moddle objects are untyped reflection */
export type ModdleObject = any;

interface PropertyDescriptor {
  name: string;
  isMany?: boolean;
  isReference?: boolean;
  isAttr?: boolean;
  type: string;
}

export function createModdle(): ModdleObject {
  return new BpmnModdle(moddleExtensions as any);
}

/** Serializes `element`'s properties except `skip`; `undefined` when nothing is left. */
export function toJson(element: ModdleObject, skip: ReadonlySet<string> = new Set()): JsonObject {
  const out: JsonObject = { $type: element.$type };
  for (const property of descriptorProperties(element)) {
    if (skip.has(property.name)) continue;
    const value = element.get ? element.get(property.name) : element[property.name];
    if (value === undefined || value === null) continue;
    if (property.isMany && Array.isArray(value) && value.length === 0) continue;
    out[property.name] = property.isReference
      ? property.isMany
        ? (value as ModdleObject[]).filter((v) => v?.id).map((v) => ({ ref: v.id }))
        : value.id !== undefined
          ? { ref: value.id }
          : null
      : property.isMany
        ? (value as unknown[]).map(valueToJson)
        : valueToJson(value);
    if (out[property.name] === null) delete out[property.name];
  }
  const attrs = element.$attrs as Record<string, string> | undefined;
  if (attrs && Object.keys(attrs).length > 0) out.$attrs = { ...attrs };
  return out;
}

function valueToJson(value: unknown): Json {
  if (value && typeof value === 'object' && (value as ModdleObject).$descriptor?.isGeneric) return genericToJson(value);
  if (value && typeof value === 'object' && '$type' in value) return toJson(value);
  if (Array.isArray(value)) return value.map(valueToJson);
  return value as Json;
}

/** Reference holes left by `fromJson`, filled by `resolveRefs` once every object exists. */
export interface PendingRef {
  target: ModdleObject;
  name: string;
  ids: string[];
  many: boolean;
}

/** Creates the moddle object for `json`; registers ids in `byId`; records references in `refs`. */
export function fromJson(moddle: ModdleObject, json: JsonObject, byId: Map<string, ModdleObject>, refs: PendingRef[]): ModdleObject {
  if (typeof json.$any === 'string') return genericFromJson(moddle, json);
  const element = moddle.create(json.$type as string);
  const descriptors = new Map(descriptorProperties(element).map((p) => [p.name, p]));
  for (const [name, value] of Object.entries(json)) {
    if (name === '$type' || value === undefined) continue;
    if (name === '$attrs') {
      for (const [k, v] of Object.entries(value as JsonObject)) element.$attrs[k] = v;
      continue;
    }
    const property = descriptors.get(name);
    if (property?.isReference) {
      const ids = (property.isMany ? (value as JsonObject[]) : [value as JsonObject]).map((r) => String(r.ref));
      refs.push({ target: element, name, ids, many: !!property.isMany });
      continue;
    }
    element.set(name, jsonToValue(moddle, value, byId, refs));
  }
  if (typeof element.id === 'string') byId.set(element.id, element);
  return element;
}

function jsonToValue(moddle: ModdleObject, value: Json, byId: Map<string, ModdleObject>, refs: PendingRef[]): unknown {
  if (Array.isArray(value)) return value.map((v) => jsonToValue(moddle, v, byId, refs));
  if (value && typeof value === 'object' && typeof value.$type === 'string') {
    const child = fromJson(moddle, value, byId, refs);
    return child;
  }
  return value;
}

/** Fills references; ids that resolve to nothing are dropped (a merge may delete a target). */
export function resolveRefs(refs: PendingRef[], byId: Map<string, ModdleObject>): void {
  for (const ref of refs) {
    const found = ref.ids.map((id) => byId.get(id)).filter((v) => v !== undefined);
    if (ref.many) ref.target.set(ref.name, found);
    else if (found[0]) ref.target.set(ref.name, found[0]);
  }
}

/** Sets `$parent` on contained objects (the XML writer and bpmn-js rely on it). */
export function linkParents(element: ModdleObject): void {
  for (const property of descriptorProperties(element)) {
    if (property.isReference || property.isAttr) continue;
    const value = element[property.name];
    const children = Array.isArray(value) ? value : [value];
    for (const child of children) {
      if (child && typeof child === 'object' && '$type' in child) {
        child.$parent = element;
        linkParents(child);
      }
    }
  }
}

/** An element of a namespace no loaded schema knows (`<triso:…>` outside extensionElements). */
function genericToJson(value: ModdleObject): JsonObject {
  const out: JsonObject = { $type: value.$type, $any: value.$descriptor.ns?.uri ?? value.$descriptor.uri ?? '' };
  for (const [key, v] of Object.entries(value)) {
    if (key === '$parent' || key === '$type' || key === '$descriptor' || key === '$model' || v === undefined) continue;
    out[key] = key === '$children' ? (v as ModdleObject[]).map(genericToJson) : (v as Json);
  }
  return out;
}

function genericFromJson(moddle: ModdleObject, json: JsonObject): ModdleObject {
  const { $type, $any, $children, ...rest } = json;
  const element = moddle.createAny($type as string, $any as string, rest);
  if (Array.isArray($children)) element.$children = $children.map((c) => genericFromJson(moddle, c as JsonObject));
  return element;
}

function descriptorProperties(element: ModdleObject): PropertyDescriptor[] {
  return (element.$descriptor?.properties ?? []) as PropertyDescriptor[];
}
