/**
 * Pools, lanes and the root: what the ordered apply passes cannot change in place. bpmn-js keeps
 * lanes in lane sets it creates with random ids and turns a process diagram into a collaboration
 * (a new root) when the first pool appears; replaying that as single commands would mint different
 * ids on every client. When such structure differs between the shared doc and the canvas, the
 * binding rebuilds the canvas from the doc instead (COLLAB.md: the generator is the recovery path).
 */
import type * as Y from 'yjs';
import type { ModdleObject } from '../moddleJson.js';

/** Types whose creation, removal or move is applied by rebuilding the canvas from the doc. */
export const STRUCTURE_TYPES = new Set(['bpmn:Collaboration', 'bpmn:Process', 'bpmn:Participant', 'bpmn:LaneSet', 'bpmn:Lane']);

interface Place {
  type: string;
  parent: string;
}

/** The structural elements of a moddle definitions tree: id → type and parent id. */
export function localStructure(definitions: ModdleObject | undefined): Map<string, Place> {
  const out = new Map<string, Place>();
  if (!definitions) return out;
  const laneSet = (set: ModdleObject, parent: string): void => {
    if (!set?.id) return;
    out.set(set.id, { type: set.$type, parent });
    for (const lane of set.lanes ?? []) {
      out.set(lane.id, { type: lane.$type, parent: set.id });
      if (lane.childLaneSet) laneSet(lane.childLaneSet, lane.id);
    }
  };
  for (const root of definitions.rootElements ?? []) {
    if (!STRUCTURE_TYPES.has(root.$type)) continue;
    out.set(root.id, { type: root.$type, parent: definitions.id });
    for (const set of root.laneSets ?? []) laneSet(set, root.id);
    for (const participant of root.participants ?? []) out.set(participant.id, { type: participant.$type, parent: root.id });
  }
  return out;
}

/**
 * True when any of `ids` is a structural element that exists on one side only, or with another
 * type or parent; or when the doc's main plane shows another root than the canvas.
 */
export function structureDiffers(elements: Y.Map<Y.Map<unknown>>, definitions: ModdleObject | undefined, ids: Iterable<string>, rootId?: string, planeRoot?: string): boolean {
  if (rootId !== undefined && planeRoot !== undefined && rootId !== planeRoot) return true;
  const local = localStructure(definitions);
  for (const id of ids) {
    const entry = elements.get(id);
    const type = entry?.get('type') as string | undefined;
    const mine = local.get(id);
    if (!mine && (!type || !STRUCTURE_TYPES.has(type))) continue;
    if (!mine || !type) return true;
    if (mine.type !== type || mine.parent !== entry!.get('parent')) return true;
  }
  return false;
}
