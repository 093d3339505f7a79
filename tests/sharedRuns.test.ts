import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenRecord } from '../src/lib/engine/index.js';
import { Cleanup } from './helpers/cleanup.js';
import { fixture, getRun, openRuns, records, startRun, waitForRun } from './helpers/enginePage.js';
import { launchBrowser, type LaunchedBrowser } from './helpers/launchBrowser.js';
import { buildDir, repoRoot } from './helpers/startRelay.js';
import { createRelay } from '../sync-server/createRelay.js';
import { attachSync } from '../sync-server/sync/attachSync.js';
import { ManualJobs } from '../src/lib/runtime/testing/ManualJobs.js';

const shots = `${repoRoot}tmp`;

/** What the shared run page in `page` has verified and shows (hashes in seq order). */
function replicaHashes(page: Page): Promise<string[]> {
  return page.evaluate(() => (window.tesseraSharedRun?.records ?? []).map((r) => r.hash));
}

describe('tests/sharedRuns: a run shared from A, watched and acted on from B (two Chromium profiles, real relay)', () => {
  const cleanup = new Cleanup();
  let relay: { url: string };
  let a: LaunchedBrowser;
  let b: LaunchedBrowser;
  let pageA: Page;
  let pageB: Page;

  beforeAll(async () => {
    await mkdir(shots, { recursive: true });
    // The app and its rooms on one loopback relay: /api/token mints the tokens invite links carry.
    const dir = await mkdtemp(join(tmpdir(), 'tessera-shared-runs-'));
    const server = createRelay({ host: '127.0.0.1', port: 0, staticDir: buildDir });
    // A short lease grace so the takeover test does not wait the default 10 s.
    attachSync(server, { dbFile: join(dir, 'sync.sqlite'), secret: 'shared-runs-e2e-secret', boundHost: '127.0.0.1', runLeaseGraceMs: 1500 });
    relay = await server.listen();
    cleanup.add(() => rm(dir, { recursive: true, force: true }));
    cleanup.add(() => server.close());
    [a, b] = await Promise.all([launchBrowser(), launchBrowser()]);
    cleanup.add(() => a.close());
    cleanup.add(() => b.close());
    pageA = a.context.pages()[0] ?? (await a.context.newPage());
    pageB = b.context.pages()[0] ?? (await b.context.newPage());
    for (const page of [pageA, pageB]) {
      page.on('pageerror', (error) => console.error('pageerror', error));
      page.on('console', (message) => message.type() === 'error' && console.error('console', message.text()));
    }
  });
  afterAll(() => cleanup.run());

  it('B sees A’s run live, completes its user task through A, both hold the same verified chain; a tampered record shows as tampered', async () => {
    // given A running a diagram that waits at a user task, shared from the run page
    await openRuns(pageA, relay.url);
    const diagramId = await pageA.evaluate(async (xml) => (await window.tesseraEngine!.api.saveDiagram({ name: 'Shared review', xml })).diagram.id, fixture('shared-review.bpmn'));
    const runId = await startRun(pageA, { diagramId });
    await waitForRun(pageA, runId, (d) => d.userTasks.length === 1);
    await pageA.goto(`${relay.url}/runs/${runId}`);
    await pageA.getByRole('button', { name: 'Share run' }).click();
    await pageA.getByTestId('share-run-link').waitFor({ timeout: 10_000 }).catch(async (error: unknown) => {
      await pageA.screenshot({ path: `${shots}/shared-run-a-failed.png` });
      throw error;
    });
    const link = await pageA.getByTestId('share-run-link').inputValue();
    expect(link).toContain(`/runs/shared/${runId}?token=`);
    await pageA.getByTestId('share-state').filter({ hasText: 'publishing' }).waitFor({ timeout: 15_000 });

    // when B opens the invite link
    const opened = Date.now();
    await pageB.goto(link);
    const chainA = await records(pageA, runId);
    // then B shows the same verified records and the token waiting at Review on the live diagram
    await expect.poll(() => replicaHashes(pageB), { timeout: 15_000 }).toEqual(chainA.map((r) => r.hash));
    await pageB.locator('.tessera-badges[data-node="Review"] [data-kind="waiting"]').filter({ hasText: '1' }).waitFor({ timeout: 15_000 });
    console.log(`shared run: B opened the link and showed A's waiting token in ${Date.now() - opened} ms (page load included)`);

    // when B completes the user task from the task's form
    const task = pageB.locator('.task[data-node="Review"]');
    await task.getByLabel('Approved').check();
    await task.getByLabel('Note *').fill('looks good');
    await task.getByRole('button', { name: 'Complete Review request' }).click();

    // then A's engine applied it (an intent record written by A) and the run finished in A …
    await waitForRun(pageA, runId, (d) => d.run.status === 'completed', 20_000);
    const finalA = await records(pageA, runId);
    const intent = finalA.find((r: TokenRecord) => r.kind === 'intent' && r.node === 'Review');
    expect(intent?.data).toMatchObject({ type: 'userTask.completed', variables: { approved: true, note: 'looks good' } });
    // the record names who acted: the sub of B's invite token, not the executing browser
    expect(intent?.owner).toBe('collaborator');
    // … and B shows the same chain, the run completed and its request done — records reach B live
    await expect.poll(() => replicaHashes(pageB), { timeout: 10_000 }).toEqual(finalA.map((r) => r.hash));
    const arrivals = await pageB.evaluate(() => window.tesseraSharedRun!.arrivals);
    const lags = finalA.slice(chainA.length).map((r) => arrivals[r.seq]! - r.at);
    console.log(`shared run: records A committed after B's intent reached B's verified view ${lags.join(', ')} ms after A's step clock`);
    await expect.poll(() => pageB.getByTestId('shared-status').textContent()).toBe('completed');
    expect(await pageB.evaluate(() => window.tesseraSharedRun!.detail?.summary.variables)).toEqual({ approved: true, note: 'looks good' });
    await pageB.getByTestId('shared-requests').getByText('done by the executor').waitFor();
    await pageB.screenshot({ path: `${shots}/shared-run-b.png`, fullPage: true });

    // when a record that does not verify lands in B's replica (forged locally: the relay refuses it from B)
    await pageB.evaluate(() => {
      const view = window.tesseraSharedRun!;
      const last = view.records.at(-1)!;
      view.doc!.getArray('records').push([{ ...last, seq: last.seq + 1, id: 'forged', node: 'Review', status: 'completed', prevHash: last.hash, hash: '0'.repeat(64) }]);
    });
    // then B shows it as tampered and applies nothing from it
    await pageB.getByTestId('tampered').waitFor({ timeout: 10_000 });
    await expect(pageB.getByTestId('tampered').textContent()).resolves.toMatch(/seq \d+ \(Review completed\) does not verify/);
    expect(await replicaHashes(pageB)).toEqual(finalA.map((r) => r.hash));
    await pageB.screenshot({ path: `${shots}/shared-run-b-tampered.png`, fullPage: true });
    // and the relay never stored or forwarded it: a fresh viewer sees A's chain only
    const fresh = await b.context.newPage();
    await fresh.goto(link);
    await expect.poll(() => replicaHashes(fresh), { timeout: 10_000 }).toEqual(finalA.map((r) => r.hash));
    await fresh.locator('[data-testid="live-diagram"][data-ready="true"]').waitFor({ timeout: 15_000 });
    expect(await fresh.getByTestId('tampered').count()).toBe(0);
    expect(await records(pageA, runId)).toHaveLength(finalA.length);
  });

  it('when the executing tab closes, another tab of A takes the lease (epoch + 1) and goes on; no duplicate records', async () => {
    // given a shared run executing in one tab of A, another tab of A open, and B watching
    const first = await a.context.newPage();
    const second = await a.context.newPage();
    await openRuns(first, relay.url);
    await openRuns(second, relay.url);
    const diagramId = await first.evaluate(async (xml) => (await window.tesseraEngine!.api.saveDiagram({ name: 'Takeover', xml })).diagram.id, fixture('shared-review.bpmn'));
    const runId = await startRun(first, { diagramId });
    await waitForRun(first, runId, (d) => d.userTasks.length === 1 && d.run.executing === 'here');
    await first.goto(`${relay.url}/runs/${runId}`);
    await first.getByRole('button', { name: 'Share run' }).click();
    const link = await first.getByTestId('share-run-link').inputValue();
    const watcher = await b.context.newPage();
    await watcher.goto(link);
    await expect.poll(() => watcher.evaluate(() => window.tesseraSharedRun?.records.length ?? 0), { timeout: 15_000 }).toBe(3);
    const lease = () => watcher.evaluate(() => window.tesseraSharedRun?.lease);
    const before = (await lease())!;

    // when the executing tab goes away (a navigation restarts a tab's worker: find the tab that executes now)
    const tabs = [first, second, pageA];
    const executor = async (among: Page[]) => {
      const states = await Promise.all(among.map(async (tab) => (await getRun(tab, runId))?.run.executing));
      return states.filter((e) => e === 'here').length === 1 ? among[states.indexOf('here')] : undefined;
    };
    await expect.poll(() => executor(tabs), { timeout: 10_000 }).toBeDefined();
    const gone = (await executor(tabs))!;
    const others = tabs.filter((tab) => tab !== gone);
    await gone.close();
    // then another tab executes the run and the relay hands it the lease with the next epoch
    await expect.poll(async () => (await lease())?.epoch, { timeout: 30_000 }).toBe(before.epoch + 1);
    expect((await lease())!.client).not.toBe(before.client);
    await expect.poll(() => executor(others), { timeout: 10_000 }).toBeDefined();
    const survivor = (await executor(others))!;

    // and B's completion is applied by the new executor; the chain has each seq once
    const task = watcher.locator('.task[data-node="Review"]');
    await task.getByLabel('Note *').fill('after takeover');
    await task.getByRole('button', { name: 'Complete Review request' }).click();
    await waitForRun(survivor, runId, (d) => d.run.status === 'completed', 30_000);
    const chain = await records(survivor, runId);
    expect(chain.map((r) => r.seq)).toEqual(chain.map((_, i) => i));
    await expect.poll(() => replicaHashes(watcher), { timeout: 10_000 }).toEqual(chain.map((r) => r.hash));
    expect(await watcher.getByTestId('tampered').count()).toBe(0);
    await watcher.screenshot({ path: `${shots}/shared-run-takeover.png`, fullPage: true });
  });

  it("when A's browser goes away, a relay started with runHost takes the run over and applies B's completion", async () => {
    // given a relay that hosts orphaned runs, A executing a shared run there, and B watching
    const dir = await mkdtemp(join(tmpdir(), 'tessera-shared-runs-host-'));
    const server = createRelay({ host: '127.0.0.1', port: 0, staticDir: buildDir });
    attachSync(server, { dbFile: join(dir, 'sync.sqlite'), secret: 'shared-runs-host-secret', boundHost: '127.0.0.1', runLeaseGraceMs: 1000, runHost: { jobs: new ManualJobs() } });
    const { url } = await server.listen();
    cleanup.add(() => rm(dir, { recursive: true, force: true }));
    cleanup.add(() => server.close());
    const host = await launchBrowser();
    cleanup.add(() => host.close());
    const tab = host.context.pages()[0] ?? (await host.context.newPage());
    await openRuns(tab, url);
    const diagramId = await tab.evaluate(async (xml) => (await window.tesseraEngine!.api.saveDiagram({ name: 'Hosted', xml })).diagram.id, fixture('shared-review.bpmn'));
    const runId = await startRun(tab, { diagramId });
    await waitForRun(tab, runId, (d) => d.userTasks.length === 1);
    await tab.goto(`${url}/runs/${runId}`);
    await tab.getByRole('button', { name: 'Share run' }).click();
    const link = await tab.getByTestId('share-run-link').inputValue();
    await tab.getByTestId('share-state').filter({ hasText: 'publishing' }).waitFor({ timeout: 15_000 });
    const watcher = await b.context.newPage();
    await watcher.goto(link);
    await expect.poll(() => watcher.evaluate(() => window.tesseraSharedRun?.records.length ?? 0), { timeout: 15_000 }).toBe(3);

    // when A's browser closes
    await host.close();
    // then the relay holds the lease with the next epoch …
    await expect.poll(() => watcher.evaluate(() => window.tesseraSharedRun?.lease), { timeout: 20_000 }).toMatchObject({ holder: 'relay', epoch: 2 });
    // … and B's completion is applied there: the run ends, B's sub owns the intent record, the chain verifies
    const task = watcher.locator('.task[data-node="Review"]');
    await task.getByLabel('Note *').fill('hosted by the relay');
    await task.getByRole('button', { name: 'Complete Review request' }).click();
    await expect.poll(() => watcher.getByTestId('shared-status').textContent(), { timeout: 15_000 }).toBe('completed');
    const chain = await watcher.evaluate(() => window.tesseraSharedRun!.records.map((r) => ({ seq: r.seq, kind: r.kind, owner: r.owner })));
    expect(chain.map((r) => r.seq)).toEqual(chain.map((_, i) => i));
    expect(chain.find((r) => r.kind === 'intent')?.owner).toBe('collaborator');
    expect(await watcher.getByTestId('tampered').count()).toBe(0);
    await watcher.getByTestId('shared-requests').getByText('done by the executor').waitFor();
  });
});
