/** Drives the diagram editor of an app page through `window.tesseraModeler` (see DiagramEditor.svelte). */
import type { Page } from 'playwright-core';

declare global {
  interface Window {
    tesseraModeler?: {
      get(name: string): unknown;
      saveXML(options?: { format?: boolean }): Promise<{ xml: string }>;
    };
  }
}

/** Waits until the editor has imported its diagram and says it is saved. */
export async function waitForEditor(page: Page): Promise<void> {
  await page.waitForFunction(() => window.tesseraModeler !== undefined);
  await page.locator('.djs-element').first().waitFor();
  await waitSaved(page);
}

export async function waitSaved(page: Page): Promise<void> {
  await page.getByTestId('save-status').filter({ hasText: /^Saved$/ }).waitFor({ timeout: 15_000 });
}

/** Shapes on every plane (not roots, labels or connections), by BPMN type. */
export function shapeTypes(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const registry = window.tesseraModeler!.get('elementRegistry') as { getAll(): { type: string; parent?: unknown; waypoints?: unknown }[] };
    return registry
      .getAll()
      .filter((element) => element.parent && !element.waypoints && element.type !== 'label')
      .map((element) => element.type);
  });
}

export function connections(page: Page): Promise<{ id: string; type: string; source: string; target: string }[]> {
  return page.evaluate(() => {
    const registry = window.tesseraModeler!.get('elementRegistry') as {
      getAll(): { id: string; type: string; waypoints?: unknown; source?: { id: string }; target?: { id: string } }[];
    };
    return registry
      .getAll()
      .filter((element) => element.waypoints && element.source && element.target)
      .map((element) => ({ id: element.id, type: element.type, source: element.source!.id, target: element.target!.id }));
  });
}

export function select(page: Page, id: string): Promise<void> {
  return page.evaluate((elementId) => {
    const modeler = window.tesseraModeler!;
    const element = (modeler.get('elementRegistry') as { get(id: string): unknown }).get(elementId);
    (modeler.get('selection') as { select(element: unknown): void }).select(element);
  }, id);
}

/** The on-screen centre of an element. */
export async function centre(page: Page, id: string): Promise<{ x: number; y: number }> {
  const box = await page.locator(`.djs-element[data-element-id="${id}"] .djs-hit`).first().boundingBox();
  if (!box) throw new Error(`${id} is not on screen`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/**
 * Drags a palette entry onto the canvas at (x, y). diagram-js starts a palette drag on the entry's
 * `dragstart`, cancels the native drag and follows the mouse; Playwright's own HTML5 drag emulation
 * swallows those mouse events, so the dragstart is dispatched and the mouse then moves and drops.
 */
export async function dropFromPalette(page: Page, action: string, x: number, y: number): Promise<void> {
  const entry = page.locator(`.djs-palette [data-action="${action}"]`);
  const box = (await entry.boundingBox())!;
  const from = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  await page.mouse.move(from.x, from.y);
  await entry.dispatchEvent('dragstart', { clientX: from.x, clientY: from.y, bubbles: true });
  await page.mouse.move(x - 40, y - 20, { steps: 6 });
  await page.mouse.move(x, y, { steps: 4 });
  await page.mouse.up();
}

/** Connects two shapes with the context pad's connect tool (drag from its icon to the target). */
export async function connect(page: Page, from: string, to: string): Promise<void> {
  await select(page, from);
  const handle = page.locator('.djs-context-pad [data-action="connect"]');
  const box = (await handle.boundingBox())!;
  const target = await centre(page, to);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(target.x - 10, target.y, { steps: 6 });
  await page.mouse.move(target.x, target.y, { steps: 3 });
  await page.mouse.up();
}

/** Ids of elements of a type, in creation order. */
export function idsOf(page: Page, type: string): Promise<string[]> {
  return page.evaluate((wanted) => {
    const registry = window.tesseraModeler!.get('elementRegistry') as { filter(fn: (e: { type: string }) => boolean): { id: string }[] };
    return registry.filter((element) => element.type === wanted).map((element) => element.id);
  }, type);
}
