import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteUpdateLog } from './SqliteUpdateLog.js';

describe('sync-server/sync/SqliteUpdateLog', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-log-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps appended updates in order per room, across reopen', () => {
    // given a log with updates in two rooms
    const file = join(dir, 'a.sqlite');
    const log = new SqliteUpdateLog(file);
    expect(log.append('diagram:a', Uint8Array.of(1))).toBe(1);
    expect(log.append('diagram:b', Uint8Array.of(9))).toBe(1);
    expect(log.append('diagram:a', Uint8Array.of(2))).toBe(2);
    log.close();
    // when reopened
    const again = new SqliteUpdateLog(file);
    // then each room reads back its own updates
    expect(again.load('diagram:a')).toEqual({ snapshot: undefined, updates: [Uint8Array.of(1), Uint8Array.of(2)] });
    expect(again.load('diagram:none')).toEqual({ snapshot: undefined, updates: [] });
    again.close();
  });

  it('compacts a room into one snapshot and keeps appending after it', () => {
    const log = new SqliteUpdateLog(':memory:');
    log.append('run:1', Uint8Array.of(1));
    log.append('run:1', Uint8Array.of(2));
    log.compact('run:1', Uint8Array.of(7));
    expect(log.append('run:1', Uint8Array.of(3))).toBe(1);
    expect(log.load('run:1')).toEqual({ snapshot: Uint8Array.of(7), updates: [Uint8Array.of(3)] });
    log.close();
  });
});
