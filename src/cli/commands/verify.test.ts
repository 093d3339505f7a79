import { describe, expect, it } from 'vitest';
import type { TokenRecord } from '../../lib/engine/chain/record.js';
import { sealRecord } from '../../lib/engine/chain/sealRecord.js';
import { verifyValues } from './verify.js';

function chain(length: number): TokenRecord[] {
  const out: TokenRecord[] = [];
  for (let seq = 0; seq < length; seq++) {
    out.push(sealRecord({ v: 1, runId: 'r', id: `i${seq}`, kind: seq ? 'token' : 'run', token: '', previousToken: null, node: `N${seq}`,
      instance: 'x', status: seq ? 'completed' : 'started', owner: 'engine', at: 1 }, seq, out.at(-1)?.hash ?? ''));
  }
  return out;
}

describe('cli/commands/verify', () => {
  it('verifies values read from a file', () => {
    const records = chain(3);
    expect(verifyValues(records)).toEqual({ ok: true, count: 3, head: records[2]!.hash });
  });

  it('names the first value that is not a record', () => {
    const records: unknown[] = chain(4);
    records[2] = { seq: 2, hello: 'world' };
    expect(verifyValues(records)).toMatchObject({ ok: false, seq: 2, reason: expect.stringMatching(/not a valid record/) });
  });

  it('names an earlier broken link before a later malformed value', () => {
    const records: unknown[] = chain(4);
    records[1] = { ...(records[1] as TokenRecord), node: 'edited' };
    records[3] = 42;
    expect(verifyValues(records)).toMatchObject({ ok: false, seq: 1 });
  });
});
