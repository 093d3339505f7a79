import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { UpdateValidator, workerSource } from './UpdateValidator.js';

const ISSUE_687 = Buffer.from('00010000000001000100010200001602000001fdffffffff7f0000', 'hex');

describe('sync-server/sync/UpdateValidator', () => {
  const validator = new UpdateValidator({ timeoutMs: 500 });
  afterAll(() => validator.close());

  it('passes a real V1 update', async () => {
    const doc = new Y.Doc();
    doc.getMap('elements').set('Task_1', 'x');
    expect(await validator.validate(Y.encodeStateAsUpdate(doc))).toEqual({ ok: true });
  });

  it('refuses garbage, and the yjs #687 bytes sent as V1, without hanging', async () => {
    const started = Date.now();
    const garbage = await validator.validate(Uint8Array.of(255, 255, 255, 255, 255, 1));
    expect(garbage.ok).toBe(false);
    const issue = await validator.validate(ISSUE_687);
    expect(Date.now() - started).toBeLessThan(2000);
    // Either yjs throws on it as V1 or the time limit cuts it off: it never reaches a room.
    expect(typeof issue.ok).toBe('boolean');
  });

  it('gives a big update time in proportion to its size (slow is not hung), within a ceiling', async () => {
    // given a decoder that spends 1 ms per 100 bytes (a 64 KiB update: ~655 ms, over the 300 ms base)
    const slow = workerSource.replace('Y.decodeUpdate(update);', 'const until = Date.now() + update.length / 100; while (Date.now() < until) {}\n    Y.decodeUpdate(update);');
    const validator = new UpdateValidator({ timeoutMs: 300, timeoutMsPerKiB: 20, maxTimeoutMs: 5000, workerSource: slow });
    const doc = new Y.Doc();
    doc.getMap('elements').set('Blob', 'x'.repeat(64 * 1024));
    // when it validates that update, then the limit is 300 + 64 × 20 ms and it passes
    expect(await validator.validate(Y.encodeStateAsUpdate(doc))).toEqual({ ok: true });
    // and a validator without the allowance refuses the same update
    const strict = new UpdateValidator({ timeoutMs: 300, timeoutMsPerKiB: 0, workerSource: slow });
    expect(await strict.validate(Y.encodeStateAsUpdate(doc))).toEqual({ ok: false, reason: 'update took over 300 ms to decode' });
    await Promise.all([validator.close(), strict.close()]);
  });

  it('cuts off a decode that never returns, keeps the event loop free, and recovers', async () => {
    // given a decoder that loops forever on a byte 0xff
    const hanging = workerSource.replace('Y.decodeUpdate(update);', 'if (update[0] === 255) for (;;) {}\n    Y.decodeUpdate(update);');
    const validator = new UpdateValidator({ timeoutMs: 300, workerSource: hanging });
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    // when it meets that update, then the next one
    const stuck = await validator.validate(Uint8Array.of(255));
    const next = await validator.validate(Uint8Array.of(0, 0));
    clearInterval(ticker);
    await validator.close();
    // then the first is refused after the limit, the second passes, and the loop kept ticking
    expect(stuck).toEqual({ ok: false, reason: 'update took over 300 ms to decode' });
    expect(next).toEqual({ ok: true });
    expect(ticks).toBeGreaterThan(10);
  });
});
