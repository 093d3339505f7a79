/** Input and output mappings, and where completion variables land (Camunda 8 rules). */
import type { Mapping } from '../definition/model.js';
import type { Stepper } from '../Stepper.js';
import { scopeDefining, writePath } from '../variables.js';

export type Writes = Record<string, Record<string, unknown>>;
type Outcome<T> = { ok: true; value: T } | { ok: false; message: string };

/** Evaluates input mappings in order (each sees the ones before it): the instance's local variables. */
export function evaluateInputs(s: Stepper, inputs: readonly Mapping[], scope: string, seed: Record<string, unknown>): Outcome<Record<string, unknown>> {
  const local: Record<string, unknown> = { ...seed };
  for (const input of inputs) {
    const outcome = s.feel(input.source, scope, local);
    if (!outcome.ok) return { ok: false, message: `input mapping ${input.target}: ${outcome.message}` };
    const [name, value] = writePath(local, input.target, outcome.value);
    local[name] = value;
  }
  return { ok: true, value: local };
}

/**
 * Variable writes when an element completes. With output mappings, only their targets leave the
 * element; without, each result variable goes to the nearest scope defining it (local first).
 */
export function completionWrites(
  s: Stepper,
  outputs: readonly Mapping[] | undefined,
  parent: string,
  local: Record<string, unknown> | undefined,
  result: Record<string, unknown> | undefined
): Outcome<Writes> {
  const writes: Writes = {};
  if (outputs && outputs.length > 0) {
    const extra = { ...(local ?? {}), ...(result ?? {}) };
    for (const output of outputs) {
      const outcome = s.feel(output.source, parent, extra);
      if (!outcome.ok) return { ok: false, message: `output mapping ${output.target}: ${outcome.message}` };
      put(s, writes, parent, output.target, outcome.value);
    }
    return { ok: true, value: writes };
  }
  for (const [name, value] of Object.entries(result ?? {})) {
    if (local && Object.prototype.hasOwnProperty.call(local, name)) continue;
    put(s, writes, parent, name, value);
  }
  return { ok: true, value: writes };
}

/** Adds a write of `target` (a name or dotted path) to the nearest scope defining its root name. */
export function put(s: Stepper, writes: Writes, from: string, target: string, value: unknown): void {
  const root = target.split('.')[0] ?? target;
  const scope = scopeDefining(s.state, from, root);
  const current = { ...(s.state.scopes[scope]?.vars ?? {}), ...(writes[scope] ?? {}) };
  const [name, next] = writePath(current, target, value);
  writes[scope] = { ...(writes[scope] ?? {}), [name]: next };
}
