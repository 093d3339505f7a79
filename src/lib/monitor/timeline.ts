/**
 * The run page's timeline over a growing chain, kept up incrementally: each update folds only the
 * records that arrived since the last one (durations, the latest variables, the filtered list),
 * so a run writing hundreds of records a second costs the page work per new record, not per
 * record of the chain. A list that is not the previous one grown (another run, a restart) starts over.
 */
import type { TokenRecord } from '../engine/chain/record.js';
import { VariablesFold, type VariablesAt } from './variables.js';

export interface TimelineFilter {
  /** Free text over seq, kind, element id and name, status, owner and data. */
  search: string;
  status: string;
  kind: string;
  node: string;
}

export class TimelineIndex {
  #records: readonly TokenRecord[] = [];
  #seen = 0;
  #firstAt = new Map<string, number>();
  #vars = new VariablesFold();
  #latest: VariablesAt = { root: {}, scopes: {}, seq: -1 };
  #filterKey = '';
  #filtered: TokenRecord[] = [];
  #filteredUpTo = 0;
  #text = new WeakMap<TokenRecord, string>();
  #names: Readonly<Record<string, string>> = {};

  /** Folds the records not seen yet; returns whether anything changed. */
  update(records: readonly TokenRecord[]): boolean {
    if (records === this.#records) return false;
    if (!this.#continues(records)) this.#reset();
    this.#records = records;
    if (records.length === this.#seen) return false;
    for (let i = this.#seen; i < records.length; i++) {
      const record = records[i]!;
      if (record.kind === 'token' && !this.#firstAt.has(record.instance)) this.#firstAt.set(record.instance, record.at);
      this.#vars.apply(record);
    }
    this.#seen = records.length;
    this.#latest = this.#vars.current;
    return true;
  }

  /** The variables after the newest record. */
  get latestVariables(): VariablesAt {
    return this.#latest;
  }

  /** An end record's element instance duration in ms (from the instance's first record); undefined otherwise. */
  durationOf(record: TokenRecord): number | undefined {
    if (record.kind !== 'token' || record.status === 'started' || record.status === 'waiting') return undefined;
    const start = this.#firstAt.get(record.instance);
    return start === undefined ? undefined : record.at - start;
  }

  /** The updated records that pass the filter (a new array when it changed, so views notice). */
  filter(filter: TimelineFilter, names: Readonly<Record<string, string>>): TokenRecord[] {
    const q = filter.search.trim().toLowerCase();
    const key = JSON.stringify([q, filter.status, filter.kind, filter.node]);
    if (names !== this.#names) {
      // element names take part in the search text
      this.#names = names;
      this.#text = new WeakMap();
      this.#filterKey = '';
    }
    if (key !== this.#filterKey) {
      this.#filterKey = key;
      this.#filtered = [];
      this.#filteredUpTo = 0;
    }
    if (this.#filteredUpTo === this.#records.length && this.#filteredUpTo > 0) return this.#filtered;
    const matches: TokenRecord[] = [];
    for (let i = this.#filteredUpTo; i < this.#records.length; i++) {
      const r = this.#records[i]!;
      if (filter.status && r.status !== filter.status) continue;
      if (filter.kind && r.kind !== filter.kind) continue;
      if (filter.node && r.node !== filter.node) continue;
      if (q && !this.#textOf(r).includes(q)) continue;
      matches.push(r);
    }
    this.#filteredUpTo = this.#records.length;
    if (matches.length > 0 || this.#filtered.length === 0) this.#filtered = this.#filtered.concat(matches);
    return this.#filtered;
  }

  #textOf(r: TokenRecord): string {
    const names = this.#names;
    let text = this.#text.get(r);
    if (text === undefined) {
      text = `${r.seq} ${r.kind} ${r.node} ${names[r.node] ?? ''} ${r.status} ${r.owner} ${r.data === undefined ? '' : JSON.stringify(r.data)}`.toLowerCase();
      this.#text.set(r, text);
    }
    return text;
  }

  /** Whether `records` is the list seen so far with records appended. */
  #continues(records: readonly TokenRecord[]): boolean {
    if (records.length < this.#seen) return false;
    if (this.#seen === 0) return true;
    return records[0] === this.#records[0] && records[this.#seen - 1] === this.#records[this.#seen - 1];
  }

  #reset(): void {
    this.#seen = 0;
    this.#firstAt = new Map();
    this.#vars = new VariablesFold();
    this.#latest = { root: {}, scopes: {}, seq: -1 };
    this.#filterKey = '';
    this.#filtered = [];
    this.#filteredUpTo = 0;
  }
}
