/**
 * What a Yjs update would change in a doc, read before it is applied: each inserted item with the
 * top-level type it lands in, and the top-level type of each deleted range. Yjs writes an item's
 * parent only when it has no left/right origin, so the others are placed through their origin,
 * looked up in the doc or earlier in the same update.
 */
import * as Y from 'yjs';

export interface InsertTouch {
  /** The top-level type's name, or undefined when the item cannot be placed (missing origin). */
  root: string | undefined;
  item: Y.Item;
}

export interface UpdateTouches {
  inserts: InsertTouch[];
  /** Top-level types of content the update deletes that is live in the doc (undefined: unknown content). */
  deletes: (string | undefined)[];
}

type Id = { client: number; clock: number };

/** Decodes a V1 update against `doc` (which it does not change). */
export function updateTouches(doc: Y.Doc, update: Uint8Array): UpdateTouches {
  const { structs, ds } = Y.decodeUpdate(update) as { structs: unknown[]; ds: { clients: Map<number, { clock: number; len: number }[]> } };
  // Items the doc already has are ignored by Yjs (a resent update): nothing to decide about them.
  const items = structs.filter((s): s is Y.Item => s instanceof Y.Item && Y.getState(doc.store, s.id.client) < s.id.clock + s.length);
  const placed = new Map<Y.Item, string | undefined>();
  const local = (id: Id): Y.Item | undefined => items.find((i) => i.id.client === id.client && i.id.clock <= id.clock && id.clock < i.id.clock + i.length);

  const rootOfId = (id: Id | null, depth: number): string | undefined => {
    if (!id || depth > items.length) return undefined;
    if (Y.getState(doc.store, id.client) > id.clock) return rootOfStored(doc, id);
    const item = local(id);
    return item ? rootOfItem(item, depth + 1) : undefined;
  };
  const rootOfItem = (item: Y.Item, depth: number): string | undefined => {
    if (placed.has(item)) return placed.get(item);
    const parent = item.parent as unknown;
    let root: string | undefined;
    if (typeof parent === 'string') root = parent;
    else if (parent instanceof Y.ID) root = rootOfId(parent, depth);
    else root = rootOfId(item.origin, depth) ?? rootOfId(item.rightOrigin, depth);
    placed.set(item, root);
    return root;
  };

  const inserts = items.map((item) => ({ root: rootOfItem(item, 0), item }));
  const deletes: (string | undefined)[] = [];
  for (const [client, ranges] of ds.clients) {
    for (const { clock, len } of ranges) {
      for (let at = clock; at < clock + len; ) {
        const id = { client, clock: at };
        if (Y.getState(doc.store, client) > at) {
          const stored = Y.getItem(doc.store, Y.createID(client, at)) as Y.Item | Y.AbstractStruct;
          // A sync step 2 carries the sender's whole delete set: content already deleted (or
          // garbage-collected) here changes nothing and is no decision.
          if (stored instanceof Y.Item && !stored.deleted) deletes.push(rootOfStored(doc, id));
          at = stored.id.clock + Math.max(1, stored.length);
        } else {
          const item = local(id);
          deletes.push(item ? rootOfItem(item, 0) : undefined);
          at = item ? item.id.clock + item.length : clock + len;
        }
      }
    }
  }
  return { inserts, deletes };
}

/** The top-level type name of a stored struct (undefined for garbage-collected content). */
function rootOfStored(doc: Y.Doc, id: Id): string | undefined {
  const struct = Y.getItem(doc.store, Y.createID(id.client, id.clock)) as Y.Item | Y.AbstractStruct;
  if (!(struct instanceof Y.Item)) return undefined;
  let type = struct.parent as Y.AbstractType<unknown> | null;
  // Nested types: climb to the top-level one.
  while (type && type._item) type = type._item.parent as Y.AbstractType<unknown> | null;
  if (!type) return undefined;
  const key = Y.findRootTypeKey(type);
  return typeof key === 'string' ? key : undefined;
}
