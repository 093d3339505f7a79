/**
 * The variables after record N: a fold of the run record's start variables, the scopes records
 * create (`data.local`) and the writes they carry (`data.vars`, scope → name → value) — the
 * same writes the engine's reducer applies, without needing the compiled model.
 */
import type { TokenRecord } from '../engine/chain/record.js';

export interface VariablesAt {
  /** The run's root scope. */
  root: Record<string, unknown>;
  /** Other (local) scopes by instance id, with their element. */
  scopes: Record<string, { node: string; vars: Record<string, unknown> }>;
  /** The seq this state is after (-1 when there are no records). */
  seq: number;
}

interface Data {
  variables?: Record<string, unknown>;
  local?: Record<string, unknown>;
  vars?: Record<string, Record<string, unknown>>;
}

export function variablesAt(records: readonly TokenRecord[], seq: number): VariablesAt {
  let root: Record<string, unknown> = {};
  let rootId = '';
  const scopes: VariablesAt['scopes'] = {};
  let last = -1;
  for (const record of records) {
    if (record.seq > seq) break;
    last = record.seq;
    const data = (record.data ?? {}) as Data;
    if (record.kind === 'run' && record.status === 'started') {
      rootId = record.instance;
      root = { ...(data.variables ?? {}) };
      continue;
    }
    if (record.kind === 'intent') continue;
    if (data.local && record.instance !== rootId) scopes[record.instance] = { node: record.node, vars: { ...data.local } };
    for (const [scopeId, writes] of Object.entries(data.vars ?? {})) {
      if (scopeId === rootId) root = { ...root, ...writes };
      else if (scopes[scopeId]) scopes[scopeId] = { ...scopes[scopeId], vars: { ...scopes[scopeId].vars, ...writes } };
    }
  }
  return { root, scopes, seq: last };
}
