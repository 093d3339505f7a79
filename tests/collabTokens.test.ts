import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRelay } from '../sync-server/createRelay.js';
import { attachSync } from '../sync-server/sync/attachSync.js';
import { signToken } from '../sync-server/sync/tokens.js';
import { Cleanup } from './helpers/cleanup.js';
import { launchBrowser, viewports } from './helpers/launchBrowser.js';
import { buildDir, repoRoot } from './helpers/startRelay.js';

const shots = `${repoRoot}tmp/collab`;
const SECRET = 'collab-tokens-secret';

describe('tests/collab tokens: a link the relay refuses shows why, once', () => {
  const cleanup = new Cleanup();
  let url: string;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    const dir = mkdtempSync(join(tmpdir(), 'tessera-collab-tokens-'));
    cleanup.add(() => rmSync(dir, { recursive: true, force: true }));
    const relay = createRelay({ host: '127.0.0.1', port: 0, staticDir: buildDir });
    // as a relay bound to the network: /api/token mints nothing, links are all there is
    attachSync(relay, { dbFile: join(dir, 'sync.sqlite'), secret: SECRET, boundHost: '0.0.0.0' });
    url = (await relay.listen()).url;
    cleanup.add(() => relay.close());
  });

  afterAll(() => cleanup.run());

  it('a link for another diagram: the collab bar says so and the editor stops reconnecting', async () => {
    const browser = await launchBrowser(viewports.laptop);
    cleanup.add(() => browser.close());
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    const foreign = await signToken(SECRET, { sub: 'bob', room: 'diagram:d_other', role: 'edit', ttlSeconds: 600 });
    let sockets = 0;
    page.on('websocket', (ws) => ws.url().includes('/sync/') && sockets++);
    await page.goto(`${url}/diagrams/d_mine?token=${foreign}&role=edit`);
    const problem = page.getByTestId('collab-problem');
    await expect.poll(() => problem.textContent(), { timeout: 20_000 }).toMatch(/another diagram/);
    expect(await problem.getAttribute('role')).toBe('alert');
    await page.screenshot({ path: `${shots}/refused-link.png` });
    // and no reconnect loop: the socket count stays put
    const settled = sockets;
    await new Promise((r) => setTimeout(r, 3000));
    expect(sockets).toBe(settled);
  });
});
