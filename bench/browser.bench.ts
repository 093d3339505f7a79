/**
 * npm run bench:browser — the engine worker in headless Chromium, persisting to real IndexedDB
 * (strict durability): completed start → 10 tasks → end instances per second and records per
 * second, beside the raw limit: dexie bulkAdd of the very same rows in the same transaction
 * sizes, with no engine. Prints figures; the last line is one JSON object. No timed asserts.
 */
import { openAppSession } from '../tests/helpers/appSession.js';
import { Cleanup } from '../tests/helpers/cleanup.js';

const INSTANCES = Number(process.env.BENCH_INSTANCES ?? 2000);
const WARMUP = 300;
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 256);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

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
  const { relay, page } = await openAppSession(cleanup);
  // A run page of no run: it starts the engine worker and subscribes to nothing busy.
  await page.goto(`${relay.url}/runs/bench`);
  await page.waitForFunction(() => window.tesseraEngine !== undefined);

  // Plain JavaScript text: tsx would wrap named functions in helpers the page does not have.
  // Each round: INSTANCES runs through the worker, then the raw bulkAdd of exactly their rows
  // in the same transaction sizes; rounds alternate so machine noise hits both alike.
  const inPage = `async ({ xml, instances, warmup, inFlight }) => {
    const api = window.tesseraEngine.api;
    await api.startRuns({ xml }, warmup, inFlight);
    await api.writeStats(true);
    const started = performance.now();
    const ids = await api.startRuns({ xml }, instances, inFlight);
    const ms = performance.now() - started;
    const stats = await api.writeStats(true);
    const completed = (await Promise.all(ids.map((id) => api.getRun(id)))).filter((d) => d && d.run.status === 'completed').length;
    const raw = await api.measureRawWrites(ids, stats.batches);
    return { ms, stats: { transactions: stats.transactions, records: stats.records }, completed, raw };
  }`;
  type Round = {
    ms: number;
    stats: { transactions: number; records: number };
    completed: number;
    raw: { rows: number; records: number; transactions: number; ms: number };
  };
  const args = { xml: linearXml(10), instances: INSTANCES, warmup: WARMUP, inFlight: IN_FLIGHT };
  const rounds: Round[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const result = (await page.evaluate(`(${inPage})(${JSON.stringify(args)})`)) as Round;
    rounds.push(result);
    const perS = (n: number, ms: number) => ((n / ms) * 1000).toFixed(0);
    console.log(
      `round ${round + 1}: ${result.completed}/${INSTANCES} completed in ${result.ms.toFixed(0)} ms → ${perS(result.completed, result.ms)} instances/s, ` +
        `${perS(result.stats.records, result.ms)} records/s in ${result.stats.transactions} transactions; ` +
        `raw ${result.raw.rows} rows (${result.raw.records} records) in ${result.raw.transactions} transactions: ${result.raw.ms.toFixed(0)} ms → ${perS(result.raw.records, result.raw.ms)} records/s`
    );
  }

  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const instancesPerS = median(rounds.map((r) => (r.completed / r.ms) * 1000));
  const recordsPerS = median(rounds.map((r) => (r.stats.records / r.ms) * 1000));
  const rawPerS = median(rounds.map((r) => (r.raw.records / r.raw.ms) * 1000));
  const rawFraction = recordsPerS / rawPerS;
  const records = rounds[0]!.stats.records / INSTANCES;
  console.log(`browser host: start → 10 tasks → end (${records.toFixed(0)} records each), ${INSTANCES} instances a round, ${IN_FLIGHT} starting at once, headless Chromium, IndexedDB with strict durability`);
  console.log(`  engine (median of ${ROUNDS}): ${instancesPerS.toFixed(0)} instances/s, ${recordsPerS.toFixed(0)} records/s`);
  console.log(`  raw dexie bulkAdd of the same rows in the same transactions (median): ${rawPerS.toFixed(0)} records/s`);
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
