import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TaskTypeRegistry } from '../src/lib/runtime/taskTypes/index.js';
import type { TaskType } from '../src/lib/runtime/taskTypes/index.js';
import { attachJobService } from '../sync-server/jobs/attachJobService.js';
import { Cleanup } from './helpers/cleanup.js';
import { launchBrowser, viewports, type LaunchedBrowser } from './helpers/launchBrowser.js';
import { waitForEditor, waitSaved } from './helpers/modelerPage.js';
import { repoRoot, startRelay, type RunningRelay } from './helpers/startRelay.js';

/** A plugin task type as `relay.json` `taskTypes` or `tessera runner --task-type` would load it. */
const slack: TaskType = {
  name: 'slack.post',
  description: 'Posts a message to a channel',
  fields: [
    { name: 'channel', label: 'Channel', type: 'string', required: true, description: 'Without the #' },
    { name: 'retryCount', label: 'Retry count', type: 'number' },
    { name: 'urgent', label: 'Urgent', type: 'boolean' }
  ],
  run: async (job) => ({ status: 'completed', result: job.payload.kind === 'type' ? job.payload.headers : {} })
};

const DIAGRAM = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" id="Defs_TT" targetNamespace="urn:tessera:test">
<bpmn:process id="Notify" isExecutable="true"><bpmn:serviceTask id="Post" name="Post" /></bpmn:process>
<bpmndi:BPMNDiagram id="D"><bpmndi:BPMNPlane id="P" bpmnElement="Notify"><bpmndi:BPMNShape id="Post_di" bpmnElement="Post"><dc:Bounds x="200" y="200" width="100" height="80" /></bpmndi:BPMNShape></bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>`;

describe('tests/taskTypesPanel: the properties panel offers the relay’s registered task types and their fields', () => {
  const cleanup = new Cleanup();
  let relay: RunningRelay;
  let browser: LaunchedBrowser;
  let page: Page;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tessera-task-types-'));
    cleanup.add(() => rm(dir, { recursive: true, force: true }));
    relay = await startRelay();
    attachJobService(relay.relay, { secret: 'task-types-test', allow: [], config: { runners: 1 }, taskTypes: [slack] });
    cleanup.add(() => relay.stop());
    browser = await launchBrowser(viewports.laptop);
    cleanup.add(() => browser.close());
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
  });
  afterAll(() => cleanup.run());

  const panel = () => page.locator('.editor-shell .panel-body');

  async function openDiagram(): Promise<void> {
    await page.goto(relay.url);
    await page.getByRole('button', { name: 'New diagram' }).click();
    await page.waitForURL(/\/diagrams\/d_/);
    await waitForEditor(page);
    await page.locator('.editor-shell input[type="file"]').setInputFiles({ name: 'notify.bpmn', mimeType: 'application/xml', buffer: Buffer.from(DIAGRAM) });
    await page.getByRole('status').filter({ hasText: 'Opened notify.bpmn' }).waitFor();
    await waitSaved(page);
    await page.evaluate(() => {
      const modeler = window.tesseraModeler!;
      const post = (modeler.get('elementRegistry') as { get(id: string): unknown }).get('Post');
      (modeler.get('selection') as { select(element: unknown): void }).select(post);
    });
    await expect.poll(() => panel().locator('header code').textContent()).toBe('Post');
  }

  it('offline: no registered types, a note says so; the job type can still be named', async () => {
    await page.route('**/api/task-types', (route) => route.abort());
    await openDiagram();
    await panel().getByLabel('How this task runs').selectOption('zeebe:TaskDefinition');
    await expect.poll(() => panel().getByTestId('task-types-offline').textContent()).toMatch(/not reachable/);
    expect(await panel().getByLabel('Registered type').locator('option').allTextContents()).toEqual(['Other (name it below)']);
    await page.unroute('**/api/task-types');
  });

  it('choose a registered type, fill its fields: the exported XML carries them as task headers', async () => {
    await openDiagram();
    await panel().getByLabel('How this task runs').selectOption('zeebe:TaskDefinition');
    const registered = panel().getByLabel('Registered type');
    await expect.poll(() => registered.locator('option').allTextContents()).toContain('slack.post — Posts a message to a channel');
    await registered.selectOption('slack.post');
    await expect.poll(() => panel().getByLabel('Job type', { exact: true }).inputValue()).toBe('slack.post');
    const channel = panel().getByLabel('Channel (required)');
    await expect.poll(() => channel.getAttribute('aria-invalid')).toBe('true'); // required, still empty
    await channel.fill('releases');
    await channel.press('Tab');
    const retries = panel().getByLabel('Retry count');
    await retries.fill('3');
    await retries.press('Tab');
    await panel().getByLabel('Urgent').check();
    await page.screenshot({ path: join(repoRoot, 'tmp/screenshots/h6-task-types.png') });
    await waitSaved(page);
    await page.locator('summary', { hasText: 'Export' }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'BPMN (.bpmn)' }).click()]);
    await download.saveAs(join(dir, 'notify.bpmn'));
    const xml = await readFile(join(dir, 'notify.bpmn'), 'utf8');
    expect(xml).toMatch(/<zeebe:taskDefinition type="slack\.post"/);
    expect(xml).toMatch(/<zeebe:header key="channel" value="releases"/);
    expect(xml).toMatch(/<zeebe:header key="retryCount" value="3"/);
    expect(xml).toMatch(/<zeebe:header key="urgent" value="true"/);
    // and the registry reads those headers as the job's: the engine compiles them into the payload
    const { compile } = await import('../src/lib/engine/index.js');
    const model = await compile(xml);
    expect(JSON.stringify(model)).toContain('"channel":"releases"');
    expect(new TaskTypeRegistry([slack]).list()[0]?.fields).toHaveLength(3);
  });
});
