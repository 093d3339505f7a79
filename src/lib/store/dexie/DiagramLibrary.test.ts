import 'fake-indexeddb/auto';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { DiagramLibrary } from './DiagramLibrary.js';
import { DiagramMetaStore } from './DiagramMetaStore.js';
import { DiagramStore } from './DiagramStore.js';

function library(): DiagramLibrary {
  const deps = { indexedDB: new IDBFactory(), IDBKeyRange };
  return new DiagramLibrary(new DiagramStore({ deps }), new DiagramMetaStore({ deps }));
}

const xml = (name: string) => `<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D"><bpmn:process id="${name}"/></bpmn:definitions>`;

describe('store/dexie/DiagramLibrary', () => {
  it('keeps thumbnails and named versions beside the host store, and copies them on duplicate', async () => {
    // given a saved diagram with a thumbnail and a named version
    const lib = library();
    const created = await lib.create('Pipeline', xml('A'));
    await lib.save(created.id, 'Pipeline', xml('B'), '<svg/>');
    await lib.addNamedVersion(created.id, { name: 'reviewed', xml: xml('B'), savedAt: 1 });
    // when it is renamed and duplicated
    await lib.rename(created.id, 'Build pipeline');
    const copy = await lib.duplicate(created.id);
    // then both are listed with their thumbnails, the copy has the named version, versions count on
    const entries = await lib.list();
    expect(entries.map((entry) => [entry.name, entry.thumbnail, entry.version]).sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual([
      ['Build pipeline', '<svg/>', 2],
      ['Build pipeline (copy)', '<svg/>', 1]
    ]);
    expect((await lib.namedVersions(copy.id)).versions).toEqual([{ name: 'reviewed', xml: xml('B'), savedAt: 1 }]);
  });

  it('removes a diagram with its metadata', async () => {
    const lib = library();
    const created = await lib.create('Gone', xml('A'));
    await lib.save(created.id, 'Gone', xml('A'), '<svg/>');
    await lib.remove(created.id);
    expect(await lib.list()).toEqual([]);
    expect(await lib.namedVersions(created.id)).toEqual({ id: created.id, versions: [] });
  });
});
