import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
];

export const viewports = {
  laptop: { width: 1366, height: 768 },
  tablet: { width: 768, height: 1024 }
} as const;

export interface LaunchedBrowser {
  context: BrowserContext;
  userDataDir: string;
  /** Closes the browser and deletes its profile. */
  close(): Promise<void>;
}

/** Launches Chromium with a fresh, throw-away profile (so no service worker or cache leaks between tests). */
export async function launchBrowser(
  viewport: { width: number; height: number } = viewports.laptop
): Promise<LaunchedBrowser> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'tessera-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    args: chromiumArgs,
    viewport
  });
  return {
    context,
    userDataDir,
    async close() {
      await context.close().catch(() => {});
      await rm(userDataDir, { recursive: true, force: true });
    }
  };
}
