/**
 * npm run bench:modeler — the Tessera editor in headless Chromium: import + first paint of
 * generated 100 / 1,000 / 5,000-element diagrams, and the time to apply one edit (a rename) on the
 * 1,000-element one until the next paint, beside plain bpmn-js (its Modeler bundled alone, no
 * Tessera code) as the limit. Tessera is measured in the real editor page (lint, minimap,
 * problem markers, properties panel, autosave listeners all attached; lint, compile and
 * autosave run debounced after the paint and are not part of these figures). Medians of ROUNDS,
 * alternating which page goes first, each measured from a page that has painted since it came to
 * the front. Beside wall time, each import's main-thread CPU time (CDP ThreadTime): on a shared,
 * loaded machine wall time swings with the neighbours' load, CPU time much less. Prints figures;
 * the last line is one JSON object. No timed asserts.
 */
import { readFile } from 'node:fs/promises';
import { build } from 'esbuild';
import type { CDPSession, Page } from 'playwright-core';
import { openAppSession } from '../tests/helpers/appSession.js';
import { Cleanup } from '../tests/helpers/cleanup.js';
import { repoRoot } from '../tests/helpers/startRelay.js';
import { generateDiagram } from './modeler/generateDiagram.js';

const SIZES = [100, 1000, 5000] as const;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

// Plain JavaScript text: tsx would wrap named functions in helpers the page does not have.
const IMPORT = `async ({ xml }) => {
  const modeler = window.benchModeler;
  const paint = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  const started = performance.now();
  await modeler.importXML(xml);
  modeler.get('canvas').zoom('fit-viewport');
  await paint();
  return performance.now() - started;
}`;
const EDIT = `async () => {
  const modeler = window.benchModeler;
  const paint = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  const element = modeler.get('elementRegistry').get('Task_250');
  const started = performance.now();
  modeler.get('modeling').updateProperties(element, { name: 'Renamed ' + started });
  await paint();
  return performance.now() - started;
}`;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const cleanup = new Cleanup();
try {
  // Tessera: the real editor page of a new diagram.
  const { relay, browser, page: tessera } = await openAppSession(cleanup);
  await tessera.goto(relay.url);
  await tessera.getByRole('button', { name: 'New diagram' }).click();
  await tessera.waitForFunction(() => (window as { tesseraModeler?: unknown }).tesseraModeler !== undefined);
  await tessera.locator('.djs-element').first().waitFor();
  await tessera.evaluate(() => {
    const w = window as unknown as { benchModeler: unknown; tesseraModeler: unknown };
    w.benchModeler = w.tesseraModeler;
  });
  const box = (await tessera.locator('.editor-shell .canvas').boundingBox())!;
  if (process.env.BENCH_OFF) {
    // Diagnosis: switch Tessera features off to see what each costs (BENCH_OFF=minimap).
    await tessera.evaluate(`(() => {
      const m = window.tesseraModeler, off = ${JSON.stringify(process.env.BENCH_OFF)};
      if (off.includes('minimap')) m.get('minimap').close();
      if (off.includes('editor')) window.tesseraEditor.detach();
      if (off.includes('panel')) document.querySelector('.editor-shell .side').remove();
      if (off.includes('has')) for (const sheet of document.styleSheets) { for (let i = sheet.cssRules.length - 1; i >= 0; i--) if (sheet.cssRules[i].cssText.includes(':has(')) sheet.deleteRule(i); }
    })()`);
  }

  // Plain: bpmn-js alone, in a container of the same size.
  const bundle = await build({ entryPoints: [`${repoRoot}bench/modeler/plainEntry.ts`], bundle: true, write: false, format: 'iife', minify: true, logLevel: 'error' });
  const css = (
    await Promise.all(['diagram-js.css', 'bpmn-js.css', 'bpmn-font/css/bpmn-embedded.css'].map((file) => readFile(`${repoRoot}node_modules/bpmn-js/dist/assets/${file}`, 'utf8')))
  ).join('\n');
  const plain = await browser.context.newPage();
  await plain.setContent(`<!doctype html><html><head><style>${css}</style></head><body style="margin:0"><div id="c" style="width:${Math.round(box.width)}px;height:${Math.round(box.height)}px"></div></body></html>`);
  await plain.addScriptTag({ content: bundle.outputFiles[0]!.text });
  await plain.evaluate(() => {
    const w = window as unknown as { benchModeler: unknown; createPlainModeler(el: HTMLElement): unknown };
    w.benchModeler = w.createPlainModeler(document.getElementById('c')!);
  });

  // Only the front tab paints (a background tab gets no animation frames): bring each to front.
  const sessions = new Map<Page, CDPSession>();
  const threadTime = async (page: Page) => {
    let cdp = sessions.get(page);
    if (!cdp) {
      cdp = await page.context().newCDPSession(page);
      await cdp.send('Performance.enable');
      sessions.set(page, cdp);
    }
    const { metrics } = await cdp.send('Performance.getMetrics');
    return (metrics.find((metric) => metric.name === 'ThreadTime')?.value ?? 0) * 1000;
  };
  const measure = async (page: Page, script: string, arg?: unknown) => {
    await page.bringToFront();
    // A tab that comes to the front repaints all of itself (the editor page: header, toolbar,
    // panel; the plain page: the canvas only). Let that happen before the clock starts.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const cpuBefore = await threadTime(page);
    const ms = (await page.evaluate(`(${script})(${JSON.stringify(arg ?? {})})`)) as number;
    return { ms, cpu: (await threadTime(page)) - cpuBefore };
  };
  const run = async (page: Page, script: string, arg?: unknown) => (await measure(page, script, arg)).ms;
  const spread = (values: number[]) => `${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)}`;
  const results: Record<string, { tessera: number; plain: number; tesseraCpu: number; plainCpu: number }> = {};
  for (const size of SIZES) {
    const xml = generateDiagram(size);
    const times = { tessera: [] as number[], plain: [] as number[], tesseraCpu: [] as number[], plainCpu: [] as number[] };
    await run(tessera, IMPORT, { xml });
    await run(plain, IMPORT, { xml });
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate who goes first, so whatever one page leaves behind does not always land on the other.
      const first = round % 2 === 0 ? plain : tessera;
      const a = await measure(first, IMPORT, { xml });
      const b = await measure(first === plain ? tessera : plain, IMPORT, { xml });
      const [p, t] = first === plain ? [a, b] : [b, a];
      times.plain.push(p.ms);
      times.plainCpu.push(p.cpu);
      times.tessera.push(t.ms);
      times.tesseraCpu.push(t.cpu);
    }
    results[size] = { tessera: median(times.tessera), plain: median(times.plain), tesseraCpu: median(times.tesseraCpu), plainCpu: median(times.plainCpu) };
    console.log(
      `import + first paint, ${size} elements: tessera ${results[size]!.tessera.toFixed(1)} ms (${spread(times.tessera)}), plain bpmn-js ${results[size]!.plain.toFixed(1)} ms (${spread(times.plain)}); ` +
        `main-thread CPU tessera ${results[size]!.tesseraCpu.toFixed(1)} ms, plain ${results[size]!.plainCpu.toFixed(1)} ms`
    );
  }
  // Edits on a freshly opened editor holding the 1,000-element diagram (not one that has just
  // imported thirty big diagrams in a row).
  const xml1000 = generateDiagram(1000);
  await tessera.reload();
  await tessera.waitForFunction(() => (window as unknown as { tesseraEditor?: { status: string } }).tesseraEditor?.status === 'saved');
  await tessera.locator('.djs-element').first().waitFor();
  await tessera.evaluate(() => {
    const w = window as unknown as { benchModeler: unknown; tesseraModeler: unknown };
    w.benchModeler = w.tesseraModeler;
  });
  await run(tessera, IMPORT, { xml: xml1000 });
  await run(plain, IMPORT, { xml: xml1000 });
  const edits = { tessera: [] as number[], plain: [] as number[] };
  // Each edit from an idle editor: autosave (800 ms debounce) and validation run after the paint.
  const idle = async () => {
    await tessera.waitForFunction(() => (window as unknown as { tesseraEditor: { status: string } }).tesseraEditor.status === 'saved', undefined, { timeout: 60_000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
  };
  await idle();
  for (let round = 0; round < ROUNDS * 2; round++) {
    edits.plain.push(await run(plain, EDIT));
    edits.tessera.push(await run(tessera, EDIT));
    await idle();
  }
  const edit = { tessera: median(edits.tessera), plain: median(edits.plain) };
  console.log(`one edit on 1000 elements until painted: tessera ${edit.tessera.toFixed(1)} ms, plain bpmn-js ${edit.plain.toFixed(1)} ms`);
  const r = (n: number) => Math.round(n * 10) / 10;
  console.log(
    JSON.stringify({
      bench: 'modeler',
      import_ms_100: r(results[100]!.tessera),
      import_ms_1000: r(results[1000]!.tessera),
      import_ms_5000: r(results[5000]!.tessera),
      plain_import_ms_1000: r(results[1000]!.plain),
      ratio_vs_plain: Math.round((results[1000]!.tessera / results[1000]!.plain) * 100) / 100,
      cpu_ms_1000: r(results[1000]!.tesseraCpu),
      plain_cpu_ms_1000: r(results[1000]!.plainCpu),
      cpu_ratio_vs_plain: Math.round((results[1000]!.tesseraCpu / results[1000]!.plainCpu) * 100) / 100,
      edit_ms_1000: r(edit.tessera),
      plain_edit_ms_1000: r(edit.plain),
      rounds: ROUNDS
    })
  );
} finally {
  await cleanup.run();
}
