import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRelay } from '../sync-server/createRelay.js';
import { attachSync } from '../sync-server/sync/attachSync.js';
import { Cleanup } from './helpers/cleanup.js';
import { launchBrowser, viewports } from './helpers/launchBrowser.js';
import { waitForEditor } from './helpers/modelerPage.js';
import { buildDir, repoRoot } from './helpers/startRelay.js';

const shots = `${repoRoot}tmp/collab`;

/* eslint-disable @typescript-eslint/no-explicit-any -- bpmn-js services inside page.evaluate */
interface PageWindow {
  tesseraModeler: { get(name: string): any };
  tesseraCollab: { status: string; user: { name: string }; binding: { rebuilds: number }; inviteLink(role: string, base: string): Promise<string> };
}

describe('tests/collab pools and lanes: created and changed in one client, the same in the other', () => {
  const cleanup = new Cleanup();
  let a: Page;
  let b: Page;

  const online = (page: Page) => page.waitForFunction(() => (window as unknown as PageWindow).tesseraCollab?.status === 'online', undefined, { timeout: 20_000 });

  /** id|type|name|semantic parent|geometry of every shape and connection (labels excluded), sorted. */
  const model = (page: Page) =>
    page.evaluate(() => {
      const m = (window as unknown as PageWindow).tesseraModeler;
      const root = m.get('canvas').getRootElement();
      const rows = m
        .get('elementRegistry')
        .getAll()
        .filter((e: any) => e.type !== 'label')
        .map((e: any) => `${e.id}|${e.type}|${e.businessObject.name ?? ''}|${e.businessObject.$parent?.id ?? ''}|${e.waypoints ? e.waypoints.map((p: any) => `${p.x},${p.y}`).join(' ') : `${e.x},${e.y},${e.width},${e.height}`}`);
      return { root: `${root.id}|${root.type}`, rows: rows.sort() as string[] };
    });

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    const dir = mkdtempSync(join(tmpdir(), 'tessera-collab-pools-'));
    cleanup.add(() => rmSync(dir, { recursive: true, force: true }));
    const relay = createRelay({ host: '127.0.0.1', port: 0, staticDir: buildDir });
    attachSync(relay, { dbFile: join(dir, 'sync.sqlite'), secret: 'collab-pools-secret', boundHost: '127.0.0.1' });
    const { url } = await relay.listen();
    cleanup.add(() => relay.close());
    const first = await launchBrowser(viewports.laptop);
    cleanup.add(() => first.close());
    a = first.context.pages()[0] ?? (await first.context.newPage());
    await a.goto(url);
    await a.getByRole('button', { name: 'New diagram' }).click();
    await a.waitForURL(/\/diagrams\/d_/);
    await waitForEditor(a);
    await online(a);
    const edit = await a.evaluate((base) => (window as unknown as PageWindow).tesseraCollab.inviteLink('edit', base), url);
    const second = await launchBrowser(viewports.laptop);
    cleanup.add(() => second.close());
    b = second.context.pages()[0] ?? (await second.context.newPage());
    await b.goto(edit);
    await b.waitForFunction(() => (window as unknown as PageWindow).tesseraModeler !== undefined);
    await online(b);
  });

  afterAll(() => cleanup.run());

  it('a pool A adds (the diagram becomes a collaboration) and its two lanes appear in B with the same ids', async () => {
    await expect.poll(async () => (await model(b)).rows.join()).toContain('StartEvent_1');
    // when A wraps the diagram in a pool and splits it into two lanes
    await a.evaluate(() => {
      const m = (window as unknown as PageWindow).tesseraModeler;
      const pool = m.get('elementFactory').createParticipantShape({ type: 'bpmn:Participant' });
      m.get('modeling').createShape(pool, { x: 450, y: 250 }, m.get('canvas').getRootElement());
      m.get('modeling').splitLane(pool, 2);
    });
    const expected = await model(a);
    expect(expected.root).toMatch(/bpmn:Collaboration$/);
    expect(expected.rows.filter((r) => r.includes('|bpmn:Lane|'))).toHaveLength(2);
    // then B shows the same root, pool, lanes (with their lane set) and start event
    await expect.poll(() => model(b), { timeout: 15_000 }).toEqual(expected);
  });

  it('B renames a lane and adds a task in the pool; A gets both, and sees who changed the lane', async () => {
    const { lane, taskId } = await b.evaluate(() => {
      const m = (window as unknown as PageWindow).tesseraModeler;
      const registry = m.get('elementRegistry');
      const lane = registry.filter((e: any) => e.type === 'bpmn:Lane')[0];
      m.get('modeling').updateProperties(lane, { name: 'Sales' });
      const pool = registry.filter((e: any) => e.type === 'bpmn:Participant')[0];
      const task = m.get('elementFactory').createShape({ type: 'bpmn:Task' });
      task.businessObject.name = 'Call back';
      m.get('modeling').createShape(task, { x: pool.x + 300, y: lane.y + lane.height / 2 }, pool);
      return { lane: lane.id as string, taskId: task.id as string };
    });
    await expect.poll(() => model(a), { timeout: 15_000 }).toEqual(await model(b));
    expect((await model(a)).rows.join('\n')).toContain(`${lane}|bpmn:Lane|Sales|`);
    expect((await model(a)).rows.join('\n')).toContain(`${taskId}|bpmn:Task|Call back|`);
    // when A selects that lane, the collab bar says B changed it last
    await a.evaluate((id) => {
      const m = (window as unknown as PageWindow).tesseraModeler;
      m.get('selection').select(m.get('elementRegistry').get(id));
    }, lane);
    const bName = await b.evaluate(() => (window as unknown as PageWindow).tesseraCollab.user.name);
    await expect.poll(() => a.getByTestId('collab-changed-by').textContent()).toContain(bName);
    await a.screenshot({ path: `${shots}/a-pool-lanes-changed-by.png` });
    // and B (whose canvas was rebuilt for the pool) marks A's selection on that lane
    await expect.poll(() => b.locator(`.djs-element.collab-selected[data-element-id="${lane}"]`).count()).toBe(1);
  });

  it('A renames the pool and moves the task: B applies both in place (no rebuild) and matches A', async () => {
    const rebuildsBefore = await b.evaluate(() => (window as unknown as PageWindow).tesseraCollab.binding.rebuilds);
    await a.evaluate(() => {
      const m = (window as unknown as PageWindow).tesseraModeler;
      const registry = m.get('elementRegistry');
      const pool = registry.filter((e: any) => e.type === 'bpmn:Participant')[0];
      m.get('modeling').updateProperties(pool, { name: 'Customer service' });
      const task = registry.filter((e: any) => e.type === 'bpmn:Task')[0];
      m.get('modeling').moveShape(task, { x: 60, y: 0 });
    });
    const expected = await model(a);
    expect(expected.rows.join('\n')).toContain('|bpmn:Participant|Customer service|');
    await expect.poll(() => model(b), { timeout: 10_000 }).toEqual(expected);
    expect(await b.evaluate(() => (window as unknown as PageWindow).tesseraCollab.binding.rebuilds)).toBe(rebuildsBefore);
  });
});
