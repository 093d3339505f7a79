import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cleanup } from './helpers/cleanup.js';
import { openAppSession } from './helpers/appSession.js';
import { viewports, type LaunchedBrowser } from './helpers/launchBrowser.js';
import { repoRoot, type RunningRelay } from './helpers/startRelay.js';

const shots = `${repoRoot}tmp/screenshots`;

describe('tests/app: the app served by the relay', () => {
  const cleanup = new Cleanup();
  let relay: RunningRelay;
  let browser: LaunchedBrowser;
  let page: Page;

  beforeAll(async () => {
    ({ relay, browser, page } = await openAppSession(cleanup, { shots }));
  });

  afterAll(() => cleanup.run());

  it('loads with header, navigation and a reachable relay', async () => {
    // given the relay serving the build, when the app opens
    await page.goto(relay.url);
    // then the frame is there (once the SPA has mounted) and says the relay is reachable
    await page.getByRole('link', { name: 'Tessera' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const name of ['Diagrams', 'Runs', 'Dashboard']) {
      await expect(nav.getByRole('link', { name }).isVisible()).resolves.toBe(true);
    }
    await expect(nav.getByRole('link', { name: 'Diagrams' }).getAttribute('aria-current')).resolves.toBe('page');
    await page.getByRole('heading', { level: 1, name: 'Diagrams', exact: true }).waitFor();
    await page.getByText('No diagrams yet').waitFor();
    await page.getByRole('status').getByText('Online').waitFor();
    await expect(page.locator('main#main').count()).resolves.toBe(1);
  });

  it('is controlled by the service worker', async () => {
    // when the worker has installed, it claims the open page
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
    // and it still controls the page after a reload
    await page.reload();
    await expect(page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).resolves.toBe(
      `${relay.url}/service-worker.js`
    );
  });

  it('serves a manifest Chromium parses, and is installable', async () => {
    const cdp = await browser.context.newCDPSession(page);
    const manifest = (await cdp.send('Page.getAppManifest')) as {
      url: string;
      errors: { message: string }[];
      data?: string;
      /** Chromium's own parse (newer protocol versions). */
      manifest?: { name?: string; display?: string; startUrl?: string; icons?: { sizes?: string }[] };
    };
    expect(manifest.url).toBe(`${relay.url}/manifest.webmanifest`);
    expect(manifest.errors).toEqual([]);
    if (manifest.manifest) {
      expect(manifest.manifest).toMatchObject({ name: 'Tessera', display: 'kStandalone', startUrl: `${relay.url}/` });
      expect(manifest.manifest.icons?.map((icon) => icon.sizes)).toEqual(['192x192', '512x512', '512x512']);
    }
    // The protocol's parsed icons carry no purpose; the maskable one is checked in the raw text.
    const data = JSON.parse(manifest.data ?? '{}') as {
      name: string;
      display: string;
      start_url: string;
      scope: string;
      icons: { sizes: string; purpose?: string }[];
    };
    expect(data).toMatchObject({ name: 'Tessera', display: 'standalone', start_url: '/', scope: '/' });
    expect(data.icons.map((icon) => icon.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    expect(data.icons.some((icon) => icon.purpose?.split(' ').includes('maskable'))).toBe(true);
    const icon = await page.request.get(`${relay.url}/icons/icon-512.png`);
    expect(icon.headers()['content-type']).toBe('image/png');

    const installability = await cdp.send('Page.getInstallabilityErrors');
    expect(installability.installabilityErrors).toEqual([]);
    await cdp.detach();
  });

  it('navigates between pages with aria-current following', async () => {
    for (const [name, path] of [['Runs', '/runs'], ['Dashboard', '/dashboard'], ['Diagrams', '/']] as const) {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();
      await page.waitForURL(`${relay.url}${path}`);
      await page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
      await expect(
        page.getByRole('link', { name, exact: true }).last().getAttribute('aria-current')
      ).resolves.toBe('page');
    }
  });

  it('offers a skip link as the first focus stop', async () => {
    await page.goto(relay.url);
    // an SPA has no markup before it mounts: wait for the page, or Tab lands on an empty document
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Skip to main content');
    await page.keyboard.press('Enter');
    await expect(page.evaluate(() => location.hash)).resolves.toBe('#main');
  });

  it('looks right at laptop and tablet widths (screenshots in tmp/screenshots)', async () => {
    for (const [width, viewport] of Object.entries(viewports)) {
      await page.setViewportSize(viewport);
      for (const path of ['/', '/runs', '/dashboard']) {
        await page.goto(`${relay.url}${path}`);
        await page.getByRole('status').getByText('Online').waitFor();
        const name = path === '/' ? 'diagrams' : path.slice(1);
        await page.screenshot({ path: `${shots}/${name}-${width}.png` });
      }
      // nothing scrolls sideways
      await expect(page.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).resolves.toBe(true);
    }
    await page.setViewportSize(viewports.laptop);
  });

  it('keeps working from the cache when the relay is stopped', async () => {
    // given a page controlled by the worker
    await page.goto(relay.url);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    // when the relay process is gone (server closed, no offline emulation)
    await relay.stop();
    const down = await page.request.get(`${relay.url}/healthz`).catch((error: Error) => error);
    expect(down).toBeInstanceOf(Error);
    // then a reload still shows the app, which reports the missing relay
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Diagrams', exact: true }).waitFor();
    await page.getByRole('status').getByText('Relay unreachable').waitFor();
    // and client-side navigation works
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Runs' }).click();
    await page.waitForURL(`${relay.url}/runs`);
    await page.getByRole('heading', { level: 1, name: 'Runs', exact: true }).waitFor();
    // and a deep link opens from the cached shell
    await page.goto(`${relay.url}/dashboard`);
    await page.getByRole('heading', { level: 1, name: 'Dashboard', exact: true }).waitFor();
    await page.screenshot({ path: `${shots}/offline-laptop.png` });
  });
});
