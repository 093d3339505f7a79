/**
 * This tab's engine worker, started on first use (one worker a tab: the layout belongs to the
 * app frame, so pages that need the engine ask here). Also asks for persistent storage — only
 * a page can (RELIABILITY.md) — and exposes the client as `window.tesseraEngine` for tests and
 * for people debugging in the console.
 */
import { EngineClient } from '../worker/EngineClient.js';

declare global {
  interface Window {
    tesseraEngine?: EngineClient;
  }
}

export interface StorageStatus {
  persisted: boolean | undefined;
}

const storage: StorageStatus = { persisted: undefined };

export function getEngine(): EngineClient {
  if (window.tesseraEngine) return window.tesseraEngine;
  const client = new EngineClient();
  window.tesseraEngine = client;
  void requestPersistence();
  return client;
}

/** Whether the browser agreed to keep our storage under pressure (undefined until asked). */
export function storageStatus(): StorageStatus {
  return storage;
}

async function requestPersistence(): Promise<void> {
  try {
    storage.persisted = (await navigator.storage?.persisted?.()) || ((await navigator.storage?.persist?.()) ?? false);
  } catch {
    storage.persisted = false;
  }
}
