import { getContext, setContext } from 'svelte';
import type { ConnectionStatus } from './ConnectionStatus.svelte.js';

const key = Symbol('connection');

/** Makes the layout's connection tracker available to every page below it. */
export function setConnectionContext(status: ConnectionStatus): ConnectionStatus {
  return setContext(key, status);
}

/** The connection tracker the layout set up. */
export function getConnectionContext(): ConnectionStatus {
  return getContext<ConnectionStatus>(key);
}
