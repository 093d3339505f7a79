/** Drives the engine worker of an app page through `window.tesseraEngine` (see src/lib/state/engine.ts). */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import type { RunDetail, StartInput } from '../../src/lib/worker/api.js';
import type { TokenRecord, VerifyResult } from '../../src/lib/engine/index.js';
import { repoRoot } from './startRelay.js';

export function fixture(name: string): string {
  return readFileSync(`${repoRoot}tests/fixtures/${name}`, 'utf8');
}

/** Opens the runs page and waits until its engine worker answers. */
export async function openRuns(page: Page, url: string, path = '/runs'): Promise<void> {
  await page.goto(`${url}${path}`);
  await page.waitForFunction(() => window.tesseraEngine !== undefined);
  await page.evaluate(() => window.tesseraEngine!.api.listRuns());
}

export function startRun(page: Page, input: StartInput): Promise<string> {
  return page.evaluate(async (i) => (await window.tesseraEngine!.api.startRun(i)).runId, input);
}

export function getRun(page: Page, runId: string): Promise<RunDetail | undefined> {
  return page.evaluate((id) => window.tesseraEngine!.api.getRun(id), runId);
}

export function records(page: Page, runId: string): Promise<TokenRecord[]> {
  return page.evaluate((id) => window.tesseraEngine!.api.records(id), runId);
}

export function verify(page: Page, runId: string): Promise<VerifyResult> {
  return page.evaluate((id): Promise<VerifyResult> => window.tesseraEngine!.api.verifyRun(id), runId);
}

/** Polls until the run's detail satisfies `done` (or throws after `timeoutMs`). */
export async function waitForRun(
  page: Page,
  runId: string,
  done: (detail: RunDetail) => boolean,
  timeoutMs = 20_000
): Promise<RunDetail> {
  const until = Date.now() + timeoutMs;
  let last: RunDetail | undefined;
  while (Date.now() < until) {
    last = await getRun(page, runId).catch(() => undefined);
    if (last && done(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`run ${runId} did not get there in ${timeoutMs} ms; last: ${JSON.stringify(last?.run)}`);
}

/** The chain's shape without ids, times and hashes: what two runs of the same model and inputs share. */
export function shape(chain: TokenRecord[]): string[] {
  return chain.map((r) => `${r.seq} ${r.kind} ${r.node} ${r.status}`);
}

/** Seqs are 0..n-1, each once. */
export function contiguous(chain: TokenRecord[]): boolean {
  return chain.every((r, i) => r.seq === i) && new Set(chain.map((r) => r.id)).size === chain.length;
}
