/** Camunda 8 variable scoping over the run's scope instances. */
import type { RunState } from './state.js';

/** Every variable visible from `scope`: inner scopes shadow outer ones. */
export function visibleVariables(state: RunState, scope: string): Record<string, unknown> {
  const chain: Record<string, unknown>[] = [];
  let current: string | null = scope;
  while (current !== null) {
    const entry: RunState['scopes'][string] | undefined = state.scopes[current];
    if (!entry) break;
    chain.push(entry.vars);
    current = entry.parent;
  }
  const out: Record<string, unknown> = {};
  for (let i = chain.length - 1; i >= 0; i--) Object.assign(out, chain[i]);
  return out;
}

/** The scope a write of `name` lands in: the nearest that defines it, else the outermost (the root, or a called process's). */
export function scopeDefining(state: RunState, from: string, name: string): string {
  let current: string | null = from;
  let top = state.root;
  while (current !== null) {
    const entry: RunState['scopes'][string] | undefined = state.scopes[current];
    if (!entry) break;
    if (Object.prototype.hasOwnProperty.call(entry.vars, name)) return current;
    top = current;
    current = entry.parent;
  }
  return top;
}

/** Value of `vars[target]` after writing `value` at a dotted path (`a.b.c`), copying as it goes. */
export function writePath(vars: Record<string, unknown>, target: string, value: unknown): [string, unknown] {
  const [head, ...rest] = target.split('.');
  const name = head ?? target;
  if (rest.length === 0) return [name, value];
  return [name, setIn(vars[name], rest, value)];
}

function setIn(base: unknown, path: string[], value: unknown): unknown {
  const [key, ...rest] = path;
  if (key === undefined) return value;
  const object = base !== null && typeof base === 'object' && !Array.isArray(base) ? (base as Record<string, unknown>) : {};
  return { ...object, [key]: setIn(object[key], rest, value) };
}
