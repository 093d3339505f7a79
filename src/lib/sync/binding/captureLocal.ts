/**
 * Local → shared: a bpmn-js element → its snapshot, parents and slots derived from the moddle tree.
 * Labels fold into their owner; structural ancestors without a shape (a lane set) are upserted too.
 */
import type * as Y from 'yjs';
import { readElement, writeElement, type ElementSnapshot } from '../doc.js';
import type { ModdleObject } from '../moddleJson.js';
import { snapshotOf, STRUCTURAL_ROOTS, STRUCTURAL_SLOTS } from '../snapshot.js';

export interface DiagramElement {
  id: string;
  type: string;
  parent?: DiagramElement;
  labelTarget?: DiagramElement;
  businessObject: ModdleObject;
  di?: ModdleObject;
  waypoints?: { x: number; y: number }[];
}

/** The element whose entry a changed diagram element belongs to (labels → owner), or undefined. */
export function ownerOf(element: DiagramElement): DiagramElement | undefined {
  const owner = element.labelTarget ?? element;
  const bo = owner.businessObject;
  if (!bo?.id) return undefined;
  // The root of a drilled-down sub-process plane stands for the sub-process: its shape owns the entry.
  if (!owner.parent && !STRUCTURAL_ROOTS.has(bo.$type)) return undefined;
  return owner;
}

export function snapshotOfElement(elements: Y.Map<Y.Map<unknown>>, element: DiagramElement): ElementSnapshot {
  const bo = element.businessObject;
  const { parentId, slot } = placeOf(bo);
  const existing = elements.get(bo.id);
  const z = existing ? (existing.get('z') as number) : nextZ(elements, parentId);
  return snapshotOf(bo, element.parent ? element.di : undefined, parentId, slot, z);
}

/** Upserts ancestors that have no shape of their own (lane sets) so the tree stays connected. */
export function ensureAncestors(elements: Y.Map<Y.Map<unknown>>, bo: ModdleObject): void {
  let parent = bo.$parent;
  while (parent && parent.$type !== 'bpmn:Definitions' && parent.id && !elements.has(parent.id)) {
    const { parentId, slot } = placeOf(parent);
    writeElement(elements, parent.id, snapshotOf(parent, undefined, parentId, slot, nextZ(elements, parentId)));
    parent = parent.$parent;
  }
}

function placeOf(bo: ModdleObject): { parentId: string; slot: string } {
  const parent = bo.$parent;
  if (!parent) return { parentId: '', slot: 'flowElements' };
  if (parent.$type === 'bpmn:Definitions') return { parentId: parent.id, slot: 'rootElements' };
  for (const slot of STRUCTURAL_SLOTS) {
    const value = parent[slot];
    if (value === bo || (Array.isArray(value) && value.includes(bo))) return { parentId: parent.id, slot };
  }
  return { parentId: parent.id, slot: 'flowElements' };
}

function nextZ(elements: Y.Map<Y.Map<unknown>>, parentId: string): number {
  let z = -1;
  for (const entry of elements.values()) if (entry.get('parent') === parentId) z = Math.max(z, readElement(entry).z);
  return z + 1;
}
