/**
 * What a run's records say about its diagram, folded incrementally (the live view applies each
 * notification's records as they arrive; nothing is recomputed from seq 0): per-element counts,
 * the sequence flows taken, the gateway branches not chosen, and where the run waits now.
 *
 * Pure: records in, plain data out. The diagram's flows come in as a `FlowGraph` so this module
 * does not depend on bpmn-js (the component builds the graph from its element registry).
 */
import type { TokenRecord } from '../engine/chain/record.js';

export interface ElementCounts {
  /** Instances entered and not yet finished (a `started` record, no end record yet). */
  active: number;
  /** Instances currently waiting (user task, timer, message, job, join). */
  waiting: number;
  completed: number;
  /** Open incidents plus failed instances. */
  incident: number;
  cancelled: number;
}

export interface FlowGraph {
  /** Sequence flow id → its source and target element ids. */
  flows: Record<string, { source: string; target: string }>;
  /** Gateway id → its outgoing flow ids (only exclusive / inclusive / event-based gateways matter). */
  choices: Record<string, string[]>;
}

export type InstancePhase = 'active' | 'waiting' | 'completed' | 'failed' | 'cancelled';

interface InstanceState {
  node: string;
  phase: InstancePhase;
  since: number;
  startedAt: number;
  waitingSince?: number;
}

/** A sequence flow a token just moved along (for the token animation). */
export interface FlowMove {
  flow: string;
  seq: number;
}

export interface Interval {
  node: string;
  instance: string;
  /** From the instance's first record to its end record. */
  durationMs: number;
  /** Time spent in `waiting`, 0 when it never waited. */
  waitMs: number;
  outcome: 'completed' | 'failed' | 'cancelled';
}

const EMPTY: ElementCounts = Object.freeze({ active: 0, waiting: 0, completed: 0, incident: 0, cancelled: 0 });

export class RunView {
  readonly counts = new Map<string, ElementCounts>();
  /** Flow id → how many tokens took it. */
  readonly taken = new Map<string, number>();
  /** Gateway id → completions seen (to tell unchosen branches once the gateway decided). */
  readonly #decided = new Set<string>();
  readonly #instances = new Map<string, InstanceState>();
  readonly #incidents = new Map<string, string>(); // incident record id → node
  /** Instance → node, for the instances waiting now, in the order they started waiting. */
  readonly #waiting = new Map<string, string>();
  readonly intervals: Interval[] = [];
  /** Node → incidents opened + failures (hot spots). */
  readonly failures = new Map<string, number>();
  seq = -1;
  status: 'running' | 'completed' | 'failed' | 'cancelled' = 'running';

  /** Applies records in seq order (already-applied ones are skipped); returns the flows newly taken. */
  apply(records: readonly TokenRecord[]): FlowMove[] {
    const moves: FlowMove[] = [];
    for (const record of records) {
      if (record.seq <= this.seq) continue;
      this.seq = record.seq;
      if (record.kind === 'token') this.#token(record, moves);
      else if (record.kind === 'incident') this.#incident(record);
      else if (record.kind === 'run' && record.status !== 'started') this.#end(record);
    }
    return moves;
  }

  countsOf(node: string): ElementCounts {
    return this.counts.get(node) ?? EMPTY;
  }

  /** Elements where the run waits now, in the order they started waiting. */
  waitingPoints(): string[] {
    return [...new Set(this.#waiting.values())];
  }

  /** Nodes with an open incident now. */
  incidentNodes(): string[] {
    return [...new Set(this.#incidents.values())];
  }

  /** Outgoing flows of decided gateways that no token took. */
  unchosen(graph: FlowGraph): string[] {
    const out: string[] = [];
    for (const gateway of this.#decided) {
      for (const flow of graph.choices[gateway] ?? []) if (!this.taken.has(flow)) out.push(flow);
    }
    return out;
  }

  #bump(node: string, key: keyof ElementCounts, by = 1): void {
    const counts = this.counts.get(node) ?? { ...EMPTY };
    counts[key] = Math.max(0, counts[key] + by);
    this.counts.set(node, counts);
  }

  #token(record: TokenRecord, moves: FlowMove[]): void {
    let inst = this.#instances.get(record.instance);
    if (!inst) {
      // The first record of an element instance: it arrived by `flow` (none for a start event).
      if (record.flow) {
        this.taken.set(record.flow, (this.taken.get(record.flow) ?? 0) + 1);
        moves.push({ flow: record.flow, seq: record.seq });
      }
      inst = { node: record.node, phase: 'active', since: record.at, startedAt: record.at };
      this.#instances.set(record.instance, inst);
      this.#bump(record.node, 'active');
    }
    const next = phaseOf(record.status);
    if (next === inst.phase) return;
    this.#bump(inst.node, inst.phase === 'waiting' ? 'waiting' : 'active', inst.phase === 'active' || inst.phase === 'waiting' ? -1 : 0);
    if (inst.phase === 'waiting') this.#waiting.delete(record.instance);
    if (next === 'waiting') {
      inst.waitingSince = record.at;
      this.#waiting.set(record.instance, inst.node);
      this.#bump(inst.node, 'waiting');
    } else if (next === 'active') {
      this.#bump(inst.node, 'active');
    } else {
      this.#bump(inst.node, next === 'completed' ? 'completed' : next === 'failed' ? 'incident' : 'cancelled');
      if (next === 'failed') this.failures.set(inst.node, (this.failures.get(inst.node) ?? 0) + 1);
      if (next === 'completed') this.#decided.add(inst.node);
      this.intervals.push({
        node: inst.node,
        instance: record.instance,
        durationMs: record.at - inst.startedAt,
        waitMs: inst.waitingSince === undefined ? 0 : record.at - inst.waitingSince,
        outcome: next
      });
    }
    inst.phase = next;
    inst.since = record.at;
  }

  #incident(record: TokenRecord): void {
    if (record.status === 'opened') {
      this.#incidents.set(record.id, record.node);
      this.#bump(record.node, 'incident');
      this.failures.set(record.node, (this.failures.get(record.node) ?? 0) + 1);
    } else if (record.status === 'resolved') {
      const id = (record.data as { incident?: string } | undefined)?.incident ?? '';
      const node = this.#incidents.get(id);
      if (node !== undefined) {
        this.#incidents.delete(id);
        this.#bump(node, 'incident', -1);
      }
    }
  }

  #end(record: TokenRecord): void {
    this.status = record.status === 'ended' ? 'completed' : record.status === 'failed' ? 'failed' : 'cancelled';
    // The run's end takes every live instance with it (the engine writes no record for each).
    for (const inst of this.#instances.values()) {
      if (inst.phase === 'active' || inst.phase === 'waiting') {
        this.#bump(inst.node, inst.phase, -1);
        this.#bump(inst.node, 'cancelled');
        inst.phase = 'cancelled';
      }
    }
    this.#waiting.clear();
    for (const node of this.#incidents.values()) this.#bump(node, 'incident', -1);
    this.#incidents.clear();
  }
}

function phaseOf(status: TokenRecord['status']): InstancePhase {
  switch (status) {
    case 'waiting':
      return 'waiting';
    case 'completed':
    case 'ended':
    case 'merged':
      return 'completed';
    case 'failed':
      return 'failed';
    case 'cancelled':
      return 'cancelled';
    default:
      return 'active';
  }
}

/** Folds a whole chain at once. */
export function runViewOf(records: readonly TokenRecord[]): RunView {
  const view = new RunView();
  view.apply(records);
  return view;
}
