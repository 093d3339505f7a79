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

/** The variables fold, one record at a time (the live view keeps one and feeds it what arrives). */
export class VariablesFold {
  #root: Record<string, unknown> = {};
  #rootId = '';
  readonly #scopes: VariablesAt['scopes'] = {};
  #seq = -1;

  /** Folds one record (records come in seq order). */
  apply(record: TokenRecord): void {
    this.#seq = record.seq;
    const data = (record.data ?? {}) as Data;
    if (record.kind === 'run' && record.status === 'started') {
      this.#rootId = record.instance;
      this.#root = { ...(data.variables ?? {}) };
      return;
    }
    if (record.kind === 'intent') return;
    const scopes = this.#scopes;
    if (data.local && record.instance !== this.#rootId) scopes[record.instance] = { node: record.node, vars: { ...data.local } };
    for (const [scopeId, writes] of Object.entries(data.vars ?? {})) {
      if (scopeId === this.#rootId) this.#root = { ...this.#root, ...writes };
      else if (scopes[scopeId]) scopes[scopeId] = { ...scopes[scopeId], vars: { ...scopes[scopeId].vars, ...writes } };
    }
  }

  /** The state after the last folded record (a new object; what it holds is never changed later). */
  get current(): VariablesAt {
    return { root: this.#root, scopes: { ...this.#scopes }, seq: this.#seq };
  }
}

/** The variables after record `seq`, folded from the start. */
export function variablesAt(records: readonly TokenRecord[], seq: number): VariablesAt {
  const fold = new VariablesFold();
  for (const record of records) {
    if (record.seq > seq) break;
    fold.apply(record);
  }
  return fold.current;
}
