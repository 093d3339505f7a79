import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cleanup } from './helpers/cleanup.js';
import { openRuns, records, startRun, waitForRun } from './helpers/enginePage.js';
import { launchBrowser, type LaunchedBrowser } from './helpers/launchBrowser.js';
import { repoRoot } from './helpers/startRelay.js';
import { spawnRelay, type RelayProcess } from './helpers/startRelay.js';

const SECRET = 'hunter2-very-secret';

/** Prints a line every 300 ms, a secret in two writes, then waits for the gate file before it exits. */
const SCRIPT = `const fs = require('fs'); const [gate, token] = process.argv.slice(1); let i = 0;
const t = setInterval(() => {
  i++; console.log('line ' + i);
  if (i === 3) { process.stdout.write('token=' + token.slice(0, 4)); setTimeout(() => process.stdout.write(token.slice(4) + '\\n'), 150); }
  if (i === 6) { clearInterval(t); const wait = () => (fs.existsSync(gate) ? process.exit(0) : setTimeout(wait, 100)); wait(); }
}, 300);`;

const XML = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:tessera="urn:tessera:bpmn:1" id="Defs_Out" targetNamespace="urn:tessera:test">
  <bpmn:process id="Chatty" isExecutable="true">
    <bpmn:startEvent id="Start" />
    <bpmn:serviceTask id="Print" name="Print lines">
      <bpmn:extensionElements>
        <tessera:command resultVariable="printed" timeout="PT90S">
          <tessera:arg>node</tessera:arg>
          <tessera:arg>-e</tessera:arg>
          <tessera:arg>=script</tessera:arg>
          <tessera:arg>=gate</tessera:arg>
          <tessera:arg>secrets.TOKEN</tessera:arg>
        </tessera:command>
      </bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:endEvent id="End" />
    <bpmn:sequenceFlow id="f1" sourceRef="Start" targetRef="Print" />
    <bpmn:sequenceFlow id="f2" sourceRef="Print" targetRef="End" />
  </bpmn:process>
</bpmn:definitions>`;

describe('tests/jobOutput: a command’s output streams live into the run view', () => {
  const cleanup = new Cleanup();
  let relay: RelayProcess;
  let browser: LaunchedBrowser;
  let data: string;

  beforeAll(async () => {
    data = mkdtempSync(join(tmpdir(), 'tessera-job-output-'));
    cleanup.add(() => rmSync(data, { recursive: true, force: true }));
    writeFileSync(join(data, 'relay.json'), JSON.stringify({ secrets: { TOKEN: SECRET } }));
    relay = await spawnRelay(['--data', data, '--allow', 'node']);
    cleanup.add(() => relay.stop());
    browser = await launchBrowser();
    cleanup.add(() => browser.close());
  });
  afterAll(() => cleanup.run());

  const logText = (page: Page) => page.locator('[role=log][data-node=Print]').textContent({ timeout: 1000 }).catch(() => '');

  it('shows lines in the executing tab and in a second watching tab before the job completes, secrets redacted', async () => {
    const gate = join(data, 'gate');
    const executing = browser.context.pages()[0] ?? (await browser.context.newPage());
    // given a run whose command prints a line every 300 ms and then waits for a gate file
    await openRuns(executing, relay.url);
    const runId = await startRun(executing, { xml: XML, variables: { script: SCRIPT, gate } });
    // when the executing tab opens the run page (client-side) and another tab watches it too
    await executing.locator(`a[href$="/runs/${runId}"]`).first().click();
    const watching = await browser.context.newPage();
    await watching.goto(`${relay.url}/runs/${runId}`);
    // then both show the output live, while the job is still running
    for (const page of [executing, watching]) {
      await expect.poll(() => logText(page), { timeout: 60_000 }).toContain('line 5');
      expect(existsSync(gate)).toBe(false); // the command cannot have completed yet
      await expect.poll(() => page.getByTestId('run-status').textContent()).toBe('running');
      const text = await logText(page);
      expect(text).toContain('token=***');
      expect(text).not.toContain('hunt');
    }
    await expect.poll(() => logText(executing), { timeout: 30_000 }).toContain('line 6');
    await executing.screenshot({ path: join(repoRoot, 'tmp/screenshots/h6-job-output.png'), fullPage: true });
    // and once the command ends the panel goes; the completion record has the redacted output
    writeFileSync(gate, '');
    await waitForRun(executing, runId, (d) => d.run.status === 'completed', 60_000);
    await expect.poll(() => executing.locator('[role=log]').count()).toBe(0);
    const done = (await records(executing, runId)).find((r) => r.node === 'Print' && r.status === 'completed');
    const stdout = (done?.data as { result?: { stdout?: string } } | undefined)?.result?.stdout ?? JSON.stringify(done?.data);
    expect(stdout).toContain('line 6');
    expect(stdout).toContain('token=***');
    expect(JSON.stringify(done?.data)).not.toContain(SECRET);
    await watching.close();
  });
});
