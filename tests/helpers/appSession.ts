import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import type { Cleanup } from './cleanup.js';
import { launchBrowser, viewports, type LaunchedBrowser } from './launchBrowser.js';
import { startRelay, type RunningRelay } from './startRelay.js';

export interface AppSession {
  relay: RunningRelay;
  browser: LaunchedBrowser;
  page: Page;
}

/**
 * What most browser tests start from: a relay serving the built app on 127.0.0.1, a fresh Chromium
 * profile and its first page (page errors logged), both stopped by `cleanup`; `shots` is made so
 * screenshots can be written there.
 */
export async function openAppSession(
  cleanup: Cleanup,
  options: { shots?: string; viewport?: { width: number; height: number } } = {}
): Promise<AppSession> {
  if (options.shots) await mkdir(options.shots, { recursive: true });
  const relay = await startRelay();
  cleanup.add(() => relay.stop());
  const browser = await launchBrowser(options.viewport ?? viewports.laptop);
  cleanup.add(() => browser.close());
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.on('pageerror', (error) => console.error('pageerror', error));
  return { relay, browser, page };
}
