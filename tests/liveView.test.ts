import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cleanup } from './helpers/cleanup.js';
import { openAppSession } from './helpers/appSession.js';
import { fixture, openRuns, records, waitForRun } from './helpers/enginePage.js';
import { waitForEditor } from './helpers/modelerPage.js';
import { repoRoot, type RunningRelay } from './helpers/startRelay.js';

const shots = `${repoRoot}tmp`;
const xml = fixture('monitor-live.bpmn');

/** The badge count of `kind` on element `node` in the live view ('' when none). */
function badge(page: Page, node: string, kind: string) {
  return page.locator(`.tessera-badges[data-node="${node}"] [data-kind="${kind}"]`);
}

describe('tests/liveView: live token view, inbox, timeline, verify, dashboard in Chromium', () => {
  const cleanup = new Cleanup();
  let relay: RunningRelay;
  let page: Page;

  beforeAll(async () => {
    ({ relay, page } = await openAppSession(cleanup, { shots }));
  });
  afterAll(() => cleanup.run());

  it('start from the editor, watch badges, complete from the inbox, verify, tamper, dashboard', async () => {
    // given a saved diagram with a start form, a user task and a 2 s timer
    await openRuns(page, relay.url);
    const diagramId = await page.evaluate(
      async (x) => (await window.tesseraEngine!.api.saveDiagram({ name: 'Expense', xml: x })).diagram.id,
      xml
    );
    // when Run in the editor opens the start dialog and the form is filled
    await page.goto(`${relay.url}/diagrams/${diagramId}`);
    await waitForEditor(page);
    await page.getByRole('button', { name: /Run/ }).first().click();
    const dialog = page.getByTestId('start-dialog');
    await dialog.getByRole('button', { name: 'Start run' }).click();
    await dialog.getByText('Amount is required').waitFor();
    await dialog.getByLabel('Amount').fill('250');
    await dialog.getByRole('button', { name: 'Start run' }).click();
    // the editor's canvas switches to monitoring mode; its link opens the run's page
    await page.getByTestId('editor-run-view').getByRole('link', { name: 'Open run page' }).click();
    await page.waitForURL(/\/runs\/[^/]+$/, { timeout: 15_000, waitUntil: 'commit' }).catch(async (error: unknown) => {
      await page.screenshot({ path: `${shots}/live-view-start-failed.png` });
      throw error;
    });
    const runId = page.url().split('/').pop()!;

    // then the live view shows the run waiting at the user task, the taken path and the unchosen branch
    await page.locator('[data-testid="live-diagram"][data-ready="true"]').waitFor({ timeout: 15_000 });
    await badge(page, 'Approve', 'waiting').filter({ hasText: '1' }).waitFor({ timeout: 10_000 });
    await expect(badge(page, 'Start', 'completed').textContent()).resolves.toBe('1');
    await page.locator('[data-element-id="f_small"].tessera-unchosen').waitFor();
    await page.locator('[data-element-id="f_big"].tessera-taken').waitFor();
    await page.locator('[data-element-id="Approve"].tessera-waiting').waitFor();
    await expect(page.getByTestId('waiting-points').textContent()).resolves.toContain('Approve');
    await page.getByTestId('live-diagram').screenshot({ path: `${shots}/live-view-waiting.png` });

    // when the task is completed from the inbox (filtered by candidate group; the form validates)
    await page.goto(`${relay.url}/inbox`);
    await page.getByLabel('Candidate group').selectOption('managers');
    const card = page.locator(`li.task[data-run="${runId}"]`);
    await card.getByRole('button', { name: 'Claim' }).click();
    await card.getByRole('button', { name: 'Unclaim' }).waitFor();
    await card.getByRole('button', { name: /Complete/ }).click();
    await card.getByText('Note is required').waitFor();
    await card.getByLabel('Note').fill('fine');
    await card.getByLabel('Approved').check();
    await card.getByRole('button', { name: /Complete/ }).click();
    await page.getByTestId('inbox-empty').waitFor({ timeout: 10_000 });

    // then the run moves on live: waiting on the timer, then finished
    await page.goto(`${relay.url}/runs/${runId}`);
    await page.locator('[data-testid="live-diagram"][data-ready="true"]').waitFor({ timeout: 15_000 });
    const detail = await waitForRun(page, runId, (d) => d.run.status === 'completed', 20_000);
    await badge(page, 'Done', 'completed').filter({ hasText: '1' }).waitFor({ timeout: 10_000 });
    await expect(badge(page, 'Approve', 'completed').textContent()).resolves.toBe('1');
    await expect(badge(page, 'Cool', 'completed').textContent()).resolves.toBe('1');
    await expect(badge(page, 'Approve', 'waiting').count()).resolves.toBe(0);
    await page.getByTestId('live-diagram').screenshot({ path: `${shots}/live-view-done.png` });
    await page.screenshot({ path: `${shots}/run-page.png`, fullPage: true });

    // and the timeline shows every record; variables after the approval include the form's values
    const chain = await records(page, runId);
    expect(chain.length).toBe(detail.run.count);
    await expect.poll(() => page.locator('[data-testid="monitor-timeline"] tbody tr[data-seq]').count()).toBe(chain.length);
    const approvedSeq = chain.find((r) => r.node === 'Approve' && r.status === 'completed' && r.kind === 'token')!.seq;
    await page.locator(`[data-testid="monitor-timeline"] tr[data-seq="${approvedSeq}"] button`).click();
    await page.locator('[data-element-id="Approve"].tessera-highlight').waitFor();
    const vars = JSON.parse((await page.getByTestId('vars-at').textContent())!);
    expect(vars).toMatchObject({ amount: 250, approved: true, note: 'fine' });
    const before = JSON.parse(
      (await (async () => {
        await page.getByTestId('vars-slider').fill('0');
        return page.getByTestId('vars-at').textContent();
      })())!
    );
    expect(before).toEqual({ amount: 250 });
    // search narrows the timeline
    await page.getByLabel('Search records').fill('Cool-off');
    await expect.poll(() => page.locator('[data-testid="monitor-timeline"] tbody tr[data-seq]').count()).toBe(chain.filter((r) => r.node === 'Cool').length);
    await page.getByLabel('Search records').fill('');

    // and the chain verifies
    await page.getByRole('button', { name: 'Verify chain' }).click();
    await page.getByTestId('verdict').filter({ hasText: `Chain verified: ${chain.length} records` }).waitFor();

    // when a stored record is tampered with in IndexedDB
    const tampered = 3;
    await page.evaluate(
      ({ id, seq }) =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('tessera');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const db = open.result;
            const tx = db.transaction('segments', 'readwrite');
            const store = tx.objectStore('segments');
            const cursor = store.openCursor(IDBKeyRange.bound([id, 0], [id, Infinity]));
            cursor.onsuccess = () => {
              const c = cursor.result;
              if (!c) return;
              const row = c.value as { records: { seq: number; owner: string }[] };
              const record = row.records.find((r) => r.seq === seq);
              if (record) {
                record.owner = 'mallory';
                c.update(row);
              } else c.continue();
            };
            tx.oncomplete = () => {
              db.close();
              resolve();
            };
            tx.onerror = () => reject(tx.error);
          };
        }),
      { id: runId, seq: tampered }
    );
    // then verify names it
    await page.getByRole('button', { name: 'Verify chain' }).click();
    const verdict = page.getByTestId('verdict').filter({ hasText: `Chain invalid at seq ${tampered}` });
    await verdict.waitFor();
    console.log('tampered verdict:', await verdict.textContent());

    // the runs list filters by diagram and status
    await page.goto(`${relay.url}/runs`);
    await page.getByRole('group', { name: 'Filter runs' }).getByLabel('Status').selectOption('running');
    await page.getByText('0 of 1').waitFor();
    await page.getByRole('group', { name: 'Filter runs' }).getByLabel('Status').selectOption('completed');
    await page.locator(`a[href$="/runs/${runId}"]`).first().waitFor();

    // the dashboard shows the diagram's runs, element stats and the heatmap
    await page.goto(`${relay.url}/dashboard`);
    await page.getByRole('heading', { level: 1, name: 'Dashboard', exact: true }).waitFor();
    await page.getByTestId('dashboard').waitFor({ timeout: 15_000 });
    await page.getByLabel('Diagram').selectOption(diagramId);
    await page.getByTestId('element-stats').getByRole('cell', { name: 'Approve', exact: true }).waitFor({ timeout: 10_000 });
    await page.locator('.tessera-heat').first().waitFor();
    await expect(page.getByTestId('dash-runs').textContent()).resolves.toBe('1');
    await page.screenshot({ path: `${shots}/dashboard.png`, fullPage: true });
  }, 120_000);
});
