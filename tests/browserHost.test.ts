import { spawnSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cleanup } from './helpers/cleanup.js';
import { openAppSession } from './helpers/appSession.js';
import { contiguous, fixture, openRuns, records, shape, startRun, verify, waitForRun } from './helpers/enginePage.js';
import { type LaunchedBrowser } from './helpers/launchBrowser.js';
import { repoRoot, type RunningRelay } from './helpers/startRelay.js';

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
    ({ relay, browser, page } = await openAppSession(cleanup, { shots }));
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

  it('terminating the worker mid-run and recovering gives the same chain as an uninterrupted run (R1/R2)', async () => {
    await openRuns(page, relay.url);
    // given an uninterrupted run of the review model: approve, script, then the job that waits for a runner
    const reference = await startRun(page, { xml: reviewXml, variables: { items } });
    await waitForRun(page, reference, (d) => d.userTasks.length === 1);
    await page.evaluate(async (id) => {
      const api = window.tesseraEngine!.api;
      await api.completeUserTask(id, (await api.getRun(id))!.userTasks[0]!.instance, { ok: true });
    }, reference);
    const refDone = await waitForRun(page, reference, (d) => d.jobs.some((j) => j.node === 'Ship'));
    expect(refDone.jobs.find((j) => j.node === 'Ship')?.note).toBe('needs a runner (relay)');
    expect(refDone.summary.variables).toMatchObject({ total: 42, ok: true });

    // when the same model runs with the worker terminated after each of its steps
    const runId = await startRun(page, { xml: reviewXml, variables: { items } });
    await page.evaluate(() => window.tesseraEngine!.restart());
    const waiting = await waitForRun(page, runId, (d) => d.userTasks.length === 1);
    // completing the task, then killing the worker at once (the script job is in flight or just recorded)
    await page.evaluate(
      async ([id, instance]) => {
        await window.tesseraEngine!.api.completeUserTask(id!, instance!, { ok: true });
        window.tesseraEngine!.restart();
      },
      [runId, waiting.userTasks[0]!.instance]
    );
    await page.evaluate(() => window.tesseraEngine!.restart());
    const done = await waitForRun(page, runId, (d) => d.jobs.some((j) => j.node === 'Ship'));

    // then the chain has the same shape, verifies, and has no gap or duplicate
    const chain = await records(page, runId);
    expect(shape(chain)).toEqual(shape(await records(page, reference)));
    expect(contiguous(chain)).toBe(true);
    expect((await verify(page, runId)).ok).toBe(true);
    expect(done.summary.variables).toEqual(refDone.summary.variables);
  });

  it('two tabs: one executes, the other watches live and its completion reaches the executor (R20)', async () => {
    // given a run started in tab A, waiting for approval
    await openRuns(page, relay.url);
    const runId = await startRun(page, { xml: reviewXml, variables: { items } });
    await waitForRun(page, runId, (d) => d.userTasks.length === 1);
    // when tab B opens the run's page
    const tabB = await browser.context.newPage();
    await openRuns(tabB, relay.url, `/runs/${runId}`);
    // then exactly one lock is held for the run, by A
    const held = await tabB.evaluate(async (id) => (await navigator.locks.query()).held?.filter((l) => l.name === `run:${id}`).length, runId);
    expect(held).toBe(1);
    expect((await waitForRun(tabB, runId, (d) => d.run.executing === 'elsewhere')).run.executing).toBe('elsewhere');
    expect((await waitForRun(page, runId, (d) => d.run.executing === 'here')).run.executing).toBe('here');
    // when B completes the task from its UI
    await tabB.getByRole('button', { name: 'Complete Approve order' }).click();
    // then A executes it, and B's timeline shows the records live
    await waitForRun(page, runId, (d) => d.jobs.some((j) => j.node === 'Ship'));
    const count = (await records(page, runId)).length;
    await tabB.locator(`tr[data-seq="${count - 1}"]`).waitFor({ timeout: 10_000 });
    await tabB.screenshot({ path: `${shots}/run-detail-watching.png`, fullPage: true });
    // when A closes, B takes over within seconds
    const started = Date.now();
    await page.close();
    await waitForRun(tabB, runId, (d) => d.run.executing === 'here', 5000);
    console.log(`takeover after ${Date.now() - started} ms`);
    // and a message-free cancel from B is executed by B, without duplicates
    await tabB.evaluate((id) => window.tesseraEngine!.api.cancelRun(id), runId);
    await waitForRun(tabB, runId, (d) => d.run.status === 'cancelled');
    const chain = await records(tabB, runId);
    expect(contiguous(chain)).toBe(true);
    expect((await verify(tabB, runId)).ok).toBe(true);
    page = tabB;
  });

  it('a quota failure pauses the run with a clear message; nothing recorded is lost; it resumes (R19)', async () => {
    // given a run waiting for approval, on its page
    await openRuns(page, relay.url);
    const runId = await startRun(page, { xml: reviewXml, variables: { items } });
    await page.goto(`${relay.url}/runs/${runId}`);
    await page.getByRole('button', { name: 'Complete Approve order' }).waitFor();
    const before = await records(page, runId);
    // when the next chain write hits a full disk
    await page.evaluate(() => window.tesseraEngine!.api.simulateWriteFailure('QuotaExceededError'));
    await page.getByRole('button', { name: 'Complete Approve order' }).click();
    // then the run pauses with a clear message and nothing was lost
    const banner = page.getByRole('alert').filter({ hasText: 'This run is paused' });
    await banner.waitFor();
    await expect(banner.textContent()).resolves.toContain('Storage is full');
    await page.screenshot({ path: `${shots}/run-paused-quota.png`, fullPage: true });
    expect(await records(page, runId)).toEqual(before);
    expect((await verify(page, runId)).ok).toBe(true);
    // when the person resumes and completes the task again
    await page.getByRole('button', { name: 'Resume run' }).click();
    await banner.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Complete Approve order' }).click();
    // then the run goes on, and its chain verifies with no gap
    const done = await waitForRun(page, runId, (d) => d.jobs.some((j) => j.node === 'Ship'));
    expect(done.summary.variables).toMatchObject({ total: 42 });
    const chain = await records(page, runId);
    expect(contiguous(chain)).toBe(true);
    expect((await verify(page, runId)).ok).toBe(true);
  });

  it('a quota failure on a timer step pauses, and resuming fires the timer again', async () => {
    await openRuns(page, relay.url);
    const runId = await startRun(page, { xml: timerXml });
    await waitForRun(page, runId, (d) => d.timers.length === 1);
    await page.evaluate(() => window.tesseraEngine!.api.simulateWriteFailure('QuotaExceededError'));
    const paused = await waitForRun(page, runId, (d) => d.run.paused !== undefined, 8000);
    expect(paused.run.status).toBe('running');
    await page.evaluate((id) => window.tesseraEngine!.api.resumeRun(id), runId);
    await waitForRun(page, runId, (d) => d.run.status === 'completed', 5000);
    expect(contiguous(await records(page, runId))).toBe(true);
    expect((await verify(page, runId)).ok).toBe(true);
  });

  it('shows the runs list', async () => {
    await page.goto(`${relay.url}/runs`);
    await page.getByRole('table').waitFor();
    await page.screenshot({ path: `${shots}/runs-list.png`, fullPage: true });
    expect(await page.getByRole('row').count()).toBeGreaterThan(4);
  });

  it('starts a run from pasted XML and variables, completes its task from the page, and verifies it', async () => {
    // given the runs page
    await page.goto(`${relay.url}/runs`);
    await page.getByRole('heading', { name: 'Start a run' }).waitFor();
    // when invalid variables are given, then the form says so and starts nothing
    await page.getByLabel('…or BPMN XML').fill(reviewXml);
    await page.getByLabel('Variables (JSON object)').fill('{"items": [');
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.getByRole('alert').getByText('Variables are not valid JSON').waitFor();
    // when valid ones are given, the run's page opens with its user task
    await page.getByLabel('Variables (JSON object)').fill(JSON.stringify({ items }));
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.waitForURL(/\/runs\/[0-9a-f-]+$/);
    await page.getByLabel('Variables for Approve order (JSON)').fill('{"approved": true}');
    await page.getByRole('button', { name: 'Complete Approve order' }).click();
    // then the script ran, the service task waits for a runner, and the chain verifies
    await page.getByText('Ship (type job): needs a runner (relay)').waitFor();
    await page.getByRole('button', { name: 'Verify chain' }).click();
    await expect(page.getByTestId('verdict').textContent()).resolves.toMatch(/^Chain verified: 8 records/);
    await page.screenshot({ path: `${shots}/run-detail.png`, fullPage: true });
    // and its export is a chain the CLI verifies
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export chain' }).click()]);
    const file = `${shots}/../exported-chain.json`;
    await download.saveAs(file);
    const verified = spawnSync(process.execPath, ['bin/tessera', 'verify', '--file', file], { cwd: repoRoot, encoding: 'utf8' });
    expect(verified.stdout).toMatch(/^ok 8 records, head /);
    expect(verified.status).toBe(0);
  });

  it('says what is wrong with a model that cannot run', async () => {
    await page.goto(`${relay.url}/runs`);
    await page.getByLabel('…or BPMN XML').fill(reviewXml.replace('sourceRef="Approve"', 'sourceRef="Nowhere"'));
    await page.getByRole('button', { name: 'Start run' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/The run was not started.*Nowhere/s);
  });
});

