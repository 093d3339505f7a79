/**
 * R5 golden chains: chains recorded by an earlier engine (tests/fixtures/golden, written by
 * `npx tsx scripts/record-golden.ts`) replayed by today's engine — 0 divergences allowed.
 * R10 on real chains: the same golden chains tampered with in every way we know, each rejected
 * at the first bad seq; the clean ones always accepted.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { recordHash } from './chain/sealRecord.js';
import {
  canonicalJson,
  compile,
  replay,
  start,
  step,
  verifyChain,
  type EngineEvent,
  type ProcessModel,
  type RunState,
  type StartCommand,
  type TokenRecord
} from './index.js';
import { prng } from './testing/generateModel.js';

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'tests', 'fixtures', 'golden');

interface GoldenFile {
  name: string;
  description: string;
  ids: string;
  status: RunState['status'];
  head: string;
  events: ({ at: number; start: StartCommand } | { at: number; event: EngineEvent })[];
  records: TokenRecord[];
}

interface Golden {
  file: GoldenFile;
  xml: string;
}

const goldens: Golden[] = readdirSync(GOLDEN)
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name) => ({
    file: JSON.parse(readFileSync(join(GOLDEN, name), 'utf8')) as GoldenFile,
    xml: readFileSync(join(GOLDEN, name.replace(/\.json$/, '.bpmn')), 'utf8')
  }));

/** Runs a golden script through today's engine: same events, same clock, ids `id1`, `id2`, … */
function rerun(model: ProcessModel, events: GoldenFile['events'], tweak?: (index: number, at: number) => number) {
  let n = 0;
  const clock = { now: 0 };
  const ctx = { now: () => clock.now, newId: () => `id${++n}` };
  const records: TokenRecord[] = [];
  /** State after each event, with the number of records it had. */
  const states: { state: RunState; count: number }[] = [];
  let state: RunState | undefined;
  events.forEach((entry, i) => {
    clock.now = tweak ? tweak(i, entry.at) : entry.at;
    const result = 'start' in entry ? start(model, entry.start, ctx) : step(model, state!, entry.event, ctx);
    state = result.state;
    records.push(...result.records);
    states.push({ state, count: records.length });
  });
  return { records, state: state!, states };
}

/** The first seq where two chains differ, with both sides, or undefined when they are identical. */
function firstDivergence(expected: readonly TokenRecord[], actual: readonly TokenRecord[]): string | undefined {
  const length = Math.max(expected.length, actual.length);
  for (let i = 0; i < length; i++) {
    const a = expected[i] ? canonicalJson(expected[i]) : '(none)';
    const b = actual[i] ? canonicalJson(actual[i]) : '(none)';
    if (a !== b) return `seq ${i} diverges:\n  golden ${a}\n  today  ${b}`;
  }
  return undefined;
}

describe('engine/golden (R5): recorded chains replayed by today\'s engine', () => {
  it('has the recorded scenarios', () => {
    expect(goldens.map((g) => g.file.name)).toEqual(
      expect.arrayContaining(['exclusive', 'parallel', 'inclusive', 'user-task-data', 'timers', 'boundary-error', 'sub-process', 'multi-instance', 'event-sub-process', 'call-activity'])
    );
  });

  for (const { file, xml } of goldens) {
    it(`${file.name}: same events give byte-identical records; replay of the stored chain equals the live state`, async () => {
      // given the diagram the chain is pinned to
      const model = await compile(xml);
      expect(model.xmlSha256, 'the .bpmn is the exact XML the run started from').toBe((file.records[0]!.data as { xmlSha256: string }).xmlSha256);
      // when today's engine runs the recorded events
      const live = rerun(model, file.events);
      // then it writes the same chain, record for record
      expect(firstDivergence(file.records, live.records)).toBeUndefined();
      expect(live.state.status).toBe(file.status);
      // and the stored chain replays to the live state, after every event and at the end
      for (const { state, count } of live.states) {
        expect(canonicalJson(replay(model, file.records.slice(0, count))), `replay of the first ${count} stored records`).toBe(canonicalJson(state));
      }
      // and it verifies against its anchor
      expect(verifyChain(file.records, { count: file.records.length, head: file.head })).toEqual({ ok: true, count: file.records.length, head: file.head });
    });
  }
});

// ---------------------------------------------------------------------------------------------
// R10 on real chains

const SEED = Number(process.env.TESSERA_SEED ?? Date.now() % 2 ** 31);
console.log(`golden tamper tests: seed ${SEED} (replay with TESSERA_SEED=${SEED})`);
const ROUNDS = 40;

type Rand = () => number;
const int = (rand: Rand, n: number) => Math.floor(rand() * n);
const pick = <T,>(rand: Rand, items: readonly T[]): T => items[int(rand, items.length)]!;

const FIELDS = ['v', 'runId', 'seq', 'id', 'kind', 'token', 'previousToken', 'node', 'instance', 'flow', 'status', 'owner', 'at', 'data', 'prevHash', 'hash'] as const;

/** A copy of `record` with one field (or something deep inside `data`) changed. */
function modify(rand: Rand, record: TokenRecord): { changed: TokenRecord; field: string } {
  for (;;) {
    const field = pick(rand, FIELDS);
    const copy = structuredClone(record) as unknown as Record<string, unknown>;
    const before = copy[field];
    switch (field) {
      case 'v':
        copy.v = 2;
        break;
      case 'seq':
        copy.seq = record.seq + pick(rand, [1, -1, 2]);
        break;
      case 'at':
        copy.at = record.at + 1 + int(rand, 60_000);
        break;
      case 'kind':
        copy.kind = pick(rand, ['run', 'token', 'incident', 'variables', 'intent'].filter((k) => k !== record.kind));
        break;
      case 'status':
        copy.status = pick(rand, ['started', 'waiting', 'completed', 'failed', 'cancelled', 'merged', 'ended', 'opened', 'resolved'].filter((s) => s !== record.status));
        break;
      case 'previousToken':
        copy.previousToken = before === null ? 'id1' : null;
        break;
      case 'flow':
        if (before === undefined) copy.flow = 'f_forged';
        else if (rand() < 0.5) delete copy.flow;
        else copy.flow = `${String(before)}x`;
        break;
      case 'data':
        copy.data = tamperData(rand, before);
        break;
      case 'prevHash':
      case 'hash':
        copy[field] = flipHex(rand, String(before));
        break;
      default:
        copy[field] = `${String(before)}~`;
    }
    const changed = copy as unknown as TokenRecord;
    if (canonicalJson(changed) !== canonicalJson(record)) return { changed, field };
  }
}

/** Changes one leaf somewhere inside a record's data (or adds one, or drops it). */
function tamperData(rand: Rand, data: unknown): unknown {
  if (data === undefined) return { forged: true };
  if (data === null || typeof data !== 'object') return typeof data === 'number' ? data + 1 : `${String(data)}!`;
  const copy = structuredClone(data) as Record<string, unknown> | unknown[];
  const keys = Object.keys(copy);
  if (keys.length === 0 || rand() < 0.15) {
    (copy as Record<string, unknown>)['forged'] = 1;
    return copy;
  }
  const key = pick(rand, keys);
  (copy as Record<string, unknown>)[key] = tamperData(rand, (copy as Record<string, unknown>)[key]);
  return copy;
}

function flipHex(rand: Rand, hex: string): string {
  if (hex === '') return '0'.repeat(64);
  const i = int(rand, hex.length);
  return hex.slice(0, i) + (hex[i] === 'a' ? 'b' : 'a') + hex.slice(i + 1);
}

/** Reseals a (changed) record so its own hash is right again: only the next link can show it. */
function reseal(record: TokenRecord): TokenRecord {
  const { hash: _hash, ...rest } = record;
  return { ...rest, hash: recordHash(rest) };
}

/** First index where the tampered chain is not the genuine one (the anchor knows the genuine length). */
function firstDifference(genuine: readonly TokenRecord[], tampered: readonly TokenRecord[]): number {
  for (let i = 0; i < Math.max(genuine.length, tampered.length); i++) {
    if (!genuine[i] || !tampered[i] || canonicalJson(genuine[i]) !== canonicalJson(tampered[i])) return i;
  }
  return -1;
}

interface Tampering {
  name: string;
  /** Returns the tampered chain and the seq the verifier must name. */
  apply(rand: Rand, chain: TokenRecord[], others: { otherRun: TokenRecord[]; sibling: TokenRecord[] }): { tampered: TokenRecord[]; firstBad: number; what: string } | undefined;
}

const tamperings: Tampering[] = [
  {
    name: 'any field of a random record modified',
    apply(rand, chain) {
      const i = int(rand, chain.length);
      const { changed, field } = modify(rand, chain[i]!);
      chain[i] = changed;
      return { tampered: chain, firstBad: i, what: `seq ${i}.${field}` };
    }
  },
  {
    name: 'a record modified and resealed (its own hash right again)',
    apply(rand, chain) {
      // A resealed record is only caught by the next link, or by the anchored head when it is the last.
      const i = 1 + int(rand, chain.length - 1);
      const { changed, field } = modify(rand, chain[i]!);
      if (field === 'hash' || field === 'seq' || field === 'runId' || field === 'prevHash' || field === 'v') return undefined;
      chain[i] = reseal(changed);
      return { tampered: chain, firstBad: i === chain.length - 1 ? i : i + 1, what: `seq ${i}.${field} resealed` };
    }
  },
  {
    name: 'a record deleted',
    apply(rand, chain) {
      const i = int(rand, chain.length);
      chain.splice(i, 1);
      return { tampered: chain, firstBad: i, what: `deleted seq ${i}` };
    }
  },
  {
    name: 'a copy of a record inserted',
    apply(rand, chain) {
      const genuine = [...chain];
      const i = int(rand, chain.length + 1);
      const j = int(rand, chain.length);
      chain.splice(i, 0, structuredClone(chain[j]!));
      return { tampered: chain, firstBad: firstDifference(genuine, chain), what: `copy of seq ${j} at ${i}` };
    }
  },
  {
    name: 'two records swapped',
    apply(rand, chain) {
      const i = int(rand, chain.length - 1);
      const j = i + 1 + int(rand, chain.length - 1 - i);
      [chain[i], chain[j]] = [chain[j]!, chain[i]!];
      return { tampered: chain, firstBad: i, what: `swapped ${i} and ${j}` };
    }
  },
  {
    name: 'the tail truncated (caught by the anchor)',
    apply(rand, chain) {
      const keep = 1 + int(rand, chain.length - 1);
      return { tampered: chain.slice(0, keep), firstBad: keep, what: `kept ${keep}` };
    }
  },
  {
    name: 'a record spliced in from another run',
    apply(rand, chain, { otherRun }) {
      // The anchor holds no run id, so the chain's run is whatever seq 0 says: another run's
      // seq 0 in front is only caught at seq 1 (the first record of "the wrong run").
      const i = int(rand, Math.min(chain.length, otherRun.length));
      chain[i] = structuredClone(otherRun[i]!);
      return { tampered: chain, firstBad: i === 0 ? 1 : i, what: `seq ${i} from ${otherRun[0]!.runId}` };
    }
  },
  {
    name: 'a record spliced in from an equivocating sibling (same run id, same prefix, another history)',
    apply(_rand, chain, { sibling }) {
      // The sibling record is genuine in its own history: it links to our prefix, so the break is after it.
      const i = firstDifference(chain, sibling);
      if (i < 0 || i >= chain.length || i >= sibling.length) return undefined;
      chain[i] = structuredClone(sibling[i]!);
      return { tampered: chain, firstBad: i === chain.length - 1 ? i : i + 1, what: `sibling seq ${i}` };
    }
  }
];

/** Another run of the same diagram (another run id) and a sibling history of this run (its last event a millisecond later). */
const relatives = new Map<string, Promise<{ otherRun: TokenRecord[]; sibling: TokenRecord[] }>>();
function relativesOf({ file, xml }: Golden): Promise<{ otherRun: TokenRecord[]; sibling: TokenRecord[] }> {
  let found = relatives.get(file.name);
  if (!found) {
    found = compile(xml).then((model) => {
      const startEntry = file.events[0] as { at: number; start: StartCommand };
      const otherRun = rerun(model, [{ at: startEntry.at, start: { ...startEntry.start, runId: `${startEntry.start.runId}-other` } }, ...file.events.slice(1)]).records;
      const sibling = rerun(model, file.events, (i, at) => (i === file.events.length - 1 ? at + 1 : at)).records;
      return { otherRun, sibling };
    });
    relatives.set(file.name, found);
  }
  return found;
}

const tamperStats: Record<string, number> = {};

describe('engine/golden (R10): tampering with real engine chains', () => {
  it('accepts every clean golden chain and every prefix of it (0 false positives)', () => {
    let checked = 0;
    for (const { file } of goldens) {
      const chain = file.records;
      expect(verifyChain(chain)).toEqual({ ok: true, count: chain.length, head: file.head });
      expect(verifyChain(JSON.parse(JSON.stringify(chain)) as TokenRecord[], { count: chain.length, head: file.head }).ok).toBe(true);
      for (let k = 1; k <= chain.length; k++) {
        const prefix = chain.slice(0, k);
        expect(verifyChain(prefix, { count: k, head: prefix.at(-1)!.hash }).ok, `${file.name}: prefix of ${k}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  for (const tamper of tamperings) {
    it(`rejects ${tamper.name}, naming the first bad seq`, async () => {
      const rand = prng(SEED ^ tamper.name.length * 7919);
      let detected = 0;
      let rounds = 0;
      for (const golden of goldens) {
        const { file } = golden;
        const genuine = file.records;
        const anchor = { count: genuine.length, head: file.head };
        const { otherRun, sibling } = await relativesOf(golden);
        for (let round = 0; round < ROUNDS; round++) {
          const result = tamper.apply(rand, structuredClone(genuine), { otherRun, sibling });
          if (!result) continue;
          rounds++;
          const verdict = verifyChain(result.tampered, anchor);
          expect(verdict.ok, `${file.name} round ${round}: ${result.what} must be rejected`).toBe(false);
          if (!verdict.ok) {
            expect(verdict.seq, `${file.name} round ${round}: ${result.what} (${verdict.reason})`).toBe(result.firstBad);
            detected++;
          }
        }
      }
      expect(rounds, 'enough tamperings were tried').toBeGreaterThan(goldens.length * 5);
      expect(detected).toBe(rounds);
      tamperStats[tamper.name] = rounds;
    });
  }

  it('reports what was tried', () => {
    console.log(`R10 on ${goldens.length} golden chains (${goldens.reduce((n, g) => n + g.file.records.length, 0)} records): ${JSON.stringify(tamperStats)}`);
  });
});
