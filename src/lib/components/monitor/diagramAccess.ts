/** The slices of diagram-js services the monitor uses, typed narrowly, and the flow graph read from a diagram. */
import type { FlowGraph } from '../../monitor/runView.js';

export interface DiagramElement {
  id: string;
  type: string;
  width?: number;
  height?: number;
  waypoints?: { x: number; y: number }[];
  businessObject: { sourceRef?: { id: string }; targetRef?: { id: string }; outgoing?: { id: string }[]; name?: string };
}

/** The visible part of the diagram: its top-left corner and size in diagram units, and the zoom. */
export interface Viewbox {
  x: number;
  y: number;
  width: number;
  height: number;
  scale: number;
}

export interface Canvas {
  zoom(level: 'fit-viewport' | number): number;
  viewbox(): Viewbox;
  /** The element diagram-js draws into (position: relative). */
  getContainer(): HTMLElement;
  addMarker(id: string, marker: string): void;
  removeMarker(id: string, marker: string): void;
  getLayer(name: string, index?: number): Element;
  scrollToElement(id: string): void;
}

export interface Overlays {
  add(element: string, type: string, overlay: { position: Record<string, number>; html: HTMLElement | string }): string;
  remove(filter: { type?: string; element?: string }): void;
}

export interface ElementRegistry {
  get(id: string): DiagramElement | undefined;
  getAll(): DiagramElement[];
}

const CHOICE = new Set(['bpmn:ExclusiveGateway', 'bpmn:InclusiveGateway', 'bpmn:EventBasedGateway']);

export function buildGraph(registry: ElementRegistry): FlowGraph {
  const graph: FlowGraph = { flows: {}, choices: {} };
  const all = registry.getAll();
  const choice = new Set(all.filter((e) => CHOICE.has(e.type)).map((e) => e.id));
  // From the flows' sourceRef: a gateway's `outgoing` list is only there when the XML spells it out.
  for (const element of all) {
    const bo = element.businessObject;
    if (element.type !== 'bpmn:SequenceFlow' || !bo.sourceRef || !bo.targetRef) continue;
    graph.flows[element.id] = { source: bo.sourceRef.id, target: bo.targetRef.id };
    if (choice.has(bo.sourceRef.id)) (graph.choices[bo.sourceRef.id] ??= []).push(element.id);
  }
  for (const [gateway, flows] of Object.entries(graph.choices)) if (flows.length < 2) delete graph.choices[gateway];
  return graph;
}

/** Element id → name (or id), for timelines and tables. */
export function elementNames(registry: ElementRegistry): Record<string, string> {
  const names: Record<string, string> = {};
  for (const element of registry.getAll()) names[element.id] = element.businessObject.name || element.id;
  return names;
}
