/** Lookups over a compiled model, computed once per model (the model is frozen, so a memo is safe). */
import type { FlowNode, ProcessModel, Scope, SequenceFlow } from './definition/model.js';

export interface ModelIndex {
  nodes: Readonly<Record<string, FlowNode>>;
  flows: Readonly<Record<string, SequenceFlow>>;
  scopes: Readonly<Record<string, Scope>>;
  /** Nodes a token at `from` can still reach inside its scope (flows and boundary events). */
  reaches(from: string, to: string): boolean;
}

const memo = new WeakMap<ProcessModel, ModelIndex>();

/** The index of a model (built on first use). */
export function indexModel(model: ProcessModel): ModelIndex {
  const known = memo.get(model);
  if (known) return known;
  const nodes: Record<string, FlowNode> = {};
  const flows: Record<string, SequenceFlow> = {};
  const scopes: Record<string, Scope> = {};
  for (const process of Object.values(model.processes)) {
    Object.assign(nodes, process.nodes);
    Object.assign(flows, process.flows);
    Object.assign(scopes, process.scopes);
  }
  const reach = new Map<string, Set<string>>();
  const reaches = (from: string, to: string): boolean => {
    let set = reach.get(from);
    if (!set) {
      set = reachable(from, nodes, flows);
      reach.set(from, set);
    }
    return set.has(to);
  };
  const index: ModelIndex = { nodes, flows, scopes, reaches };
  memo.set(model, index);
  return index;
}

function reachable(from: string, nodes: Record<string, FlowNode>, flows: Record<string, SequenceFlow>): Set<string> {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const id = stack.pop()!;
    const node = nodes[id];
    if (!node) continue;
    const next = [...node.outgoing.map((f) => flows[f]?.target ?? ''), ...node.boundaryEvents];
    for (const target of next) {
      if (target && !seen.has(target)) {
        seen.add(target);
        stack.push(target);
      }
    }
  }
  return seen;
}
