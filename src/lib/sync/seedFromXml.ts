/** BPMN XML → a diagram Y.Doc (COLLAB.md schema). Only a room's creator seeds an empty room. */
import type * as Y from 'yjs';
import { elementsOf, nestedDiOf, rootsOf, SCHEMA_VERSION, writeElement, writeMeta, type PlaneInfo } from './doc.js';
import { createModdle, toJson, type JsonObject, type ModdleObject } from './moddleJson.js';
import { snapshotOf, STRUCTURAL_ROOTS, STRUCTURAL_SLOTS } from './snapshot.js';

export interface SeedResult {
  warnings: string[];
  elements: number;
}

export async function seedFromXml(doc: Y.Doc, xml: string, origin: unknown = null): Promise<SeedResult> {
  const moddle = createModdle();
  const { rootElement: definitions, warnings } = await moddle.fromXML(xml, 'bpmn:Definitions');
  seedFromDefinitions(doc, definitions, origin);
  return { warnings: (warnings as { message: string }[]).map((w) => w.message), elements: elementsOf(doc).size };
}

export function seedFromDefinitions(doc: Y.Doc, definitions: ModdleObject, origin: unknown = null): void {
  const diOf = new Map<string, ModdleObject>();
  const planes: PlaneInfo[] = [];
  for (const diagram of definitions.diagrams ?? []) {
    const plane = diagram.plane;
    if (!plane) continue;
    if (plane.bpmnElement?.id) {
      planes.push({ diagramId: diagram.id, planeId: plane.id, element: plane.bpmnElement.id, ...(diagram.name ? { name: diagram.name } : {}) });
    }
    for (const di of plane.planeElement ?? []) if (di.bpmnElement?.id && !diOf.has(di.bpmnElement.id)) diOf.set(di.bpmnElement.id, di);
  }
  const definitionsJson = toJson(definitions, new Set(['rootElements', 'diagrams']));
  const elements = elementsOf(doc);
  const roots = rootsOf(doc);
  const seen = new Set<string>();
  doc.transact(() => {
    writeMeta(doc, { schema: SCHEMA_VERSION, definitions: definitionsJson, planes });
    (definitions.rootElements ?? []).forEach((root: ModdleObject, index: number) => {
      if (STRUCTURAL_ROOTS.has(root.$type)) walk(root, definitions.id ?? 'definitions', 'rootElements', index);
      else if (root.id) roots.set(root.id, { ...toJson(root), z: index });
    });
    // DI of objects nested in props (data inputs/outputs of an ioSpecification).
    for (const [id, di] of diOf) {
      if (seen.has(id)) continue;
      const { props: _p, type: _t, parent: _pa, slot: _s, z: _z, ...geometry } = snapshotOf(di.bpmnElement, di, '', '', 0);
      nestedDiOf(doc).set(id, geometry as JsonObject);
    }
  }, origin);

  function walk(element: ModdleObject, parent: string, slot: string, z: number): void {
    if (!element.id) element.id = `${parent}_${slot}_${z}`;
    seen.add(element.id);
    writeElement(elements, element.id, snapshotOf(element, diOf.get(element.id), parent, slot, z));
    for (const childSlot of STRUCTURAL_SLOTS) {
      const value = element[childSlot];
      if (!value) continue;
      const children: ModdleObject[] = Array.isArray(value) ? value : [value];
      children.forEach((child, index) => walk(child, element.id, childSlot, index));
    }
  }
}
