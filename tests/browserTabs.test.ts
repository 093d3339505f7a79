import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cleanup } from './helpers/cleanup.js';
import { contiguous, fixture, openRuns, records, startRun, verify, waitForRun } from './helpers/enginePage.js';
import { launchBrowser, type LaunchedBrowser } from './helpers/launchBrowser.js';
import { startRelay, type RunningRelay } from './helpers/startRelay.js';

const reviewXml = fixture('browser-review.bpmn');

/** Which open tab's worker executes the run (by asking each), and how many say so. */
async function executors(tabs: Page[], runId: string): Promise<Page[]> {
  const answers = await Promise.all(
    tabs.map((tab) => tab.evaluate(async (id) => (await window.tesseraEngine!.api.getRun(id))?.run.executing, runId))
  );
  return tabs.filter((_, i) => answers[i] === 'here');
}

describe('tests/browserTabs: several tabs on one run, the executing one closed (R20)', () => {
  const cleanup = new Cleanup();
  let relay: RunningRelay;
  let browser: LaunchedBrowser;

  beforeAll(async () => {
    relay = await startRelay();
    cleanup.add(() => relay.stop());
    browser = await launchBrowser();
    cleanup.add(() => browser.close());
  });
  afterAll(() => cleanup.run());

  it('never two executors; each close is taken over within seconds; no duplicate records', async () => {
    // given four tabs and a run waiting for a person
    const tabs: Page[] = [browser.context.pages()[0] ?? (await browser.context.newPage())];
    for (let i = 0; i < 3; i++) tabs.push(await browser.context.newPage());
    for (const tab of tabs) await openRuns(tab, relay.url);
    const runId = await startRun(tabs[0]!, { xml: reviewXml, variables: { items: [{ price: 5 }] } });
    // when the executing tab is closed, three times over
    for (let round = 0; round < 3; round++) {
      const [executing, ...others] = await executors(tabs, runId);
      expect(others).toEqual([]);
      tabs.splice(tabs.indexOf(executing!), 1);
      const closed = Date.now();
      await executing!.close();
      // then exactly one of the others takes over, within seconds
      let now: Page[] = [];
      while (now.length === 0 && Date.now() - closed < 5000) now = await executors(tabs, runId);
      expect(now).toHaveLength(1);
      console.log(`round ${round + 1}: taken over after ${Date.now() - closed} ms`);
    }
    // and the last tab completes the task; the chain has no gap, duplicate or bad hash
    const last = tabs[0]!;
    const task = (await waitForRun(last, runId, (d) => d.userTasks.length === 1)).userTasks[0]!;
    await last.evaluate(([id, instance]) => window.tesseraEngine!.api.completeUserTask(id!, instance!), [runId, task.instance]);
    await waitForRun(last, runId, (d) => d.jobs.some((j) => j.node === 'Ship'));
    expect(contiguous(await records(last, runId))).toBe(true);
    expect((await verify(last, runId)).ok).toBe(true);
  });
});
