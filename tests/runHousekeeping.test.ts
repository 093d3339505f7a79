/**
 * Issue #6 items 4 and 6, as a user meets them: a run whose diagram was saved again since it
 * started shows a banner and is drawn with its own version; a finished run can be deleted from
 * its page; the dashboard's retention setting deletes finished runs older than N days (and only
 * those), is remembered, and applies again when the dashboard opens.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cleanup } from './helpers/cleanup.js';
import { openAppSession } from './helpers/appSession.js';
import { fixture, getRun, openRuns, records, startRun, waitForRun } from './helpers/enginePage.js';
import { repoRoot, type RunningRelay } from './helpers/startRelay.js';

const shots = `${repoRoot}tmp/step-mode`;
const xml = fixture('step-mode.bpmn');
const DAY = 86_400_000;

/** Moves a run's start and last change `days` into the past, in IndexedDB (what time would do). */
function age(page: Page, runId: string, days: number): Promise<void> {
  return page.evaluate(
    ({ id, ms }) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('tessera');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('runs', 'readwrite');
          const runs = tx.objectStore('runs');
          const get = runs.get(id);
          get.onsuccess = () => runs.put({ ...get.result, startedAt: get.result.startedAt - ms, updatedAt: get.result.updatedAt - ms });
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    { id: runId, ms: days * DAY }
  );
}

describe('tests/runHousekeeping: stale-version banner, delete a run, retention, in Chromium', () => {
  const cleanup = new Cleanup();
  let relay: RunningRelay;
  let page: Page;

  beforeAll(async () => {
    ({ relay, page } = await openAppSession(cleanup, { shots }));
  });
  afterAll(() => cleanup.run());

  it('a run of an older version shows the banner and its own diagram; Delete run removes it', async () => {
    // given a run of version 1 of a diagram, and version 2 saved after it
    await openRuns(page, relay.url);
    const id = await page.evaluate(async (x) => (await window.tesseraEngine!.api.saveDiagram({ name: 'Housekeeping', xml: x })).diagram.id, xml);
    const runId = await startRun(page, { diagramId: id, variables: { amount: 5 } });
    await waitForRun(page, runId, (d) => d.run.status === 'completed');
    await page.evaluate(
      async ({ diagramId, x }) => window.tesseraEngine!.api.saveDiagram({ id: diagramId, name: 'Housekeeping', xml: x }),
      { diagramId: id, x: xml.replace('name="Prepare"', 'name="Prepare v2"') }
    );

    // when its page opens
    await page.goto(`${relay.url}/runs/${runId}`);
    await page.locator('[data-testid="live-diagram"][data-ready="true"]').waitFor({ timeout: 15_000 });

    // then a banner says the diagram changed and the run is drawn with its own version
    const banner = page.getByTestId('stale-banner');
    await banner.waitFor({ timeout: 10_000 });
    await expect(banner.textContent()).resolves.toMatch(/version\s+1\s+of\s+2/);
    await expect(page.getByTestId('live-diagram').textContent()).resolves.toContain('Prepare');
    await expect(page.getByTestId('live-diagram').textContent()).resolves.not.toContain('Prepare v2');
    await page.screenshot({ path: `${shots}/stale-banner.png` });

    // when the run is deleted (after the confirmation)
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Delete run' }).click();

    // then its page is gone and so are its records
    await page.waitForURL(/\/runs$/);
    await expect.poll(() => getRun(page, runId)).toBeUndefined();
    await expect(records(page, runId)).resolves.toEqual([]);
  });

  it('retention deletes finished runs older than N days, keeps the rest, and applies again when the dashboard opens', async () => {
    // given three finished runs, one of them 10 days old, and one running run as old
    await openRuns(page, relay.url);
    const old = await startRun(page, { xml, variables: { amount: 5 } });
    const recent = await startRun(page, { xml, variables: { amount: 5 } });
    const running = await startRun(page, { xml, variables: { amount: 5 }, stepMode: true });
    await age(page, old, 10);
    await age(page, running, 10);

    // when the retention is set to 7 days and applied
    await page.goto(`${relay.url}/dashboard`);
    const days = page.getByLabel(/Delete finished runs older than/);
    await days.fill('7');
    await page.getByRole('button', { name: 'Apply now' }).click();

    // then only the old finished run is gone
    await page.getByRole('status').filter({ hasText: 'Deleted 1 finished run older than 7 days.' }).waitFor({ timeout: 10_000 });
    await expect.poll(() => getRun(page, old)).toBeUndefined();
    expect(await getRun(page, recent)).toBeDefined();
    expect(await getRun(page, running)).toBeDefined();

    // when another run ages past the limit and the dashboard opens again
    await age(page, recent, 8);
    await page.reload();

    // then the setting is remembered and applied
    await expect(page.getByLabel(/Delete finished runs older than/).inputValue()).resolves.toBe('7');
    await expect.poll(() => getRun(page, recent), { timeout: 10_000 }).toBeUndefined();
    expect(await getRun(page, running)).toBeDefined();
    await page.screenshot({ path: `${shots}/retention.png` });
  });
});
