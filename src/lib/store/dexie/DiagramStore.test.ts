import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { DiagramStore } from './DiagramStore.js';

let counter = 0;
const open = () => new DiagramStore({ name: `diagrams-${++counter}`, deps: { indexedDB, IDBKeyRange } });

describe('store/dexie/DiagramStore', () => {
  it('saves versions only when the XML changes, and reads the latest back', async () => {
    // given a diagram saved twice with the same XML and once with new XML
    const store = open();
    await store.save('d1', 'Order', '<a/>', 1);
    await store.save('d1', 'Order', '<a/>', 2);
    const latest = await store.save('d1', 'Order v2', '<b/>', 3);
    // then it has two versions and the latest XML and name
    expect(latest).toMatchObject({ id: 'd1', name: 'Order v2', version: 2, updatedAt: 3 });
    expect(await store.get('d1')).toMatchObject({ xml: '<b/>', version: 2 });
    expect(await store.versionHashes('d1')).toHaveLength(2);
    expect(await store.get('nope')).toBeUndefined();
    store.close();
  });

  it('lists diagrams newest first and removes them', async () => {
    const store = open();
    await store.save('old', 'Old', '<a/>', 1);
    await store.save('new', 'New', '<b/>', 5);
    expect((await store.list()).map((d) => d.id)).toEqual(['new', 'old']);
    await store.remove('old');
    expect((await store.list()).map((d) => d.id)).toEqual(['new']);
    store.close();
  });
});
