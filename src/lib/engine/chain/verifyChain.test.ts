import { describe, expect, it } from 'vitest';
import type { TokenRecord, UnsealedRecord } from './record.js';
import { recordHash, sealRecord } from './sealRecord.js';
import { verifyChain } from './verifyChain.js';
import { prng, type Rand } from '../testing/prng.js';

// Seeded so a failure replays: TESSERA_SEED=<printed seed> npx vitest run verifyChain
const seed = Number(process.env.TESSERA_SEED ?? Date.now() % 2 ** 31);
console.log(`verifyChain tamper tests: seed ${seed}`);

const ROUNDS = 400;

describe('engine/chain/verifyChain', () => {
  it('accepts every clean chain, with and without its anchor (0 false positives)', () => {
    const rand = prng(seed);
    for (let round = 0; round < ROUNDS; round++) {
      // given a freshly sealed chain of random records
      const chain = buildChain(rand, `run-${round}`, 1 + int(rand, 40));
      // when it is verified
      const plain = verifyChain(chain);
      const anchored = verifyChain(chain, { count: chain.length, head: chain.at(-1)!.hash });
      // then it verifies, reporting its length and head
      expect(plain, `round ${round}`).toEqual({ ok: true, count: chain.length, head: chain.at(-1)!.hash });
      expect(anchored, `round ${round}`).toEqual(plain);
    }
  });

  it('survives a JSON round trip (what a store or file gives back)', () => {
    const chain = buildChain(prng(seed), 'run-json', 30);
    expect(verifyChain(JSON.parse(JSON.stringify(chain)) as TokenRecord[]).ok).toBe(true);
  });

  for (const tamper of tamperings) {
    it(`rejects every chain with ${tamper.name} and names the first bad seq`, () => {
      const rand = prng(seed ^ hashName(tamper.name));
      for (let round = 0; round < ROUNDS; round++) {
        // given a clean chain, its anchor, and a tampered copy
        const chain = buildChain(rand, `run-${round}`, 2 + int(rand, 30));
        const other = buildChain(rand, `other-${round}`, chain.length + int(rand, 5));
        const anchor = { count: chain.length, head: chain.at(-1)!.hash };
        const { tampered, firstBad } = tamper.apply(rand, structuredClone(chain), other);
        // when the tampered chain is verified against the anchor
        const result = verifyChain(tampered, anchor);
        // then it is rejected at the first bad seq
        expect(result.ok, `round ${round}: ${tamper.name}`).toBe(false);
        if (!result.ok) expect(result.seq, `round ${round}: ${tamper.name} (${result.reason})`).toBe(firstBad);
      }
    });
  }

  it('cannot see a truncation without an anchor, and reports it against one', () => {
    // given a chain cut after 5 of its 9 records
    const chain = buildChain(prng(seed), 'run-cut', 9);
    const cut = chain.slice(0, 5);
    // when verified alone, then it still links up (a prefix is a valid chain)
    expect(verifyChain(cut).ok).toBe(true);
    // when verified against the store's anchor, then seq 5 is named as missing
    const result = verifyChain(cut, { count: 9, head: chain[8]!.hash });
    expect(result).toMatchObject({ ok: false, seq: 5 });
    if (!result.ok) expect(result.reason).toMatch(/truncated/);
  });

  it('reports a head that differs from the anchor when only the head is known', () => {
    const chain = buildChain(prng(seed), 'run-head', 4);
    expect(verifyChain(chain.slice(0, 3), { head: chain[3]!.hash })).toMatchObject({ ok: false, seq: 2 });
  });

  it('rejects an empty chain and a chain not starting with the run record', () => {
    expect(verifyChain([])).toMatchObject({ ok: false, seq: 0 });
    const chain = buildChain(prng(seed), 'run-x', 3);
    const forged = sealRecord({ ...strip(chain[0]!), kind: 'token', status: 'completed' }, 0, '');
    expect(verifyChain([forged])).toMatchObject({ ok: false, seq: 0 });
  });

  it('rejects records that are not objects', () => {
    const chain = buildChain(prng(seed), 'run-y', 3);
    expect(verifyChain([chain[0]!, null as unknown as TokenRecord])).toMatchObject({ ok: false, seq: 1 });
    expect(verifyChain([null as unknown as TokenRecord])).toMatchObject({ ok: false, seq: 0 });
  });
});

interface Tampering {
  name: string;
  /** Tampers with `chain` (a private copy) and says which seq the verifier must name. */
  apply(rand: Rand, chain: TokenRecord[], other: TokenRecord[]): { tampered: TokenRecord[]; firstBad: number };
}

const tamperings: Tampering[] = [
  {
    name: 'a modified field',
    apply(rand, chain) {
      const i = int(rand, chain.length);
      chain[i] = modify(rand, chain[i]!);
      return { tampered: chain, firstBad: i };
    }
  },
  {
    name: 'a modified and re-sealed record',
    apply(rand, chain) {
      // The forger recomputes the record's own hash: the next link (or the anchor) breaks.
      const i = int(rand, chain.length);
      // (seq 0 keeps its status: a non-run first record is caught at 0 by its shape.)
      const changed = modify(rand, chain[i]!, i === 0 ? ['data', 'node', 'owner', 'at'] : ['data', 'node', 'owner', 'at', 'status']);
      const { hash: _hash, ...rest } = changed;
      chain[i] = { ...rest, hash: recordHash(rest) };
      return { tampered: chain, firstBad: i === chain.length - 1 ? i : i + 1 };
    }
  },
  {
    name: 'a deleted record',
    apply(rand, chain) {
      const i = int(rand, chain.length);
      chain.splice(i, 1);
      return { tampered: chain, firstBad: i };
    }
  },
  {
    name: 'an inserted copy of another record',
    apply(rand, chain) {
      const i = int(rand, chain.length + 1);
      let j = int(rand, chain.length);
      if (j === i) j = (j + 1) % chain.length; // a copy of record i before itself is the genuine record i
      chain.splice(i, 0, structuredClone(chain[j]!));
      return { tampered: chain, firstBad: i };
    }
  },
  {
    name: 'an inserted forged record sealed in place',
    apply(rand, chain) {
      // Well-formed and correctly linked: the chain breaks at the record after it (or the anchor).
      const i = 1 + int(rand, chain.length);
      const forged = sealRecord(randomRecord(rand, chain[0]!.runId), i, chain[i - 1]!.hash);
      chain.splice(i, 0, forged);
      return { tampered: chain, firstBad: i === chain.length - 1 ? i : i + 1 };
    }
  },
  {
    name: 'two records swapped',
    apply(rand, chain) {
      const i = int(rand, chain.length - 1);
      const j = i + 1 + int(rand, chain.length - 1 - i);
      [chain[i], chain[j]] = [chain[j]!, chain[i]!];
      return { tampered: chain, firstBad: i };
    }
  },
  {
    name: 'a record moved elsewhere',
    apply(rand, chain) {
      const from = int(rand, chain.length);
      let to = int(rand, chain.length);
      if (to === from) to = (to + 1) % chain.length;
      const [moved] = chain.splice(from, 1);
      chain.splice(to, 0, moved!);
      return { tampered: chain, firstBad: Math.min(from, to) };
    }
  },
  {
    name: 'a truncated tail',
    apply(rand, chain) {
      const keep = 1 + int(rand, chain.length - 1);
      return { tampered: chain.slice(0, keep), firstBad: keep };
    }
  },
  {
    name: 'records spliced in from another run',
    apply(rand, chain, other) {
      const i = 1 + int(rand, chain.length - 1);
      const n = 1 + int(rand, Math.min(chain.length - i, 5));
      chain.splice(i, n, ...structuredClone(other.slice(i, i + n)));
      return { tampered: chain, firstBad: i };
    }
  },
  {
    name: "another run's prefix spliced in front",
    apply(rand, chain, other) {
      // The other run's prefix is itself a valid chain: the break is where this run's records resume.
      const n = 1 + int(rand, Math.min(chain.length, other.length) - 1);
      const tampered = [...structuredClone(other.slice(0, n)), ...chain.slice(n)];
      return { tampered, firstBad: n === chain.length ? n - 1 : n };
    }
  },
  {
    name: 'a forged record appended',
    apply(rand, chain) {
      const last = chain.at(-1)!;
      chain.push(sealRecord(randomRecord(rand, last.runId), chain.length, last.hash));
      return { tampered: chain, firstBad: chain.length - 1 };
    }
  }
];

const FIELDS = ['v', 'runId', 'seq', 'id', 'kind', 'token', 'previousToken', 'node', 'instance', 'flow', 'status',
  'owner', 'at', 'data', 'prevHash', 'hash'] as const;

/** A copy of `record` with one field changed so that its canonical JSON differs. */
function modify(rand: Rand, record: TokenRecord, fields: readonly (typeof FIELDS)[number][] = FIELDS): TokenRecord {
  const field = pick(rand, fields);
  const copy = structuredClone(record) as unknown as Record<string, unknown>;
  const before = copy[field];
  switch (field) {
    case 'v': copy.v = 2; break;
    case 'seq': copy.seq = record.seq + 1 + int(rand, 3); break;
    case 'at': copy.at = record.at + 1 + int(rand, 1000); break;
    case 'kind': copy.kind = record.kind === 'token' ? 'incident' : 'token'; break;
    case 'status': copy.status = record.status === 'completed' ? 'failed' : 'completed'; break;
    case 'previousToken': copy.previousToken = before === null ? 'tok-x' : null; break;
    case 'data': copy.data = { ...(typeof before === 'object' && before ? before : {}), tampered: int(rand, 100) }; break;
    case 'prevHash':
    case 'hash': copy[field] = flipHexChar(rand, String(before)); break;
    default: copy[field] = `${String(before ?? '')}~`;
  }
  return copy as unknown as TokenRecord;
}

function flipHexChar(rand: Rand, hex: string): string {
  if (hex === '') return '0'.repeat(64);
  const i = int(rand, hex.length);
  const c = hex[i] === 'f' ? '0' : (parseInt(hex[i]!, 16) + 1).toString(16);
  return hex.slice(0, i) + c + hex.slice(i + 1);
}

function buildChain(rand: Rand, runId: string, length: number): TokenRecord[] {
  const chain: TokenRecord[] = [];
  let prevHash = '';
  for (let seq = 0; seq < length; seq++) {
    const unsealed: UnsealedRecord = seq === 0
      ? { v: 1, runId, id: `${runId}-r0`, kind: 'run', token: '', previousToken: null, node: 'Process', instance: runId,
          status: 'started', owner: 'engine', at: 1_700_000_000_000, data: { processId: 'Process', xmlSha256: 'ab'.repeat(32), variables: randomData(rand, 2) } }
      : randomRecord(rand, runId);
    const record = sealRecord(unsealed, seq, prevHash);
    chain.push(record);
    prevHash = record.hash;
  }
  return chain;
}

function randomRecord(rand: Rand, runId: string): UnsealedRecord {
  const kinds = ['token', 'token', 'token', 'incident', 'variables', 'intent'] as const;
  const statuses = ['started', 'waiting', 'completed', 'failed', 'cancelled', 'merged', 'ended', 'opened', 'resolved'] as const;
  const record: UnsealedRecord = {
    v: 1, runId, id: `rec-${int(rand, 1e9)}`, kind: pick(rand, kinds), token: `tok-${int(rand, 5)}`,
    previousToken: rand() < 0.3 ? null : `rec-${int(rand, 1e9)}`, node: pick(rand, ['Start', 'Task_1', 'Gw', 'End', 'Σ-ünïcode']),
    instance: `inst-${int(rand, 1e6)}`, status: pick(rand, statuses), owner: pick(rand, ['engine', 'alice', 'runner-1']),
    at: 1_700_000_000_000 + int(rand, 1e9)
  };
  if (rand() < 0.5) record.flow = `Flow_${int(rand, 20)}`;
  if (rand() < 0.7) record.data = randomData(rand, 3);
  return record;
}

function randomData(rand: Rand, depth: number): unknown {
  const r = rand();
  if (depth === 0 || r < 0.4) return pick(rand, [0, -1.5, 1e21, 42, 'text', 'ü "quoted"\n', true, false, null]);
  if (r < 0.7) return Array.from({ length: int(rand, 4) }, () => randomData(rand, depth - 1));
  const out: Record<string, unknown> = {};
  for (let i = 0, n = int(rand, 4); i < n; i++) out[pick(rand, ['a', 'b', 'Z', 'é', '10', '2'])] = randomData(rand, depth - 1);
  return out;
}

function strip(record: TokenRecord): UnsealedRecord {
  const { seq: _seq, prevHash: _prev, hash: _hash, ...rest } = record;
  return rest;
}



function int(rand: Rand, n: number): number {
  return Math.floor(rand() * n);
}

function pick<T>(rand: Rand, items: readonly T[]): T {
  return items[int(rand, items.length)]!;
}

function hashName(name: string): number {
  let h = 0;
  for (const c of name) h = (Math.imul(h, 31) + c.charCodeAt(0)) | 0;
  return h;
}
