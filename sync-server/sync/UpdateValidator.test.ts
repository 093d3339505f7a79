import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { UpdateValidator } from './UpdateValidator.js';

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

  it('cuts off a decode that runs past its time limit and keeps working after', async () => {
    // given a validator whose limit is shorter than any decode can be
    const strict = new UpdateValidator({ timeoutMs: 0 });
    const result = await strict.validate(Uint8Array.of(0, 0));
    expect(result).toMatchObject({ ok: false });
    await strict.close();
    expect(await validator.validate(Uint8Array.of(0, 0))).toEqual({ ok: true });
  });
});
