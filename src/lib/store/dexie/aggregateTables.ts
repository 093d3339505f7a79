/**
 * Keeps the analytics tables (`elementAgg`, `versionAgg`) equal to a fold of every finished run's
 * chain, inside the caller's readwrite transaction: a run is added when it finishes (in the chain
 * transaction that finishes it, DexieRunStore), subtracted when it is deleted (MonitorStore), and
 * a diagram version's rows are recomputed from its records when subtraction cannot keep them
 * exact (see subtractHistogram) or when they disagree with the runs table (data written by other
 * means, an older schema).
 *
 * Functions take the tables rather than the database, so the schema upgrade (which has only its
 * transaction's tables) uses the same code.
 */
import type { EntityTable, Table } from 'dexie';
import type { TokenRecord } from '../../engine/chain/record.js';
import { emptyAggregate, mergeAggregate, runContribution, subtractAggregate, type ElementAggregate } from '../../monitor/aggregate.js';
import type { RunMeta } from '../../runtime/ports.js';
import { parseRunMeta, recordsOrNone, type SegmentRow, type VersionAggregate } from './rowSchemas.js';

export const FINISHED: readonly string[] = ['completed', 'failed', 'cancelled'];

export function isFinished(status: string | undefined): boolean {
  return status !== undefined && FINISHED.includes(status);
}

export interface AggregateTables {
  elementAgg: Table<ElementAggregate, [string, string]>;
  versionAgg: Table<VersionAggregate, string>;
}

export interface ChainTables extends AggregateTables {
  runs: EntityTable<RunMeta, 'runId'>;
  segments: Table<SegmentRow, [string, number]>;
}

/** One run's change to the aggregates: its contribution added (+1) or taken out (−1). */
export interface RunDelta {
  xmlSha256: string;
  records: readonly TokenRecord[];
  sign: 1 | -1;
}

/**
 * Applies these deltas (one read and one write of the touched rows); returns the diagram versions
 * whose rows could not be kept exact by subtraction, for `rebuildVersions`.
 */
export async function applyRunDeltas(tables: AggregateTables, deltas: readonly RunDelta[]): Promise<string[]> {
  if (deltas.length === 0) return [];
  const perRow = new Map<string, { add: ElementAggregate[]; remove: ElementAggregate[] }>();
  const runsPerVersion = new Map<string, number>();
  for (const delta of deltas) {
    runsPerVersion.set(delta.xmlSha256, (runsPerVersion.get(delta.xmlSha256) ?? 0) + delta.sign);
    for (const [node, row] of runContribution(delta.xmlSha256, delta.records)) {
      const key = rowKey(delta.xmlSha256, node);
      let entry = perRow.get(key);
      if (!entry) perRow.set(key, (entry = { add: [], remove: [] }));
      (delta.sign > 0 ? entry.add : entry.remove).push(row);
    }
  }
  const keys = [...perRow.keys()].map(splitKey);
  const shas = [...runsPerVersion.keys()];
  const [stored, versions] = await Promise.all([tables.elementAgg.bulkGet(keys), tables.versionAgg.bulkGet(shas)]);
  const stale = new Set<string>();
  const rows = keys.map(([sha, node], i) => {
    const row = stored[i] ?? emptyAggregate(sha, node);
    const { add, remove } = perRow.get(rowKey(sha, node))!;
    for (const from of add) mergeAggregate(row, from);
    for (const from of remove) if (!subtractAggregate(row, from)) stale.add(sha);
    return row;
  });
  await Promise.all([
    tables.elementAgg.bulkPut(rows),
    tables.versionAgg.bulkPut(shas.map((sha, i) => ({ xmlSha256: sha, runs: (versions[i]?.runs ?? 0) + runsPerVersion.get(sha)! })))
  ]);
  return [...stale];
}

/**
 * Recomputes the rows of these diagram versions (every version when undefined) from the chains
 * of their finished runs, each run's rows checked with zod; returns how many runs were folded.
 */
export async function rebuildVersions(tables: ChainTables, shas?: readonly string[]): Promise<number> {
  const metas = shas
    ? (await Promise.all(shas.map((sha) => tables.runs.where('xmlSha256').equals(sha).toArray()))).flat()
    : await tables.runs.toArray();
  const finished = metas.map(parseRunMeta).filter((run) => isFinished(run.status));
  const rows = new Map<string, ElementAggregate>();
  const runs = new Map<string, number>((shas ?? []).map((sha) => [sha, 0]));
  // Chunks of runs read at once (one range read each): enough to keep IndexedDB busy, while
  // memory holds one chunk's chains and the aggregates.
  for (let i = 0; i < finished.length; i += 50) {
    const chunk = finished.slice(i, i + 50);
    const chains = await Promise.all(
      chunk.map((run) => tables.segments.where('[runId+seq]').between([run.runId, 0], [run.runId, Infinity], true, true).toArray())
    );
    chunk.forEach((run, j) => {
      runs.set(run.xmlSha256, (runs.get(run.xmlSha256) ?? 0) + 1);
      for (const [node, row] of runContribution(run.xmlSha256, recordsOrNone(chains[j]!))) {
        const key = rowKey(run.xmlSha256, node);
        const into = rows.get(key);
        if (into) mergeAggregate(into, row);
        else rows.set(key, row);
      }
    });
  }
  if (shas) {
    await Promise.all(shas.map((sha) => tables.elementAgg.where('xmlSha256').equals(sha).delete()));
    await tables.versionAgg.bulkDelete([...shas]);
  } else {
    await Promise.all([tables.elementAgg.clear(), tables.versionAgg.clear()]);
  }
  await tables.elementAgg.bulkPut([...rows.values()]);
  await tables.versionAgg.bulkPut([...runs].map(([xmlSha256, n]) => ({ xmlSha256, runs: n })));
  return finished.length;
}

function rowKey(sha: string, node: string): string {
  return `${sha}\u0000${node}`;
}

function splitKey(key: string): [string, string] {
  const at = key.indexOf('\u0000');
  return [key.slice(0, at), key.slice(at + 1)];
}
