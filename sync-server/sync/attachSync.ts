import type { Relay } from '../createRelay.js';
import { SqliteUpdateLog } from './SqliteUpdateLog.js';
import { createSyncService, type SyncService, type SyncServiceOptions } from './SyncService.js';
import { createTokenCheckEndpoint } from './tokenCheckEndpoint.js';
import { createTokenEndpoint } from './tokenEndpoint.js';

/** Adds collaboration to a relay: `/sync/<room>` websockets, `GET /api/token` (loopback only), `GET /api/token/check`. */
export function attachSync(
  relay: Relay,
  options: Omit<SyncServiceOptions, 'log'> & { dbFile: string; boundHost: string; /** Lifetime of tokens minted by /api/token (tests use seconds). */ tokenTtlSeconds?: number }
): SyncService {
  const log = new SqliteUpdateLog(options.dbFile);
  const service = createSyncService({ ...options, log });
  relay.routeUpgrade('/sync', service.handleUpgrade);
  relay.routeHttp('/api/token', createTokenEndpoint({ secret: options.secret, boundHost: options.boundHost, ttlSeconds: options.tokenTtlSeconds }));
  relay.routeHttp('/api/token/check', createTokenCheckEndpoint({ secret: options.secret }));
  relay.onClose(async () => {
    await service.close();
    log.close();
  });
  return service;
}
