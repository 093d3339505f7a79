/**
 * npm run bench:analytics — in headless Chromium on real IndexedDB:
 *
 * 1. Dashboard query time over RUNS runs / RUNS × PER_RUN records, generated in the page by
 *    bulk puts of chain segments and run rows (5 diagram versions, 10 elements, 85% completed,
 *    10% failed with an incident, 5% cancelled, spread over 7 days). The one-off catch-up that
 *    folds existing finished runs into the aggregate tables is timed separately; the dashboard
 *    figure is the query a page makes once aggregates exist (median of 5, all diagrams and one).
 * 2. Live-view update latency: a run of BRANCHES parallel timer loops (PT0.1S, then TASKS plain
 *    tasks, so one timer step writes TASKS + 3 records) emits ~500 records/s while its run page
 *    is open (a run commits its steps one at a time: records per step, not steps, make the rate); latency = overlay applied (after the rAF batch's DOM
 *    update) − the record's `at` (the engine step's clock, before its commit), p50/p95.
 *
 * Prints figures; the last line is one JSON object. No timed asserts.
 */
import { Cleanup } from '../tests/helpers/cleanup.js';
import { launchBrowser } from '../tests/helpers/launchBrowser.js';
import { startRelay } from '../tests/helpers/startRelay.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 10_000);
const PER_RUN = Number(process.env.BENCH_PER_RUN ?? 100);
const BRANCHES = Number(process.env.BENCH_BRANCHES ?? 5);
/** Plain tasks after each timer: one timer step writes TASKS + 3 records (a run commits its steps one at a time). */
const TASKS = Number(process.env.BENCH_TASKS ?? 8);
const LIVE_MS = Number(process.env.BENCH_LIVE_MS ?? 10_000);

function pct(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** BRANCHES parallel loops of (merge → 100 ms timer → TASKS tasks → back), with DI so the live view has shapes. */
function loopsXml(branches: number, tasks: number): string {
  const mid = (branches * 80) / 2;
  const nodes: string[] = ['<bpmn:startEvent id="S"/>', '<bpmn:parallelGateway id="Fork"/>'];
  const flows: string[] = ['<bpmn:sequenceFlow id="f_s" sourceRef="S" targetRef="Fork"/>'];
  const shapes: string[] = [
    `<bpmndi:BPMNShape id="S_di" bpmnElement="S"><dc:Bounds x="20" y="${mid - 18}" width="36" height="36"/></bpmndi:BPMNShape>`,
    `<bpmndi:BPMNShape id="Fork_di" bpmnElement="Fork"><dc:Bounds x="100" y="${mid - 25}" width="50" height="50"/></bpmndi:BPMNShape>`
  ];
  const edges: string[] = [
    `<bpmndi:BPMNEdge id="f_s_di" bpmnElement="f_s"><di:waypoint x="56" y="${mid}"/><di:waypoint x="100" y="${mid}"/></bpmndi:BPMNEdge>`
  ];
  for (let i = 0; i < branches; i++) {
    const y = i * 80 + 40;
    const chain = [`X${i}`, `T${i}`, ...Array.from({ length: tasks }, (_, j) => `A${i}_${j}`)];
    const xOf = (k: number) => 220 + k * 80;
    nodes.push(`<bpmn:exclusiveGateway id="X${i}"/>`);
    nodes.push(
      `<bpmn:intermediateCatchEvent id="T${i}"><bpmn:timerEventDefinition><bpmn:timeDuration>PT0.1S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>`
    );
    for (let j = 0; j < tasks; j++) nodes.push(`<bpmn:task id="A${i}_${j}"/>`);
    flows.push(`<bpmn:sequenceFlow id="fa${i}" sourceRef="Fork" targetRef="X${i}"/>`);
    edges.push(`<bpmndi:BPMNEdge id="fa${i}_di" bpmnElement="fa${i}"><di:waypoint x="125" y="${mid}"/><di:waypoint x="125" y="${y}"/><di:waypoint x="220" y="${y}"/></bpmndi:BPMNEdge>`);
    chain.forEach((id, k) => {
      const w = k === 0 ? 50 : k === 1 ? 36 : 50;
      const h = k === 0 ? 50 : k === 1 ? 36 : 40;
      shapes.push(`<bpmndi:BPMNShape id="${id}_di" bpmnElement="${id}"><dc:Bounds x="${xOf(k)}" y="${y - h / 2}" width="${w}" height="${h}"/></bpmndi:BPMNShape>`);
      const next = chain[k + 1];
      const fid = `fl${i}_${k}`;
      if (next) {
        flows.push(`<bpmn:sequenceFlow id="${fid}" sourceRef="${id}" targetRef="${next}"/>`);
        edges.push(`<bpmndi:BPMNEdge id="${fid}_di" bpmnElement="${fid}"><di:waypoint x="${xOf(k) + w}" y="${y}"/><di:waypoint x="${xOf(k + 1)}" y="${y}"/></bpmndi:BPMNEdge>`);
      } else {
        flows.push(`<bpmn:sequenceFlow id="${fid}" sourceRef="${id}" targetRef="X${i}"/>`);
        edges.push(
          `<bpmndi:BPMNEdge id="${fid}_di" bpmnElement="${fid}"><di:waypoint x="${xOf(k) + 25}" y="${y + 20}"/><di:waypoint x="${xOf(k) + 25}" y="${y + 34}"/><di:waypoint x="245" y="${y + 34}"/><di:waypoint x="245" y="${y + 25}"/></bpmndi:BPMNEdge>`
        );
      }
    });
  }
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
  xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" id="Defs" targetNamespace="urn:tessera:bench">
  <bpmn:process id="Loops" isExecutable="true">${nodes.join('')}${flows.join('')}</bpmn:process>
  <bpmndi:BPMNDiagram id="D"><bpmndi:BPMNPlane id="P" bpmnElement="Loops">${shapes.join('')}${edges.join('')}</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>`;
}

// Plain JavaScript text for the page (tsx would wrap named functions in helpers the page lacks).
// Generates RUNS runs of PER_RUN records as segments of 10 records, 200 runs a transaction.
const generate = `async ({ runs, perRun }) => {
  const open = () => new Promise((resolve, reject) => { const r = indexedDB.open('tessera'); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
  const db = await open();
  const day = 86400000;
  const now = Date.now();
  const shas = ['sha-a', 'sha-b', 'sha-c', 'sha-d', 'sha-e'];
  const nodes = ['Start', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'End'];
  let records = 0;
  const started = performance.now();
  for (let base = 0; base < runs; base += 200) {
    await new Promise((resolve, reject) => {
      const tx = db.transaction(['runs', 'segments'], 'readwrite', { durability: 'relaxed' });
      const runStore = tx.objectStore('runs');
      const segStore = tx.objectStore('segments');
      for (let r = base; r < Math.min(runs, base + 200); r++) {
        const runId = 'bench-' + String(r).padStart(6, '0');
        const roll = (r * 7919) % 100;
        const status = roll < 85 ? 'completed' : roll < 95 ? 'failed' : 'cancelled';
        const t0 = now - 7 * day + Math.floor((r / runs) * 7 * day);
        const sha = shas[r % shas.length];
        const recs = [];
        let at = t0;
        recs.push({ v: 1, runId, seq: 0, id: runId + ':0', kind: 'run', token: '', previousToken: null, node: 'P', instance: 'root', status: 'started', owner: 'engine', at, data: { processId: 'P', xmlSha256: sha, variables: { r } }, prevHash: '', hash: 'h0' });
        let seq = 1;
        let inst = 0;
        while (seq < perRun - 1) {
          const node = nodes[inst % nodes.length];
          const instance = 'i' + inst;
          const flow = inst === 0 ? undefined : 'f' + ((inst - 1) % nodes.length);
          const wait = (node === 'C' || node === 'F') ? 1000 + ((r * 31 + inst * 17) % 60000) : 0;
          const isLast = seq + 2 >= perRun - 1;
          if (status === 'failed' && isLast && seq + 1 < perRun - 1) {
            recs.push({ v: 1, runId, seq: seq++, id: runId + ':' + seq, kind: 'incident', token: 't', previousToken: null, node, instance, status: 'opened', owner: 'engine', at, data: { message: 'boom', element: node }, prevHash: 'x', hash: 'y' });
          } else if (wait > 0 && seq + 1 < perRun - 1) {
            recs.push({ v: 1, runId, seq: seq++, id: runId + ':' + seq, kind: 'token', token: 't', previousToken: null, node, instance, flow, status: 'waiting', owner: 'engine', at, prevHash: 'x', hash: 'y' });
            at += wait;
            recs.push({ v: 1, runId, seq: seq++, id: runId + ':' + seq, kind: 'token', token: 't', previousToken: null, node, instance, flow, status: 'completed', owner: 'engine', at, data: { vars: { root: { last: node } } }, prevHash: 'x', hash: 'y' });
          } else {
            at += (r + inst) % 50;
            recs.push({ v: 1, runId, seq: seq++, id: runId + ':' + seq, kind: 'token', token: 't', previousToken: null, node, instance, flow, status: 'completed', owner: 'engine', at, prevHash: 'x', hash: 'y' });
          }
          inst++;
        }
        recs.push({ v: 1, runId, seq: seq, id: runId + ':' + seq, kind: 'run', token: '', previousToken: null, node: 'P', instance: 'root', status: status === 'completed' ? 'ended' : status, owner: 'engine', at, prevHash: 'x', hash: 'y' });
        for (let s = 0; s < recs.length; s += 10) segStore.put({ runId, seq: s, records: recs.slice(s, s + 10) });
        records += recs.length;
        runStore.put({ runId, processId: 'P', xmlSha256: sha, status, count: recs.length, head: 'y', startedAt: t0, updatedAt: at });
      }
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  }
  db.close();
  return { records, ms: performance.now() - started };
}`;

const cleanup = new Cleanup();
try {
  const relay = await startRelay();
  cleanup.add(() => relay.stop());
  const browser = await launchBrowser();
  cleanup.add(() => browser.close());
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.on('pageerror', (error) => console.error('page error:', error.message));

  // The dashboard page opens the database at the latest version (analytics tables included).
  await page.goto(`${relay.url}/dashboard`);
  await page.waitForFunction(() => (window as { tesseraAnalytics?: unknown }).tesseraAnalytics !== undefined);
  await page.getByText(/No activity to show|computed in/).first().waitFor({ timeout: 60_000 });

  console.log(`generating ${RUNS} runs × ${PER_RUN} records in IndexedDB…`);
  const gen = await page.evaluate(`(${generate})(${JSON.stringify({ runs: RUNS, perRun: PER_RUN })})`) as { records: number; ms: number };
  console.log(`  generated ${gen.records} records in ${(gen.ms / 1000).toFixed(1)} s`);

  const query = `async () => {
    const a = window.tesseraAnalytics;
    const t0 = performance.now();
    const folded = await a.catchUp(200);
    const catchUpMs = performance.now() - t0;
    const all = [];
    const one = [];
    let last;
    for (let i = 0; i < 5; i++) {
      let t = performance.now();
      last = await a.dashboard();
      all.push(performance.now() - t);
      t = performance.now();
      await a.dashboard(['sha-b']);
      one.push(performance.now() - t);
    }
    return { folded, catchUpMs, all, one, runs: last.runs, elements: last.elements.length, hot: last.hotSpots.slice(0, 3), byStatus: last.byStatus };
  }`;
  const q = (await page.evaluate(`(${query})()`)) as {
    folded: number;
    catchUpMs: number;
    all: number[];
    one: number[];
    runs: number;
    elements: number;
    hot: unknown[];
    byStatus: Record<string, number>;
  };
  const median = (v: number[]) => pct(v, 50);
  const dashboardMs = median(q.all);
  console.log(`  one-off catch-up: folded ${q.folded} finished runs in ${(q.catchUpMs / 1000).toFixed(1)} s`);
  console.log(`  dashboard over ${q.runs} runs (all diagrams): median ${dashboardMs.toFixed(1)} ms of [${q.all.map((x) => x.toFixed(0)).join(', ')}]`);
  console.log(`  dashboard for one diagram version: median ${median(q.one).toFixed(1)} ms`);
  console.log(`  by status ${JSON.stringify(q.byStatus)}; ${q.elements} elements; hot spots ${JSON.stringify(q.hot)}`);

  // Live view latency while a run emits ~500 records/s.
  await page.goto(`${relay.url}/runs`);
  await page.waitForFunction(() => window.tesseraEngine !== undefined);
  const runId = await page.evaluate(async (xml) => (await window.tesseraEngine!.api.startRun({ xml })).runId, loopsXml(BRANCHES, TASKS));
  await page.goto(`${relay.url}/runs/${runId}`);
  await page.locator('[data-testid="live-diagram"][data-ready="true"]').waitFor({ timeout: 30_000 });
  if (process.env.BENCH_NO_ANIMATION) await page.getByLabel('Animate tokens').uncheck();
  await page.waitForTimeout(2000); // warm-up
  type W = { tesseraOverlayLatencies?: number[]; tesseraFrameLatencies?: number[]; tesseraArrivalLatencies?: number[] };
  const before = await page.evaluate(() => ({
    n: (window as W).tesseraOverlayLatencies!.length,
    f: (window as W).tesseraFrameLatencies!.length
  }));
  const count0 = await page.evaluate(async (id) => (await window.tesseraEngine!.api.getRun(id))!.run.count, runId);
  await page.waitForTimeout(LIVE_MS);
  const { lat, frames, arrivals, count1 } = await page.evaluate(
    async ({ id, from, fromFrame }) => ({
      lat: (window as W).tesseraOverlayLatencies!.slice(from),
      frames: (window as W).tesseraFrameLatencies!.slice(fromFrame),
      arrivals: (window as W).tesseraArrivalLatencies!.slice(fromFrame),
      count1: (await window.tesseraEngine!.api.getRun(id))!.run.count
    }),
    { id: runId, from: before.n, fromFrame: before.f }
  );
  await page.evaluate(async (id) => window.tesseraEngine!.api.cancelRun(id), runId);
  const rate = ((count1 - count0) / LIVE_MS) * 1000;
  const p50 = pct(lat, 50);
  const p95 = pct(lat, 95);
  console.log(`  live view: ${rate.toFixed(0)} records/s committed; ${lat.length} records applied to overlays; latency (step clock → overlay) p50 ${p50} ms, p95 ${p95} ms, max ${pct(lat, 100)} ms`);
  console.log(`  of which in the page (records received → overlay, ${frames.length} frames): p50 ${pct(frames, 50)} ms, p95 ${pct(frames, 95)} ms`);
  console.log(`  newest record of each batch, step clock → arrival in the page: p50 ${pct(arrivals, 50)} ms, p95 ${pct(arrivals, 95)} ms`);
  console.log(`  targets: dashboard < 1000 ms: ${dashboardMs < 1000 ? 'met' : 'NOT met'}; overlay p95 < 50 ms: ${p95 < 50 ? 'met' : 'NOT met'}`);
  console.log(
    JSON.stringify({
      bench: 'analytics',
      runs: q.runs,
      records: gen.records,
      dashboard_ms: Math.round(dashboardMs * 10) / 10,
      dashboard_one_diagram_ms: Math.round(median(q.one) * 10) / 10,
      catch_up_ms: Math.round(q.catchUpMs),
      records_per_s: Math.round(rate),
      overlay_p50_ms: p50,
      frame_p95_ms: pct(frames, 95),
      overlay_p95_ms: p95
    })
  );
} finally {
  await cleanup.run();
}
