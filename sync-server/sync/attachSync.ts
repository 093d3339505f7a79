import type { Relay } from '../createRelay.js';
import { SqliteUpdateLog } from './SqliteUpdateLog.js';
import { createSyncService, type SyncService, type SyncServiceOptions } from './SyncService.js';
import { createTokenEndpoint } from './tokenEndpoint.js';

/** Adds collaboration to a relay: `/sync/<room>` websockets and `GET /api/token` (loopback only). */
export function attachSync(
  relay: Relay,
  options: Omit<SyncServiceOptions, 'log'> & { dbFile: string; boundHost: string }
): SyncService {
  const log = new SqliteUpdateLog(options.dbFile);
  const service = createSyncService({ ...options, log });
  relay.routeUpgrade('/sync', service.handleUpgrade);
  relay.routeHttp('/api/token', createTokenEndpoint({ secret: options.secret, boundHost: options.boundHost }));
  relay.onClose(async () => {
    await service.close();
    log.close();
  });
  return service;
}
