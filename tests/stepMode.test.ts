/**
 * Step mode from the editor (issue #6): Run → start dialog with "Step mode" → the canvas switches
 * to monitoring mode in place, the run pauses before its first element, Step lets one element
 * proceed at a time (badges and the highlight move), Continue finishes it; Back to editing shows
 * the diagram and its undo history as they were. A step-mode run survives a reload paused where
 * it was.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cleanup } from './helpers/cleanup.js';
import { openAppSession } from './helpers/appSession.js';
import { fixture, getRun, openRuns, records, startRun, verify, waitForRun } from './helpers/enginePage.js';
import { waitForEditor } from './helpers/modelerPage.js';
import { repoRoot, type RunningRelay } from './helpers/startRelay.js';

const shots = `${repoRoot}tmp/step-mode`;
const xml = fixture('step-mode.bpmn');

describe('tests/stepMode: a debugger for processes, from the editor, in Chromium', () => {
  const cleanup = new Cleanup();
  let relay: RunningRelay;
  let page: Page;

  beforeAll(async () => {
    ({ relay, page } = await openAppSession(cleanup, { shots }));
    await page.setViewportSize({ width: 1280, height: 800 });
  });
  afterAll(() => cleanup.run());

  const view = () => page.getByTestId('editor-run-view');
  const badge = (node: string, kind: string) => view().locator(`.tessera-badges[data-node="${node}"] [data-kind="${kind}"]`);
  const held = () => view().getByTestId('step-held');
  const modelerXml = () => page.evaluate(async () => (await window.tesseraModeler!.saveXML({ format: true })).xml);
  const canUndo = () => page.evaluate(() => (window.tesseraModeler!.get('commandStack') as { canUndo(): boolean }).canUndo());

  it('steps a run element by element in the editor’s monitoring mode, then continues; editing is as it was', async () => {
    // given a saved diagram open in the editor, with one edit in its undo history
    await openRuns(page, relay.url);
    const diagramId = await page.evaluate(async (x) => (await window.tesseraEngine!.api.saveDiagram({ name: 'Step me', xml: x })).diagram.id, xml);
    await page.goto(`${relay.url}/diagrams/${diagramId}`);
    await waitForEditor(page);
    await page.evaluate(() => {
      const modeler = window.tesseraModeler!;
      const registry = modeler.get('elementRegistry') as { get(id: string): unknown };
      (modeler.get('modeling') as { updateLabel(element: unknown, text: string): void }).updateLabel(registry.get('Prepare'), 'Prepare order');
    });
    await page.getByTestId('save-status').filter({ hasText: /^Saved$/ }).waitFor({ timeout: 15_000 });
    const before = await modelerXml();
    expect(await canUndo()).toBe(true);

    // when Run opens the start dialog and a run starts in step mode
    await page.getByRole('button', { name: /Run/ }).first().click();
    const dialog = page.getByTestId('start-dialog');
    await dialog.getByLabel('Variables (JSON object)').fill('{"amount": 500}');
    await dialog.getByLabel('Step mode').check();
    await dialog.getByRole('button', { name: 'Start run' }).click();

    // then the canvas is in monitoring mode for that run, in place, paused before the first element
    await view().waitFor({ timeout: 15_000 });
    expect(new URL(page.url()).pathname).toBe(`/diagrams/${diagramId}`);
    const runId = (await view().getAttribute('data-run-id'))!;
    await view().locator('[data-testid="live-diagram"][data-ready="true"]').waitFor({ timeout: 15_000 });
    await held().filter({ hasText: 'Begin' }).waitFor({ timeout: 10_000 });
    await view().locator('[data-element-id="Begin"].tessera-highlight').waitFor();
    expect((await records(page, runId)).map((r) => r.kind)).toEqual(['run']);
    await expect(view().getByRole('link', { name: 'Open run page' }).getAttribute('href')).resolves.toBe(`/runs/${runId}`);
    // the editor underneath is inert: keyboard focus stays in the monitoring view
    await expect(page.locator('.editor-layer').getAttribute('inert')).resolves.not.toBeNull();
    await page.screenshot({ path: `${shots}/editor-monitoring-paused-start.png` });

    // when stepping: one element at a time
    await view().getByRole('button', { name: 'Step', exact: true }).click();
    await held().filter({ hasText: 'Prepare order' }).waitFor({ timeout: 10_000 });
    await badge('Begin', 'completed').filter({ hasText: '1' }).waitFor({ timeout: 10_000 });
    await view().locator('[data-element-id="Prepare"].tessera-highlight').waitFor();
    await expect(badge('Prepare', 'completed').count()).resolves.toBe(0);

    await view().getByRole('button', { name: 'Step', exact: true }).click();
    await held().filter({ hasText: 'Check' }).waitFor({ timeout: 10_000 });
    await badge('Prepare', 'completed').filter({ hasText: '1' }).waitFor({ timeout: 10_000 });
    await view().locator('[data-element-id="Check"].tessera-highlight').waitFor();
    expect((await records(page, runId)).filter((r) => r.kind === 'token').map((r) => `${r.node}:${r.status}`)).toEqual(['Begin:completed', 'Prepare:completed']);
    await expect(view().getByTestId('editor-run-status').textContent()).resolves.toBe('paused (step mode)');
    await page.screenshot({ path: `${shots}/editor-step-paused.png` });

    // when continuing
    await view().getByRole('button', { name: 'Continue' }).click();

    // then the run finishes freely: the big branch taken, its chain valid
    await waitForRun(page, runId, (d) => d.run.status === 'completed');
    await badge('Big', 'completed').filter({ hasText: '1' }).waitFor({ timeout: 10_000 });
    await view().getByTestId('editor-run-status').filter({ hasText: 'completed' }).waitFor();
    await expect(view().getByTestId('step-controls').count()).resolves.toBe(0);
    await expect(verify(page, runId)).resolves.toMatchObject({ ok: true });
    await page.screenshot({ path: `${shots}/editor-monitoring-done.png` });

    // when going back to editing
    await view().getByRole('button', { name: /Back to editing/ }).click();

    // then the modeler is as it was: same XML, no run colours, the rename still undoable
    await view().waitFor({ state: 'detached' });
    await expect(page.locator('.editor-layer').getAttribute('inert')).resolves.toBeNull();
    expect(await modelerXml()).toBe(before);
    await expect(page.locator('.editor-layer [class*="tessera-completed"], .editor-layer [class*="tessera-highlight"]').count()).resolves.toBe(0);
    expect(await canUndo()).toBe(true);
    await page.evaluate(() => (window.tesseraModeler!.get('commandStack') as { undo(): void }).undo());
    expect(await modelerXml()).not.toContain('Prepare order');
  });

  it('a breakpoint set from the monitoring view stops Continue before that element', async () => {
    // given a run started in step mode from the editor, paused before Begin
    await openRuns(page, relay.url);
    const diagramId = await page.evaluate(async (x) => (await window.tesseraEngine!.api.saveDiagram({ name: 'Breakpoints', xml: x })).diagram.id, xml);
    await page.goto(`${relay.url}/diagrams/${diagramId}`);
    await waitForEditor(page);
    await page.getByRole('button', { name: /Run/ }).first().click();
    const dialog = page.getByTestId('start-dialog');
    await dialog.getByLabel('Variables (JSON object)').fill('{"amount": 5}');
    await dialog.getByLabel('Step mode').check();
    await dialog.getByRole('button', { name: 'Start run' }).click();
    await held().filter({ hasText: 'Begin' }).waitFor({ timeout: 15_000 });
    const runId = (await view().getAttribute('data-run-id'))!;

    // when a breakpoint is added on Check (keyboard: the select and its button) and the run continues
    await view().getByLabel('Pause before').selectOption({ label: 'Check' });
    await view().getByRole('button', { name: 'Add breakpoint' }).click();
    await view().getByTestId('breakpoints').getByText('Check').waitFor();
    await view().getByRole('button', { name: 'Continue' }).click();

    // then it runs Begin and Prepare and stops before Check, at the breakpoint
    await view().getByTestId('step-status').filter({ hasText: /Paused before\s+Check\s+\(breakpoint\)/ }).waitFor({ timeout: 10_000 });
    await badge('Prepare', 'completed').filter({ hasText: '1' }).waitFor({ timeout: 10_000 });
    await expect(getRun(page, runId).then((d) => d?.step)).resolves.toMatchObject({ stepMode: false, breakpoints: ['Check'], held: { node: 'Check' } });
    await page.screenshot({ path: `${shots}/editor-breakpoint.png` });

    // when the breakpoint is removed and the run continues, it finishes on the small branch
    await view().getByRole('button', { name: 'Remove breakpoint Check' }).click();
    await view().getByRole('button', { name: 'Continue' }).click();
    await waitForRun(page, runId, (d) => d.run.status === 'completed');
    await badge('Small', 'completed').filter({ hasText: '1' }).waitFor({ timeout: 10_000 });

    // when Escape is pressed (focus on the view), the editor is back
    await view().getByRole('button', { name: /Back to editing/ }).focus();
    await page.keyboard.press('Escape');
    await view().waitFor({ state: 'detached' });
    await expect(page.evaluate(() => document.activeElement?.textContent?.includes('Run'))).resolves.toBe(true);
  });

  it('a step-mode run is still paused at the same element after a reload, and steps on to the end', async () => {
    // given a run started in step mode (no start dialog: the worker API) and stepped once
    await openRuns(page, relay.url);
    const runId = await startRun(page, { xml, variables: { amount: 5 }, stepMode: true });
    await expect.poll(async () => (await getRun(page, runId))?.step?.held?.node, { timeout: 10_000 }).toBe('Begin');
    await page.evaluate((id) => window.tesseraEngine!.api.stepRun(id), runId);
    await expect.poll(async () => (await getRun(page, runId))?.step?.held?.node, { timeout: 10_000 }).toBe('Prepare');

    // when the page reloads (a new worker recovers the run)
    await page.reload();
    await page.waitForFunction(() => window.tesseraEngine !== undefined);

    // then it is paused before the same element; its run page offers Step
    await expect.poll(async () => (await getRun(page, runId))?.step?.held?.node, { timeout: 15_000 }).toBe('Prepare');
    await page.goto(`${relay.url}/runs/${runId}`);
    await page.getByTestId('step-held').filter({ hasText: 'Prepare' }).waitFor({ timeout: 15_000 });
    await page.getByTestId('step-controls').screenshot({ path: `${shots}/run-page-step-controls.png` });
    for (const next of ['Check', 'Small']) {
      await page.getByRole('button', { name: 'Step', exact: true }).click();
      await page.getByTestId('step-held').filter({ hasText: next }).waitFor({ timeout: 10_000 });
    }
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    const detail = await waitForRun(page, runId, (d) => d.run.status === 'completed');
    expect(detail.step).toBeUndefined();
    const chain = await records(page, runId);
    expect(chain.filter((r) => r.kind === 'token').map((r) => `${r.node}:${r.status}`)).toEqual(['Begin:completed', 'Prepare:completed', 'Check:completed', 'Small:ended']);
    await expect(verify(page, runId)).resolves.toMatchObject({ ok: true, count: chain.length });
  });
});
