import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRelay } from '../sync-server/createRelay.js';
import { attachSync } from '../sync-server/sync/attachSync.js';
import { Cleanup } from './helpers/cleanup.js';
import { launchBrowser, viewports, type LaunchedBrowser } from './helpers/launchBrowser.js';
import { waitForEditor } from './helpers/modelerPage.js';
import { buildDir, repoRoot } from './helpers/startRelay.js';

const shots = `${repoRoot}tmp/collab`;

/* eslint-disable @typescript-eslint/no-explicit-any -- bpmn-js services inside page.evaluate */
/* The page-side handles: window.tesseraModeler (DiagramEditor) and window.tesseraCollab (CollabBar). */
interface PageWindow {
  tesseraModeler: { get(name: string): any };
  tesseraCollab: { status: string; provider: { connect(): void; disconnect(): void }; inviteLink(role: string, base: string): Promise<string> };
}

describe('tests/collab: two Chromium profiles co-edit one diagram through a real relay', () => {
  const cleanup = new Cleanup();
  let url: string;
  let a: Page;
  let b: Page;
  let diagramUrl: string;

  async function online(page: Page): Promise<void> {
    await page.waitForFunction(() => (window as unknown as PageWindow).tesseraCollab?.status === 'online', undefined, { timeout: 20_000 });
  }

  async function open(link: string): Promise<{ page: Page; browser: LaunchedBrowser }> {
    const browser = await launchBrowser(viewports.laptop);
    cleanup.add(() => browser.close());
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await page.goto(link);
    await page.waitForFunction(() => (window as unknown as PageWindow).tesseraModeler !== undefined);
    await online(page);
    return { page, browser };
  }

  const names = (page: Page) =>
    page.evaluate(() => {
      const registry = (window as unknown as PageWindow).tesseraModeler.get('elementRegistry');
      return Object.fromEntries(
        registry
          .getAll()
          .filter((e: any) => e.parent && e.type !== 'label')
          .map((e: any) => [e.id, `${e.type}|${e.businessObject.name ?? ''}`])
      ) as Record<string, string>;
    });

  const addTask = (page: Page, name: string, x: number, y: number) =>
    page.evaluate(
      ({ name, x, y }) => {
        const m = (window as unknown as PageWindow).tesseraModeler;
        const shape = m.get('elementFactory').createShape({ type: 'bpmn:Task' });
        shape.businessObject.name = name;
        return m.get('modeling').createShape(shape, { x, y }, m.get('canvas').getRootElement()).id as string;
      },
      { name, x, y }
    );

  const rename = (page: Page, id: string, name: string) =>
    page.evaluate(
      ({ id, name }) => {
        const m = (window as unknown as PageWindow).tesseraModeler;
        m.get('modeling').updateProperties(m.get('elementRegistry').get(id), { name });
      },
      { id, name }
    );

  async function converged(timeout = 10_000): Promise<Record<string, string>> {
    const started = Date.now();
    for (;;) {
      const [x, y] = await Promise.all([names(a), names(b)]);
      const sorted = (r: Record<string, string>) => JSON.stringify(Object.entries(r).sort(([k], [l]) => k.localeCompare(l)));
      if (sorted(x) === sorted(y)) return x;
      if (Date.now() - started > timeout) throw new Error(`not converged:\nA ${sorted(x)}\nB ${sorted(y)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    const dir = mkdtempSync(join(tmpdir(), 'tessera-collab-'));
    cleanup.add(() => rmSync(dir, { recursive: true, force: true }));
    const relay = createRelay({ host: '127.0.0.1', port: 0, staticDir: buildDir });
    attachSync(relay, { dbFile: join(dir, 'sync.sqlite'), secret: 'collab-e2e-secret', boundHost: '127.0.0.1' });
    url = (await relay.listen()).url;
    cleanup.add(() => relay.close());
    // given A creates a diagram (and seeds its room), and B opens A's edit link
    const first = await launchBrowser(viewports.laptop);
    cleanup.add(() => first.close());
    a = first.context.pages()[0] ?? (await first.context.newPage());
    await a.goto(url);
    await a.getByRole('button', { name: 'New diagram' }).click();
    await a.waitForURL(/\/diagrams\/d_/);
    await waitForEditor(a);
    await online(a);
    diagramUrl = a.url();
    const edit = await a.evaluate((base) => (window as unknown as PageWindow).tesseraCollab.inviteLink('edit', base), url);
    b = (await open(edit)).page;
  });

  afterAll(() => cleanup.run());

  it('B sees what A seeded; concurrent edits to different elements both survive', async () => {
    await expect.poll(() => names(b), { timeout: 10_000 }).toHaveProperty('StartEvent_1');
    // when A adds a task while B renames the start event
    await Promise.all([addTask(a, 'From A', 400, 180), rename(b, 'StartEvent_1', 'Begin (B)')]);
    // then both clients hold both edits
    const model = await converged();
    expect(Object.values(model)).toContain('bpmn:Task|From A');
    expect(model.StartEvent_1).toBe('bpmn:StartEvent|Begin (B)');
  });

  it('a connection with a condition and a move made in A arrive in B (semantics, waypoints, geometry)', async () => {
    // when A connects the start event to its task, gives the flow a condition and moves the task
    const flowId = await a.evaluate(() => {
      const m = (window as unknown as PageWindow).tesseraModeler;
      const registry = m.get('elementRegistry');
      const task = registry.getAll().find((e: any) => e.businessObject.name === 'From A');
      const flow = m.get('modeling').connect(registry.get('StartEvent_1'), task);
      const condition = m.get('bpmnFactory').create('bpmn:FormalExpression', { body: '=amount > 100' });
      m.get('modeling').updateProperties(flow, { conditionExpression: condition });
      m.get('modeling').moveShape(task, { x: 0, y: 40 });
      return flow.id as string;
    });
    // then B has the same flow, ends, condition, waypoints and task position
    const read = (page: Page) =>
      page.evaluate((id) => {
        const registry = (window as unknown as PageWindow).tesseraModeler.get('elementRegistry');
        const flow = registry.get(id);
        if (!flow) return null;
        const task = registry.get(flow.target.id);
        return { source: flow.source.id, target: flow.target.id, body: flow.businessObject.conditionExpression?.body, waypoints: flow.waypoints.map((p: any) => [p.x, p.y]), task: [task.x, task.y] };
      }, flowId);
    const expected = await read(a);
    expect(expected?.body).toBe('=amount > 100');
    await expect.poll(() => read(b), { timeout: 10_000 }).toEqual(expected);
  });

  it("an id edit in A moves the element in B too (no duplicate), and its flows follow", async () => {
    // when A changes the id of its task (as the properties panel does)
    const oldId = await a.evaluate(() => {
      const m = (window as unknown as PageWindow).tesseraModeler;
      const task = m.get('elementRegistry').getAll().find((e: any) => e.businessObject.name === 'From A');
      const id = task.id as string;
      m.get('modeling').updateProperties(task, { id: 'Task_Renamed' });
      return id;
    });
    // then both hold it once, under the new id, still the target of the start event's flow
    const model = await converged();
    expect(Object.keys(model)).toContain('Task_Renamed');
    expect(Object.keys(model)).not.toContain(oldId);
    const incoming = (page: Page) =>
      page.evaluate(() => (window as unknown as PageWindow).tesseraModeler.get('elementRegistry').get('Task_Renamed')?.incoming.map((f: any) => f.source.id));
    await expect.poll(() => incoming(b)).toEqual(['StartEvent_1']);
  });

  it('concurrent renames of one element converge to one name', async () => {
    await Promise.all([rename(a, 'StartEvent_1', 'Name by A'), rename(b, 'StartEvent_1', 'Name by B')]);
    const model = await converged();
    expect(['bpmn:StartEvent|Name by A', 'bpmn:StartEvent|Name by B']).toContain(model.StartEvent_1);
  });

  it('undo in A takes back only A\'s own edit, never B\'s', async () => {
    // given A adds a task, then B renames the start event
    await new Promise((r) => setTimeout(r, 400));
    const taskId = await addTask(a, 'Undo me', 300, 420);
    await expect.poll(async () => Object.keys(await names(b))).toContain(taskId);
    await rename(b, 'StartEvent_1', 'Kept by B');
    await expect.poll(async () => (await names(a)).StartEvent_1).toBe('bpmn:StartEvent|Kept by B');
    // when A undoes
    await a.evaluate(() => (window as unknown as PageWindow).tesseraModeler.get('editorActions').trigger('undo'));
    // then A's task is gone on both, B's rename stays
    const model = await converged();
    expect(Object.keys(model)).not.toContain(taskId);
    expect(model.StartEvent_1).toBe('bpmn:StartEvent|Kept by B');
  });

  it('an edit made offline merges on reconnect, and the offline client shows pending changes', async () => {
    // given B goes offline
    await b.evaluate(() => (window as unknown as PageWindow).tesseraCollab.provider.disconnect());
    // when B adds a task offline while A adds one online
    await addTask(b, 'Offline B', 400, 320);
    await addTask(a, 'Online A', 600, 180);
    await expect.poll(() => b.getByTestId('collab-status').textContent()).toMatch(/pending changes/);
    expect(Object.values(await names(a))).not.toContain('bpmn:Task|Offline B');
    // then after B reconnects both hold both tasks
    await b.evaluate(() => (window as unknown as PageWindow).tesseraCollab.provider.connect());
    await online(b);
    const model = await converged();
    expect(Object.values(model)).toEqual(expect.arrayContaining(['bpmn:Task|Offline B', 'bpmn:Task|Online A']));
  });

  it('a viewer sees live edits and cursors but cannot edit; screenshots show the collaborators', async () => {
    const view = await a.evaluate((base) => (window as unknown as PageWindow).tesseraCollab.inviteLink('view', base), url);
    const viewer = (await open(view)).page;
    await expect.poll(() => names(viewer), { timeout: 10_000 }).toEqual(await names(a));
    // when the viewer edits locally, nobody else gets it
    await addTask(viewer, 'Viewer edit', 700, 350);
    await addTask(a, 'After viewer', 800, 180);
    await expect.poll(async () => Object.values(await names(viewer))).toContain('bpmn:Task|After viewer');
    expect(Object.values(await names(a))).not.toContain('bpmn:Task|Viewer edit');
    expect(Object.values(await names(b))).not.toContain('bpmn:Task|Viewer edit');
    expect(await viewer.getByTestId('collab-status').textContent()).toMatch(/view only/);
    // and B's selection shows on A's canvas
    await b.evaluate(() => {
      const m = (window as unknown as PageWindow).tesseraModeler;
      m.get('selection').select(m.get('elementRegistry').get('StartEvent_1'));
    });
    await expect.poll(() => a.locator('.collab-selection').count()).toBeGreaterThan(0);
    await a.screenshot({ path: `${shots}/a-sees-two-cursors.png` });
    await b.screenshot({ path: `${shots}/b.png` });
    expect(diagramUrl).toContain('/diagrams/');
  });

  // Regression: after B's offline/online cycle A used to miss B's cursor (stale awareness clocks,
  // and B's provider relaying A's removal let B claim A's id on the relay); tests/relayPresence
  // reproduces both deterministically, Room#encodeAwareness explains the fix.
  it("A sees the cursor of B, who went offline and came back", async () => {
    // given B points at the canvas, moving as people do
    const pointAt = async () => {
      const box = (await b.locator('.canvas').boundingBox())!;
      await b.mouse.move(box.x + 420, box.y + 200);
      await b.mouse.move(box.x + 520, box.y + 300, { steps: 4 });
    };
    const bName = await b.evaluate(() => (window as unknown as { tesseraCollab: { provider: { awareness: { getLocalState(): { user?: { name?: string } } | null } } } }).tesseraCollab.provider.awareness.getLocalState()?.user?.name);
    // then A draws B's cursor
    await expect
      .poll(async () => {
        await pointAt();
        return a.locator('.collab-cursor').evaluateAll((els) => els.map((e) => e.getAttribute('data-user')));
      }, { timeout: 20_000, interval: 500 })
      .toContain(bName);
  });

  it("while B drags a shape, A sees its ghost (awareness, not the doc); it goes when B drops", async () => {
    const box = (await b.locator('[data-element-id="StartEvent_1"]').boundingBox())!;
    await b.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await b.mouse.down();
    // when B holds the start event mid-drag
    await expect
      .poll(async () => {
        await b.mouse.move(box.x + box.width / 2 + 60 + Math.random() * 40, box.y + box.height / 2 + 50, { steps: 3 });
        return a.locator('.collab-ghost').count();
      }, { timeout: 15_000, interval: 300 })
      .toBeGreaterThan(0);
    await a.screenshot({ path: `${shots}/a-sees-b-dragging.png` });
    // then the ghost disappears once B drops
    await b.mouse.up();
    await expect.poll(() => a.locator('.collab-ghost').count(), { timeout: 10_000 }).toBe(0);
  });
});
