import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cleanup } from './helpers/cleanup.js';
import { fixture, openRuns, records, startRun, verify, waitForRun } from './helpers/enginePage.js';
import { launchBrowser, type LaunchedBrowser } from './helpers/launchBrowser.js';
import { spawnRelay, type RelayProcess } from './helpers/startRelay.js';

describe('tests/browserRunners: a run in the browser hands its commands to the relay runners', () => {
  const cleanup = new Cleanup();
  let relay: RelayProcess;
  let browser: LaunchedBrowser;
  let page: Page;

  beforeAll(async () => {
    const data = mkdtempSync(join(tmpdir(), 'tessera-browser-runners-'));
    cleanup.add(() => rmSync(data, { recursive: true, force: true }));
    // given the relay `npm start` runs, with its in-process runners allowed to run echo
    relay = await spawnRelay(['--data', data, '--allow', 'echo']);
    cleanup.add(() => relay.stop());
    browser = await launchBrowser();
    cleanup.add(() => browser.close());
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
  });
  afterAll(() => cleanup.run());

  it('runs a tessera:command service task on a relay runner and records its output', async () => {
    // when a run with an `echo` command starts in the page's worker
    await openRuns(page, relay.url);
    const runId = await startRun(page, { xml: fixture('browser-command.bpmn'), variables: { greeting: 'hello from the relay' } });
    // then a relay runner executes it and the run completes with the command's result
    const detail = await waitForRun(page, runId, (d) => d.run.status === 'completed', 60_000);
    const chain = await records(page, runId);
    const done = chain.find((r) => r.node === 'Say' && r.status === 'completed');
    expect(JSON.stringify(done?.data)).toContain('hello from the relay');
    expect(done?.owner).toMatch(/^runner/);
    expect(await verify(page, runId)).toMatchObject({ ok: true, head: detail.run.head });
  });
});
