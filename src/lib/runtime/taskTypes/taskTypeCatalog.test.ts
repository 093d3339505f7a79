import { describe, expect, it } from 'vitest';
import { checkFieldValue, loadTaskTypeCatalog } from './taskTypeCatalog.js';

const answering = (status: number, body: unknown): typeof fetch => async () => new Response(JSON.stringify(body), { status });

describe('runtime/taskTypes/taskTypeCatalog', () => {
  it('lists the relay’s registered job types with their fields, without the built-in kinds', async () => {
    const catalog = await loadTaskTypeCatalog(answering(200, {
      ok: true,
      taskTypes: [
        { name: 'command', fields: [] },
        { name: 'slack.post', description: 'Posts', fields: [{ name: 'channel', label: 'Channel', type: 'string', required: true }] }
      ]
    }));
    expect(catalog).toEqual({ online: true, types: [{ name: 'slack.post', description: 'Posts', fields: [{ name: 'channel', label: 'Channel', type: 'string', required: true }] }] });
  });

  it('offline, an error status or a malformed answer: no types, and why', async () => {
    expect(await loadTaskTypeCatalog(async () => { throw new TypeError('failed to fetch'); })).toMatchObject({ online: false, reason: 'the relay is not reachable' });
    expect(await loadTaskTypeCatalog(answering(503, {}))).toMatchObject({ online: false, reason: 'the relay answered 503' });
    expect(await loadTaskTypeCatalog(answering(200, { ok: true, taskTypes: [{ name: 'x', fields: [{ type: 'weird' }] }] }))).toMatchObject({ online: false, types: [] });
  });

  it('checks header values against their field types', () => {
    expect(checkFieldValue({ name: 'n', label: 'N', type: 'number', required: true }, '')).toBe('Required');
    expect(checkFieldValue({ name: 'n', label: 'N', type: 'number' }, 'x')).toBe('A number');
    expect(checkFieldValue({ name: 'b', label: 'B', type: 'boolean' }, 'true')).toBeUndefined();
    expect(checkFieldValue({ name: 'j', label: 'J', type: 'json' }, '{"a":')).toBe('JSON');
  });
});
