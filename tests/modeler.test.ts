import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BpmnModdle } from 'bpmn-moddle';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cleanup } from './helpers/cleanup.js';
import { openAppSession } from './helpers/appSession.js';
import { viewports } from './helpers/launchBrowser.js';
import { centre, connect, connections, dropFromPalette, idsOf, select, shapeTypes, waitForEditor, waitSaved } from './helpers/modelerPage.js';
import { repoRoot, type RunningRelay } from './helpers/startRelay.js';

const shots = `${repoRoot}tmp/modeler`;
const miwg = join(repoRoot, '../shared/conformance/miwg');

describe('tests/modeler: the diagram editor in Chromium', () => {
  const cleanup = new Cleanup();
  let relay: RunningRelay;
  let page: Page;

  beforeAll(async () => {
    ({ relay, page } = await openAppSession(cleanup, { shots }));
  });

  afterAll(() => cleanup.run());

  async function newDiagram(): Promise<string> {
    await page.goto(relay.url);
    await page.getByRole('button', { name: 'New diagram' }).click();
    await page.waitForURL(/\/diagrams\/d_/);
    await waitForEditor(page);
    return page.url();
  }

  it('builds start → task → gateway → two tasks → end from the palette, sets a condition, and keeps it across a reload', async () => {
    // given a new diagram (it holds one start event)
    const url = await newDiagram();
    await page.getByRole('button', { name: 'Zoom out' }).click();
    await page.getByRole('button', { name: 'Zoom out' }).click();
    const start = await centre(page, 'StartEvent_1');
    // when shapes are dragged from the palette and connected with the context pad
    await dropFromPalette(page, 'create.task', start.x + 100, start.y);
    await dropFromPalette(page, 'create.exclusive-gateway', start.x + 200, start.y);
    await dropFromPalette(page, 'create.task', start.x + 300, start.y - 80);
    await dropFromPalette(page, 'create.task', start.x + 300, start.y + 80);
    await dropFromPalette(page, 'create.end-event', start.x + 400, start.y);
    const [first, big, small] = await idsOf(page, 'bpmn:Task');
    const [gateway] = await idsOf(page, 'bpmn:ExclusiveGateway');
    const [end] = await idsOf(page, 'bpmn:EndEvent');
    expect([first, big, small, gateway, end].every(Boolean)).toBe(true);
    await connect(page, 'StartEvent_1', first!);
    await connect(page, first!, gateway!);
    await connect(page, gateway!, big!);
    await connect(page, gateway!, small!);
    await connect(page, big!, end!);
    await connect(page, small!, end!);
    const flows = await connections(page);
    await page.screenshot({ path: `${shots}/built-1366.png` });
    expect(flows, JSON.stringify(flows)).toHaveLength(6);
    // and the flow to the first task gets a FEEL condition, the other becomes the default
    const toBig = flows.find((flow) => flow.source === gateway && flow.target === big)!;
    const toSmall = flows.find((flow) => flow.source === gateway && flow.target === small)!;
    await select(page, toBig.id);
    const condition = page.getByLabel('Condition (FEEL)');
    await condition.fill('=amount >');
    await expect(page.getByRole('alert').filter({ hasText: 'FEEL does not parse' }).count()).resolves.toBe(1);
    await condition.fill('=amount > 100');
    await condition.press('Enter');
    await select(page, toSmall.id);
    await page.getByLabel('Default flow').check();
    await waitSaved(page);
    await page.screenshot({ path: `${shots}/built-1366.png` });
    // then after a reload the same diagram comes back
    await page.goto(url);
    await waitForEditor(page);
    const types = await shapeTypes(page);
    expect(types.sort()).toEqual(['bpmn:EndEvent', 'bpmn:ExclusiveGateway', 'bpmn:StartEvent', 'bpmn:Task', 'bpmn:Task', 'bpmn:Task']);
    expect(await connections(page)).toHaveLength(6);
    const xml = (await page.evaluate(() => window.tesseraModeler!.saveXML())).xml;
    expect(xml).toContain('amount &gt; 100');
    expect(xml).toContain(`default="${toSmall.id}"`);
    // and the engine can run it: Run is enabled
    await page.getByRole('tab', { name: /Problems/ }).click();
    await expect(page.getByRole('button', { name: /Run/ }).isEnabled()).resolves.toBe(true);
  });

  it('imports every MIWG reference diagram and renders one shape per DI shape', async () => {
    await newDiagram();
    const files = (await readdir(miwg)).filter((name) => name.endsWith('.bpmn')).sort();
    expect(files.length).toBeGreaterThan(10);
    const results: string[] = [];
    for (const name of files) {
      const path = join(miwg, name);
      const { expected, undrawable } = await countShapes(await readFile(path, 'utf8'));
      await page.locator('.editor-shell input[type=file]').setInputFiles(path);
      await page.getByRole('status').filter({ hasText: `Opened ${name}` }).waitFor();
      await waitSaved(page);
      const rendered = (await shapeTypes(page)).length;
      results.push(`${name}: rendered ${rendered} of ${expected} DI shapes${undrawable ? ` (+${undrawable} for a process no participant shows)` : ''}`);
      expect(rendered, name).toBe(expected);
      if (name === 'C.4.0.bpmn') await page.screenshot({ path: `${shots}/miwg-C.4.0-1366.png` });
    }
    await writeFile(`${shots}/miwg.txt`, `${results.join('\n')}\n`);
  });

  it('exports BPMN that re-imports to the same semantic model, unknown extensions included', async () => {
    // given the build pipeline template plus an unknown extension element
    const template = await readFile(join(repoRoot, 'src/lib/modeler/templates/build-pipeline.bpmn'), 'utf8');
    const withUnknown = template
      .replace('id="Defs_BuildPipeline"', 'xmlns:acme="urn:acme:ext" id="Defs_BuildPipeline"')
      .replace('<tessera:command timeout="PT5M" resultVariable="install">', '<acme:owner team="platform"><acme:note>keep me</acme:note></acme:owner>\n        <tessera:command timeout="PT5M" resultVariable="install">');
    const source = join(shots, 'roundtrip-source.bpmn');
    await writeFile(source, withUnknown);
    await newDiagram();
    await page.locator('.editor-shell input[type=file]').setInputFiles(source);
    await page.getByRole('status').filter({ hasText: 'Opened roundtrip-source.bpmn' }).waitFor();
    await waitSaved(page);
    // when it is exported through the Export menu and opened again
    await page.getByText('Export', { exact: true }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'BPMN (.bpmn)' }).click()]);
    const exported = join(shots, 'roundtrip-export.bpmn');
    await download.saveAs(exported);
    await page.locator('.editor-shell input[type=file]').setInputFiles(exported);
    await page.getByRole('status').filter({ hasText: 'Opened roundtrip-export.bpmn' }).waitFor();
    await waitSaved(page);
    const again = (await page.evaluate(() => window.tesseraModeler!.saveXML({ format: true }))).xml;
    // then the semantic model is the same as the file's, and the unknown extension survived
    const exportedXml = await readFile(exported, 'utf8');
    expect(exportedXml).toContain('<acme:note>keep me</acme:note>');
    expect(exportedXml).toContain('<tessera:arg>-e</tessera:arg>');
    expect(await semantic(again)).toEqual(await semantic(exportedXml));
    expect(await semantic(exportedXml)).toEqual(await semantic(withUnknown));
  });

  it('refuses a malformed file with a message and changes nothing', async () => {
    await newDiagram();
    const before = (await page.evaluate(() => window.tesseraModeler!.saveXML())).xml;
    await page.locator('.editor-shell input[type=file]').setInputFiles({
      name: 'broken.bpmn',
      mimeType: 'application/xml',
      buffer: Buffer.from('<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"><bpmn:process id="P"><bpmn:task id="T"></bpmn:process>')
    });
    const alert = page.getByRole('alert').filter({ hasText: 'broken.bpmn' });
    await alert.waitFor();
    await expect(alert.innerText()).resolves.toMatch(/could not be read as BPMN.*Nothing was changed/s);
    expect((await page.evaluate(() => window.tesseraModeler!.saveXML())).xml).toBe(before);
    await page.locator('.editor-shell input[type=file]').setInputFiles({ name: 'notes.bpmn', mimeType: 'text/plain', buffer: Buffer.from('just text') });
    await page.getByRole('alert').filter({ hasText: 'notes.bpmn is not BPMN 2.0 XML' }).waitFor();
  });

  it('takes a file dropped on the library (a new diagram) and on the editor (opened in place)', async () => {
    const dropped = (name: string, taskId: string) =>
      page.evaluateHandle(
        ([file, id]) => {
          const transfer = new DataTransfer();
          const xml = `<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" id="D" targetNamespace="urn:x"><bpmn:process id="P" isExecutable="true"><bpmn:task id="${id}" /></bpmn:process><bpmndi:BPMNDiagram id="DI"><bpmndi:BPMNPlane id="PL" bpmnElement="P"><bpmndi:BPMNShape id="${id}_di" bpmnElement="${id}"><dc:Bounds x="100" y="100" width="100" height="80" /></bpmndi:BPMNShape></bpmndi:BPMNPlane></bpmndi:BPMNDiagram></bpmn:definitions>`;
          transfer.items.add(new File([xml], file!, { type: 'application/xml' }));
          return transfer;
        },
        [name, taskId]
      );
    // given the library: a dragged file shows the drop hint, dropping it imports a new diagram
    await page.goto(relay.url);
    const library = page.getByRole('region', { name: 'Diagram library' });
    const first = await dropped('dropped-library.bpmn', 'DroppedInLibrary');
    await library.dispatchEvent('dragover', { dataTransfer: first });
    await page.getByText('Drop a .bpmn, .xml or .json file to import it').waitFor();
    await library.dispatchEvent('drop', { dataTransfer: first });
    await page.getByRole('status').filter({ hasText: 'Imported dropped-library.bpmn' }).waitFor();
    expect(await page.getByText('Drop a .bpmn, .xml or .json file to import it').count()).toBe(0);
    // and in the editor, a dropped file replaces the diagram's content
    await newDiagram();
    const second = await dropped('dropped-editor.bpmn', 'DroppedInEditor');
    const editor = page.getByRole('region', { name: 'Diagram editor' });
    await editor.dispatchEvent('dragover', { dataTransfer: second });
    await editor.dispatchEvent('drop', { dataTransfer: second });
    await page.getByRole('status').filter({ hasText: 'Opened dropped-editor.bpmn' }).waitFor();
    await expect.poll(() => idsOf(page, 'bpmn:Task')).toEqual(['DroppedInEditor']);
  });

  it('looks right at 1366 and 768 px: editor, properties panel, library', async () => {
    await page.goto(relay.url);
    await page.getByRole('button', { name: /Expense approval/ }).click();
    await waitForEditor(page);
    await select(page, 'ManagerApproval');
    await page.screenshot({ path: `${shots}/editor-panel-1366.png` });
    await page.setViewportSize(viewports.tablet);
    await page.screenshot({ path: `${shots}/editor-panel-768.png` });
    await page.goto(relay.url);
    await page.locator('.card').first().waitFor();
    await page.screenshot({ path: `${shots}/library-768.png`, fullPage: true });
    await page.setViewportSize(viewports.laptop);
    await page.screenshot({ path: `${shots}/library-1366.png`, fullPage: true });
  });
});

interface Node {
  $type: string;
  $parent?: Node;
  id?: string;
  [key: string]: unknown;
}

/**
 * DI shapes a BPMN viewer draws: those of the first diagram and of sub-process planes (drill-down).
 * Shapes of a lane-less process that no participant of the drawn collaboration shows are not
 * drawn by bpmn-js; they are counted apart (MIWG B.1.0 has three).
 */
async function countShapes(xml: string): Promise<{ expected: number; undrawable: number }> {
  const { rootElement } = await new BpmnModdle().fromXML(xml);
  const diagrams = ((rootElement as Node)['diagrams'] as Node[] | undefined) ?? [];
  let expected = 0;
  let undrawable = 0;
  diagrams.forEach((diagram, index) => {
    const plane = diagram['plane'] as Node;
    const planeElement = plane['bpmnElement'] as Node | undefined;
    const drawn = index === 0 || planeElement?.$type === 'bpmn:SubProcess';
    if (!drawn) return;
    const shown = new Set(
      planeElement?.$type === 'bpmn:Collaboration'
        ? ((planeElement['participants'] as Node[] | undefined) ?? []).map((p) => (p['processRef'] as Node | undefined)?.id)
        : [planeElement?.id]
    );
    for (const shape of ((plane['planeElement'] as Node[] | undefined) ?? []).filter((e) => e.$type === 'bpmndi:BPMNShape')) {
      let owner = shape['bpmnElement'] as Node | undefined;
      while (owner && owner.$type !== 'bpmn:Process') owner = owner.$parent;
      // bpmn-js draws a process no participant shows only when it has lanes (BpmnTreeWalker).
      if (owner && planeElement?.$type === 'bpmn:Collaboration' && !shown.has(owner.id) && !owner['laneSets']) undrawable++;
      else expected++;
    }
  });
  return { expected, undrawable };
}

/** The definitions without DI, as canonical XML: what the engine and the modeler mean by the model. */
async function semantic(xml: string): Promise<string> {
  const moddle = new BpmnModdle();
  const { rootElement } = await moddle.fromXML(xml);
  const definitions = rootElement as { diagrams?: unknown[] };
  definitions.diagrams = [];
  return (await moddle.toXML(definitions, { format: true })).xml;
}
