import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonicalJson.js';
import { canonicalRecord, recordHash, sealRecord } from './sealRecord.js';
import type { UnsealedRecord } from './record.js';

const json: fc.Arbitrary<unknown> = fc.jsonValue();
const unsealed: fc.Arbitrary<UnsealedRecord> = fc.record(
  {
    v: fc.constant(1 as const),
    runId: fc.string(),
    id: fc.string(),
    kind: fc.constantFrom('run', 'token', 'incident', 'variables', 'intent'),
    token: fc.string(),
    previousToken: fc.option(fc.string(), { nil: null }),
    node: fc.string(),
    instance: fc.string(),
    flow: fc.string(),
    status: fc.constantFrom('started', 'waiting', 'completed', 'failed', 'cancelled', 'merged', 'ended', 'opened', 'resolved'),
    owner: fc.string(),
    at: fc.integer({ min: 0 }),
    data: json
  },
  { requiredKeys: ['v', 'runId', 'id', 'kind', 'token', 'previousToken', 'node', 'instance', 'status', 'owner', 'at'] }
);

describe('engine/chain/sealRecord', () => {
  it('writes the same bytes as canonicalJson for any record, so verify agrees with sealing', () => {
    fc.assert(
      fc.property(unsealed, fc.nat(), fc.string(), (record, seq, prevHash) => {
        const sealed = sealRecord(record, seq, prevHash);
        const { hash, ...rest } = sealed;
        expect(canonicalRecord(sealed)).toBe(canonicalJson(rest));
        expect(hash).toBe(recordHash(rest));
      }),
      { numRuns: 300 }
    );
  });
});
