/// <reference lib="webworker" />
/** The engine worker: only wires the host to IndexedDB, Web Locks, the tab bus and comlink. */
import * as Comlink from 'comlink';
import { SystemClock } from '../runtime/SystemClock.js';
import { DexieRunStore } from '../store/dexie/DexieRunStore.js';
import { DiagramStore } from '../store/dexie/DiagramStore.js';
import { RemoteJobs } from '../runtime/jobs/RemoteJobs.js';
import { BrowserJobs } from './BrowserJobs.js';
import { connectRelayJobs } from './connectRelayJobs.js';
import { EngineHost } from './EngineHost.js';
import { webLocks } from './runLocks.js';
import { runSandboxedScript } from './sandboxScripts.js';
import { DexieStepHolds } from './stepHolds.js';
import { TabBus } from './TabBus.js';

// Commands, HTTP calls and job types go to the relay's runners over /jobs; while the relay is
// unreachable (or not on loopback, where it mints tokens) they wait and are sent on reconnect.
const remote = new RemoteJobs();
connectRelayJobs(remote, { relay: self.location.origin, getToken: relayJobToken });

const host = new EngineHost({
  store: new DexieRunStore(),
  diagrams: new DiagramStore(),
  locks: webLocks(),
  bus: new TabBus(),
  clock: new SystemClock(),
  jobs: new BrowserJobs(runSandboxedScript, remote),
  holds: new DexieStepHolds(),
  output: remote,
  exportFunction: (fn) => Comlink.proxy(fn)
});

Comlink.expose(host);
void host.boot();

/** A short-lived token for the job channel, from the loopback relay's token endpoint. */
async function relayJobToken(): Promise<string> {
  const response = await fetch('/api/token?room=run:*&role=run', { cache: 'no-store' });
  const body = (await response.json()) as { ok?: boolean; token?: string; error?: string };
  if (!response.ok || !body.token) throw new Error(body.error ?? `token endpoint answered ${response.status}`);
  return body.token;
}
