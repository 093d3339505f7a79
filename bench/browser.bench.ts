/**
 * npm run bench:browser — the engine worker in headless Chromium, persisting to real IndexedDB
 * (strict durability): completed start → 10 tasks → end instances per second and records per
 * second, beside the raw limit: dexie bulkAdd of the very same rows in the same transaction
 * sizes, with no engine. Prints figures; the last line is one JSON object. No timed asserts.
 */
import { Cleanup } from '../tests/helpers/cleanup.js';
import { launchBrowser } from '../tests/helpers/launchBrowser.js';
import { startRelay } from '../tests/helpers/startRelay.js';

const INSTANCES = Number(process.env.BENCH_INSTANCES ?? 3000);
const WARMUP = 300;
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 128);

function linearXml(tasks = 10): string {
  const ids = ['Start', ...Array.from({ length: tasks }, (_, i) => `T${i + 1}`), 'End'];
  const nodes = ids.map((id, i) =>
    i === 0 ? `<bpmn:startEvent id="${id}"/>` : i === ids.length - 1 ? `<bpmn:endEvent id="${id}"/>` : `<bpmn:task id="${id}"/>`
  );
  const flows = ids.slice(1).map((id, i) => `<bpmn:sequenceFlow id="f${i}" sourceRef="${ids[i]}" targetRef="${id}"/>`);
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="Defs" targetNamespace="urn:tessera:bench">
  <bpmn:process id="Linear" isExecutable="true">${nodes.join('')}${flows.join('')}</bpmn:process>
</bpmn:definitions>`;
}

const cleanup = new Cleanup();
try {
  const relay = await startRelay();
  cleanup.add(() => relay.stop());
  const browser = await launchBrowser();
  cleanup.add(() => browser.close());
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.on('pageerror', (error) => console.error('page error:', error.message));
  // A run page of no run: it starts the engine worker and subscribes to nothing busy.
  await page.goto(`${relay.url}/runs/bench`);
  await page.waitForFunction(() => window.tesseraEngine !== undefined);

  // Plain JavaScript text: tsx would wrap named functions in helpers the page does not have.
  const inPage = `async ({ xml, instances, warmup, inFlight }) => {
    const api = window.tesseraEngine.api;
    async function runMany(count) {
      const ids = [];
      let next = 0;
      async function lane() {
        while (next < count) {
          next += 1;
          ids.push((await api.startRun({ xml })).runId);
        }
      }
      await Promise.all(Array.from({ length: inFlight }, lane));
      return ids;
    }
    await runMany(warmup);
    await api.writeStats(true);
    const started = performance.now();
    const ids = await runMany(instances);
    const ms = performance.now() - started;
    const stats = await api.writeStats(true);
    const runs = await api.listRuns({ status: 'completed' });
    const completed = new Set(runs.map((run) => run.runId));
    const raw = await api.measureRawWrites(ids, stats.batches);
    return { ms, stats: { transactions: stats.transactions, records: stats.records }, completed: ids.filter((id) => completed.has(id)).length, raw };
  }`;
  const args = { xml: linearXml(10), instances: INSTANCES, warmup: WARMUP, inFlight: IN_FLIGHT };
  const result = (await page.evaluate(`(${inPage})(${JSON.stringify(args)})`)) as {
    ms: number;
    stats: { transactions: number; records: number };
    completed: number;
    raw: { rows: number; records: number; transactions: number; ms: number };
  };

  const instancesPerS = (result.completed / result.ms) * 1000;
  const recordsPerS = (result.stats.records / result.ms) * 1000;
  const rawPerS = (result.raw.records / result.raw.ms) * 1000;
  const rawFraction = recordsPerS / rawPerS;
  const perInstance = result.stats.records / INSTANCES;
  console.log(`browser host: ${INSTANCES} instances of start → 10 tasks → end, ${IN_FLIGHT} in flight, headless Chromium, strict durability`);
  console.log(`  engine:  ${result.completed} completed in ${result.ms.toFixed(0)} ms → ${instancesPerS.toFixed(0)} instances/s, ${recordsPerS.toFixed(0)} records/s (${perInstance.toFixed(1)} records each)`);
  console.log(`           ${result.stats.transactions} transactions, ${(result.stats.records / result.stats.transactions).toFixed(1)} records each on average (one row per committed step)`);
  console.log(`  raw:     dexie bulkAdd of the same ${result.raw.rows} rows (${result.raw.records} records) in the same ${result.raw.transactions} transactions: ${result.raw.ms.toFixed(0)} ms → ${rawPerS.toFixed(0)} records/s`);
  console.log(`  engine / raw: ${(rawFraction * 100).toFixed(0)}%`);
  console.log(
    JSON.stringify({
      bench: 'browser',
      instances_per_s: Math.round(instancesPerS),
      records_per_s: Math.round(recordsPerS),
      raw_fraction: Number(rawFraction.toFixed(3))
    })
  );
} finally {
  await cleanup.run();
}
