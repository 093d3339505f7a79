import { existsSync } from 'node:fs';
import { SqliteRunStore } from '../lib/store/sqlite/SqliteRunStore.js';
import { UsageError } from './args.js';

/**
 * Opens the SQLite store at `path`, or an in-memory one for a run that keeps nothing. With
 * `existing`, a missing file is a usage error rather than a new empty store.
 */
export function openStore(path: string | undefined, existing = false): SqliteRunStore {
  if (path !== undefined && existing && !existsSync(path)) throw new UsageError(`no store at ${path}`);
  return new SqliteRunStore(path ?? ':memory:');
}
