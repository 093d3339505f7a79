import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cleanup } from './helpers/cleanup.js';
import { contiguous, fixture, openRuns, records, verify, waitForRun } from './helpers/enginePage.js';
import { chromiumArgs, chromiumPath } from './helpers/launchBrowser.js';
import { startRelay, type RunningRelay } from './helpers/startRelay.js';

const stepsXml = fixture('browser-steps.bpmn');

interface Running {
  child: ChildProcess;
  browser: Browser;
  page: Page;
}

/** Chromium as its own process on a given profile, so the test can SIGKILL it like a crash. */
async function launch(userDataDir: string): Promise<Running> {
  const child = spawn(chromiumPath, [...chromiumArgs, `--user-data-dir=${userDataDir}`, '--remote-debugging-port=0', 'about:blank'], {
    stdio: ['ignore', 'ignore', 'pipe']
  });
  const endpoint = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`chromium did not start:\n${output}`)), 30_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
  const browser = await chromium.connectOverCDP(endpoint);
  const context = browser.contexts()[0]!;
  const page = context.pages()[0] ?? (await context.newPage());
  return { child, browser, page };
}

function kill(running: Running): Promise<void> {
  return new Promise((resolve) => {
    running.child.once('exit', () => resolve());
    running.child.kill('SIGKILL');
  });
}

describe('tests/browserCrash: Chromium SIGKILLed while runs commit (R18)', () => {
  const cleanup = new Cleanup();
  let relay: RunningRelay;
  let profile: string;

  beforeAll(async () => {
    relay = await startRelay();
    cleanup.add(() => relay.stop());
    profile = await mkdtemp(join(tmpdir(), 'tessera-crash-'));
    cleanup.add(() => rm(profile, { recursive: true, force: true }));
  });
  afterAll(() => cleanup.run());

  it('every record a page saw committed is there after the browser is killed, verifying, and the runs finish', async () => {
    // given runs committing script steps, and the page noting every record it hears of
    let running = await launch(profile);
    await openRuns(running.page, relay.url);
    const seen = await running.page.evaluate(async (xml) => {
      const engine = window.tesseraEngine!;
      const ids = await engine.api.startRuns({ xml }, 10, 10);
      const counts: Record<string, number> = {};
      (window as unknown as { seen: Record<string, number> }).seen = counts;
      // What the store holds now is committed; subscriptions then report each later commit.
      for (const run of await engine.api.listRuns()) counts[run.runId] = run.count;
      for (const id of ids) {
        await engine.subscribeRecords(id, 0, (records) => (counts[id] = Math.max(counts[id] ?? 0, records.at(-1)!.seq + 1)));
      }
      return ids;
    }, stepsXml);
    // when Chromium is killed while they run
    const delay = Math.floor(Math.random() * 100);
    await new Promise((resolve) => setTimeout(resolve, delay));
    const committed = await running.page.evaluate(() => ({ ...(window as unknown as { seen: Record<string, number> }).seen }));
    expect(Object.keys(committed)).toHaveLength(seen.length);
    await kill(running);
    // then after a restart on the same profile nothing committed is missing, every chain
    // verifies, and every run completes
    running = await launch(profile);
    cleanup.add(() => kill(running));
    await openRuns(running.page, relay.url);
    for (const runId of seen) {
      const chain = await records(running.page, runId);
      expect(chain.length).toBeGreaterThanOrEqual(committed[runId]!);
      expect(await verify(running.page, runId)).toMatchObject({ ok: true });
      const done = await waitForRun(running.page, runId, (d) => d.run.status === 'completed', 30_000);
      expect(done.summary.variables).toEqual({ n: 15 });
      expect(contiguous(await records(running.page, runId))).toBe(true);
    }
    console.log(`killed after ${delay} ms; records seen committed before: ${JSON.stringify(Object.values(committed))}`);
  });
});
