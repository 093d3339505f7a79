import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cleanup } from './helpers/cleanup.js';
import { contiguous, fixture, openRuns, records, shape, startRun, verify, waitForRun } from './helpers/enginePage.js';
import { launchBrowser, type LaunchedBrowser } from './helpers/launchBrowser.js';
import { repoRoot, startRelay, type RunningRelay } from './helpers/startRelay.js';

const shots = `${repoRoot}tmp/screenshots`;
const timerXml = fixture('browser-timer.bpmn');
const reviewXml = fixture('browser-review.bpmn');
const items = [{ price: 2 }, { price: 40 }];

describe('tests/browserHost: the engine worker on IndexedDB in Chromium', () => {
  const cleanup = new Cleanup();
  let relay: RunningRelay;
  let browser: LaunchedBrowser;
  let page: Page;

  beforeAll(async () => {
    await mkdir(shots, { recursive: true });
    relay = await startRelay();
    cleanup.add(() => relay.stop());
    browser = await launchBrowser();
    cleanup.add(() => browser.close());
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.on('pageerror', (error) => console.error('pageerror', error));
  });
  afterAll(() => cleanup.run());

  it('a run with a timer survives a reload and completes with a verifying chain (R18)', async () => {
    // given a run waiting on its 3 s timer
    await openRuns(page, relay.url);
    const runId = await startRun(page, { xml: timerXml });
    await waitForRun(page, runId, (d) => d.timers.length === 1);
    // when the page reloads before the timer is due
    await page.reload();
    await openRuns(page, relay.url);
    // then the new worker resumes the run and it completes
    const detail = await waitForRun(page, runId, (d) => d.run.status === 'completed');
    const chain = await records(page, runId);
    expect(contiguous(chain)).toBe(true);
    expect(await verify(page, runId)).toMatchObject({ ok: true, count: chain.length, head: detail.run.head });
    expect(shape(chain).map((s) => s.split(' ').slice(1).join(' '))).toEqual(
      expect.arrayContaining(['token Wait completed', 'token After completed', 'token End ended', 'run Timed ended'])
    );
  });

  it('a timer that fell due while no tab was open fires on resume', async () => {
    // given a run waiting on its timer, and no page of the app open for longer than the timer
    await openRuns(page, relay.url);
    const runId = await startRun(page, { xml: timerXml });
    await waitForRun(page, runId, (d) => d.timers.length === 1);
    const blank = await browser.context.newPage();
    await page.close();
    await new Promise((resolve) => setTimeout(resolve, 3500));
    // when the app opens again
    page = blank;
    page.on('pageerror', (error) => console.error('pageerror', error));
    await openRuns(page, relay.url);
    // then the timer fires at once and the run completes
    await waitForRun(page, runId, (d) => d.run.status === 'completed', 5000);
    expect((await verify(page, runId)).ok).toBe(true);
  });
});
