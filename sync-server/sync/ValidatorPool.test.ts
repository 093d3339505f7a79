import { describe, expect, it } from 'vitest';
import { workerSource } from './UpdateValidator.js';
import { ValidatorPool } from './ValidatorPool.js';

describe('sync-server/sync/ValidatorPool', () => {
  it('keeps validating on another worker while one is stuck', async () => {
    // given two workers whose decoder hangs on a leading 0xff
    const hanging = workerSource.replace('Y.decodeUpdate(update);', 'if (update[0] === 255) for (;;) {}\n    Y.decodeUpdate(update);');
    const pool = new ValidatorPool(2, { timeoutMs: 1500, workerSource: hanging });
    await new Promise((resolve) => setTimeout(resolve, 300));
    // when one update hangs, a healthy one sent right after
    const stuck = pool.validate(Uint8Array.of(255));
    const started = Date.now();
    const healthy = await pool.validate(Uint8Array.of(0, 0));
    // then the healthy one passes well before the stuck one's limit
    expect(healthy).toEqual({ ok: true });
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await stuck).ok).toBe(false);
    await pool.close();
  });
});
