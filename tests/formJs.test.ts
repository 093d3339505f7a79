import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cleanup } from './helpers/cleanup.js';
import { openAppSession } from './helpers/appSession.js';
import { fixture, getRun, openRuns, records, startRun, waitForRun } from './helpers/enginePage.js';
import { repoRoot, type RunningRelay } from './helpers/startRelay.js';

const shots = `${repoRoot}tmp`;
const xml = fixture('form-js-task.bpmn');

describe('tests/formJs: a user task with a form-js schema is completed from the inbox in Chromium', () => {
  const cleanup = new Cleanup();
  let relay: RunningRelay;
  let page: Page;

  beforeAll(async () => {
    ({ relay, page } = await openAppSession(cleanup, { shots }));
  });
  afterAll(() => cleanup.run());

  it('renders the form-js form prefilled, refuses a missing required field, completes with the form values', async () => {
    // given a run waiting at a user task whose form is a form-js schema
    await openRuns(page, relay.url);
    const runId = await startRun(page, { xml, variables: { amount: 42, category: 'travel' } });
    await waitForRun(page, runId, (d) => d.userTasks.length === 1);

    // the run page's task form is the same form-js form
    await page.goto(`${relay.url}/runs/${runId}`);
    const onRunPage = page.locator('[data-testid="form-js"][data-ready="true"]');
    await onRunPage.waitFor({ timeout: 15_000 });
    await expect(onRunPage.getByLabel('Amount').inputValue()).resolves.toBe('42');
    await onRunPage.screenshot({ path: `${shots}/run-page-form-js.png` });

    // when the inbox opens, form-js renders the task's form with the run's variables filled in
    await page.goto(`${relay.url}/inbox`);
    const card = page.locator(`li.task[data-run="${runId}"]`);
    await card.locator('[data-testid="form-js"][data-ready="true"]').waitFor({ timeout: 15_000 });
    await expect(card.getByLabel('Amount').inputValue()).resolves.toBe('42');
    await expect(card.getByLabel(/Requester/).inputValue()).resolves.toBe('');

    // then Complete with the required field empty is refused with the message, and the task still waits
    await card.getByRole('button', { name: 'Complete Review expense' }).click();
    await card.getByRole('alert').filter({ hasText: 'Requester: Field is required.' }).waitFor();
    expect((await getRun(page, runId))?.userTasks.length).toBe(1);

    // when the required field is filled and another changed, Complete is accepted
    await card.getByLabel('Approved').click();
    await expect.poll(() => card.getByLabel('Approved').isChecked()).toBe(true);
    await card.getByLabel(/Requester/).fill('Ada');
    await page.screenshot({ path: `${shots}/inbox-form-js.png`, fullPage: true });
    await card.getByRole('button', { name: 'Complete Review expense' }).click();
    await page.getByTestId('inbox-empty').waitFor({ timeout: 10_000 });

    // then the run finishes and its chain holds the submitted values as the completion's variables
    await waitForRun(page, runId, (d) => d.run.status === 'completed');
    const chain = await records(page, runId);
    const completion = chain.find((r) => r.kind === 'intent' && r.node === 'Review');
    expect(completion?.data).toMatchObject({
      type: 'userTask.completed',
      variables: { requester: 'Ada', amount: 42, approved: true, category: 'travel' }
    });
  });

  it('a schema that is not a form-js form says so and falls back to the fields form', async () => {
    // given a user task whose embedded form is valid JSON but has no components
    const broken = xml.replace(/"components": \[[\s\S]*?\n {2}\]/, '"title": "no components"');
    expect(broken).not.toBe(xml);
    const runId = await startRun(page, { xml: broken });
    await waitForRun(page, runId, (d) => d.userTasks.length === 1);
    // when the inbox opens
    await page.goto(`${relay.url}/inbox`);
    const card = page.locator(`li.task[data-run="${runId}"]`);
    // then it explains and the plain form completes the task
    await card.getByTestId('form-js-problem').filter({ hasText: 'not a form-js form' }).waitFor({ timeout: 15_000 });
    await card.getByLabel('Variables (JSON object)').fill('{"requester": "Bo"}');
    await card.getByRole('button', { name: 'Complete Review expense' }).click();
    await waitForRun(page, runId, (d) => d.run.status === 'completed');
  });
});
