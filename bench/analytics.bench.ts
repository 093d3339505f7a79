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
 *    is open (a run commits its steps one at a time: records per step, not steps, make the rate).
 *    Per record, commit → overlay: from the moment the worker has the step committed (RecordFeed
 *    stamps it, worker clock, epoch ms) to the end of the first frame painted after the overlay's
 *    DOM update (a message posted from that frame's rAF callback runs after its paint). Also shown:
 *    from the engine step's clock (`record.at`, before the commit and its IndexedDB write).
 *
 * Prints figures; the last line is one JSON object. No timed asserts.
 */
import { openAppSession } from '../tests/helpers/appSession.js';
import { Cleanup } from '../tests/helpers/cleanup.js';
import { loopsXml } from './loopsXml.js';

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
  const { relay, browser, page } = await openAppSession(cleanup);

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
  type Lists = { commitToOverlay: number[]; stepToOverlay: number[]; arrival: number[]; inPage: number[] };
  type W = { tesseraLiveLatency: Lists };
  // Measured from here on: clear what the warm-up left.
  await page.evaluate(() => {
    const l = (window as unknown as W).tesseraLiveLatency;
    for (const list of Object.values(l)) list.length = 0;
  });
  // The page's main-thread time (CDP Performance metrics): what the live view costs, whatever the
  // machine's load does to the latency.
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const busy = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
    return { task: m.TaskDuration ?? 0, script: m.ScriptDuration ?? 0, layout: (m.LayoutDuration ?? 0) + (m.RecalcStyleDuration ?? 0) };
  };
  const busy0 = await busy();
  const count0 = await page.evaluate(async (id) => (await window.tesseraEngine!.api.getRun(id))!.run.count, runId);
  await page.waitForTimeout(LIVE_MS);
  const busy1 = await busy();
  const { l, count1 } = await page.evaluate(async (id) => {
    const lists = (window as unknown as W).tesseraLiveLatency;
    return { l: { ...lists }, count1: (await window.tesseraEngine!.api.getRun(id))!.run.count };
  }, runId);
  const lat = l.commitToOverlay;
  await page.evaluate(async (id) => window.tesseraEngine!.api.cancelRun(id), runId);
  const rate = ((count1 - count0) / LIVE_MS) * 1000;
  const p50 = pct(lat, 50);
  const p95 = pct(lat, 95);
  const step = l.stepToOverlay;
  const perS = (k: 'task' | 'script' | 'layout') => Math.round(((busy1[k] - busy0[k]) * 1000 * 1000) / LIVE_MS);
  console.log(`  page main thread busy ${perS('task')} ms/s (script ${perS('script')} ms/s, style+layout ${perS('layout')} ms/s)`);
  console.log(`  live view: ${rate.toFixed(0)} records/s committed; ${lat.length} records shown on the diagram`);
  console.log(`  commit → overlay painted: p50 ${p50} ms, p95 ${p95} ms, max ${pct(lat, 100)} ms`);
  console.log(`    of which commit → records in the page (${l.arrival.length} deliveries): p50 ${pct(l.arrival, 50)} ms, p95 ${pct(l.arrival, 95)} ms`);
  console.log(`    of which in the page, received → painted (${l.inPage.length} frames): p50 ${pct(l.inPage, 50)} ms, p95 ${pct(l.inPage, 95)} ms`);
  console.log(`  engine step clock (before the commit) → overlay painted: p50 ${pct(step, 50)} ms, p95 ${pct(step, 95)} ms`);
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
      step_to_overlay_p95_ms: pct(step, 95),
      page_busy_ms_per_s: perS('task'),
      overlay_p95_ms: p95
    })
  );
} finally {
  await cleanup.run();
}
