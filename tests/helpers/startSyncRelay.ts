import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRelay } from '../../sync-server/createRelay.js';
import { attachSync } from '../../sync-server/sync/attachSync.js';
import type { SyncService, SyncServiceOptions } from '../../sync-server/sync/SyncService.js';
import { signToken } from '../../sync-server/sync/tokens.js';
import type { Role } from '../../src/lib/protocol/syncProtocol.js';

export interface SyncRelay {
  url: string;
  dbFile: string;
  service: SyncService;
  token(room: string, role: Role, ttlSeconds?: number, sub?: string): Promise<string>;
  stop(): Promise<void>;
}

export const TEST_SECRET = 'test-secret-for-127.0.0.1-only';

/** An in-process relay with rooms on 127.0.0.1, a fresh data dir, and a known secret. */
export async function startSyncRelay(options: Partial<Omit<SyncServiceOptions, 'log' | 'secret'>> = {}): Promise<SyncRelay> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-sync-'));
  const dbFile = join(dir, 'sync.sqlite');
  const relay = createRelay({ host: '127.0.0.1', port: 0, staticDir: dir });
  const service = attachSync(relay, { ...options, dbFile, secret: TEST_SECRET, boundHost: '127.0.0.1' });
  const { url } = await relay.listen();
  return {
    url,
    dbFile,
    service,
    token: (room, role, ttlSeconds = 600, sub = 'tester') => signToken(TEST_SECRET, { sub, room, role, ttlSeconds }),
    stop: async () => {
      await relay.close();
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
