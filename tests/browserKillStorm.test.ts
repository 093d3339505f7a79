import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cleanup } from './helpers/cleanup.js';
import { contiguous, fixture, openRuns, records, shape, startRun, verify, waitForRun } from './helpers/enginePage.js';
import { launchBrowser, type LaunchedBrowser } from './helpers/launchBrowser.js';
import { startRelay, type RunningRelay } from './helpers/startRelay.js';

const stepsXml = fixture('browser-steps.bpmn');
const SEED = Number(process.env.SEED ?? Date.now() % 100_000);

/** mulberry32: a small seeded PRNG so a failing storm replays with SEED=… */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Waits until the worker has committed nothing for 300 ms, so a counted write failure hits our run. */
async function quiet(page: Page): Promise<void> {
  await page.evaluate(() => window.tesseraEngine!.api.writeStats(true));
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stats = await page.evaluate(() => window.tesseraEngine!.api.writeStats(true));
    if (stats.transactions === 0) return;
    console.log(`waiting for quiet: ${stats.transactions} transactions went by`);
  }
}

describe('tests/browserKillStorm: worker kills and aborted writes while script steps commit', () => {
  const cleanup = new Cleanup();
  let relay: RunningRelay;
  let browser: LaunchedBrowser;
  let page: Page;

  beforeAll(async () => {
    relay = await startRelay();
    cleanup.add(() => relay.stop());
    browser = await launchBrowser();
    cleanup.add(() => browser.close());
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await openRuns(page, relay.url);
  });
  afterAll(() => cleanup.run());

  it(`R2: runs killed at random moments, up to 5 times each, all finish like an uninterrupted run (seed ${SEED})`, async () => {
    console.log(`kill storm seed ${SEED} (SEED=${SEED} replays it)`);
    const random = prng(SEED);
    // given the shape of an uninterrupted run
    const reference = await startRun(page, { xml: stepsXml });
    const refDone = await waitForRun(page, reference, (d) => d.run.status === 'completed');
    expect(refDone.summary.variables).toEqual({ n: 15 });
    const expected = shape(await records(page, reference));

    // when several runs start and the worker is terminated at random moments, up to 5 times
    const runIds = await Promise.all(Array.from({ length: 4 }, () => startRun(page, { xml: stepsXml })));
    const kills = 1 + Math.floor(random() * 5);
    for (let kill = 0; kill < kills; kill++) {
      await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 150)));
      await page.evaluate(() => window.tesseraEngine!.restart());
    }
    console.log(`${kills} kills`);

    // then every run completes with the reference shape, a verifying chain, no gap or duplicate
    for (const runId of runIds) {
      const done = await waitForRun(page, runId, (d) => d.run.status === 'completed', 30_000);
      expect(done.summary.variables).toEqual({ n: 15 });
      const chain = await records(page, runId);
      expect(shape(chain)).toEqual(expected);
      expect(contiguous(chain)).toBe(true);
      expect((await verify(page, runId)).ok).toBe(true);
    }
  });

  it('R3: an aborted transaction at each write point leaves every prefix verifying, and the run resumes', async () => {
    const reference = await startRun(page, { xml: stepsXml });
    await waitForRun(page, reference, (d) => d.run.status === 'completed');
    const expected = shape(await records(page, reference));
    const writes = 5; // after the run's creation: one commit per script step (the last also ends it)
    for (let point = 0; point < writes; point++) {
      // given a run whose write number `point` after its creation will abort
      await quiet(page);
      await page.evaluate((skip) => window.tesseraEngine!.api.simulateWriteFailure('AbortError', skip), point + 1);
      const runId = await startRun(page, { xml: stepsXml });
      // then it pauses, and its committed prefix verifies with no gap
      const paused = await waitForRun(page, runId, (d) => d.run.paused !== undefined);
      expect(paused.run.paused).toMatch(/Nothing already recorded was lost/);
      const prefix = await records(page, runId);
      expect(prefix.length).toBe(expected.findIndex((s) => s.includes(`Step${point + 1} completed`)));
      expect((await verify(page, runId)).ok).toBe(true);
      expect(contiguous(prefix)).toBe(true);
      await page.evaluate((id) => window.tesseraEngine!.api.resumeRun(id), runId);
      // and after resuming it completes exactly like the reference
      await waitForRun(page, runId, (d) => d.run.status === 'completed');
      expect(shape(await records(page, runId))).toEqual(expected);
    }
  });
});
